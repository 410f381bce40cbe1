import { CaptureReader } from '../decoder/capture-reader';
import type { CaptureInfo, ReadOutcome } from '../decoder/capture-info';
import type { PacketRecord, PacketSink } from '../decoder/packet-record';
import { readCaptureStream } from '../decoder/stream-reader';
import { formatTimestamp } from '../decoder/timestamp';
import { reportOutcome } from './exit';
import { openByteSource } from './file-source';

/** Counts and time range over all records, as capinfos reports them. */
export class CaptureTotals implements PacketSink {
  packets = 0;
  bytes = 0;
  capturedBytes = 0;
  firstSec = 0;
  firstNs = 0;
  lastSec = 0;
  lastNs = 0;
  digits = 0;
  /** Records without a timestamp (pcapng SPB): counted, but not part of the time range. */
  untimed = 0;
  private hasTime = false;

  packet(r: PacketRecord): void {
    this.packets++;
    this.bytes += r.origLen;
    this.capturedBytes += r.caplen;
    if (!r.hasTime) {
      this.untimed++;
      return;
    }
    if (r.tsDigits > this.digits) this.digits = r.tsDigits;
    if (!this.hasTime || r.tsSec < this.firstSec || (r.tsSec === this.firstSec && r.tsNs < this.firstNs)) {
      this.firstSec = r.tsSec;
      this.firstNs = r.tsNs;
    }
    if (!this.hasTime || r.tsSec > this.lastSec || (r.tsSec === this.lastSec && r.tsNs > this.lastNs)) {
      this.lastSec = r.tsSec;
      this.lastNs = r.tsNs;
    }
    this.hasTime = true;
  }
}

export interface InfoReport {
  file: string;
  size: number | null;
  capture: CaptureInfo;
  packets: number;
  bytes: number;
  capturedBytes: number;
  firstTime: string | null;
  lastTime: string | null;
  durationSec: number | null;
  /** Packets without a timestamp (pcapng Simple Packet Blocks), left out of the time range. */
  packetsWithoutTime: number;
  outcome: ReadOutcome;
}

export function buildInfo(file: string, size: number | null, reader: CaptureReader, totals: CaptureTotals, outcome: ReadOutcome): InfoReport {
  const has = totals.packets > totals.untimed;
  const duration = (totals.lastSec - totals.firstSec) + (totals.lastNs - totals.firstNs) / 1e9;
  return {
    file, size, capture: reader.info, packets: totals.packets, bytes: totals.bytes, capturedBytes: totals.capturedBytes,
    firstTime: has ? formatTimestamp(totals.firstSec, totals.firstNs, totals.digits) : null,
    lastTime: has ? formatTimestamp(totals.lastSec, totals.lastNs, totals.digits) : null,
    durationSec: has ? Number(duration.toFixed(9)) : null,
    packetsWithoutTime: totals.untimed,
    outcome,
  };
}

function isoTime(epoch: string | null): string {
  if (epoch === null) return 'n/a';
  const [sec, frac = ''] = epoch.split('.');
  const d = new Date(Number(sec) * 1000);
  if (Number.isNaN(d.getTime())) return epoch;
  return `${d.toISOString().slice(0, 19)}${frac ? `.${frac}` : ''}Z (${epoch})`;
}

export function formatInfo(r: InfoReport): string {
  const c = r.capture;
  const lines: string[] = [];
  const row = (k: string, v: string | number) => lines.push(`${k.padEnd(22)}${v}`);
  row('File:', r.file);
  if (r.size !== null) row('File size:', `${r.size} bytes`);
  row('Format:', `${c.format ?? 'unknown'}${c.format === 'pcap' ? ` ${c.version}` : ''}${c.gzip ? ' (gzip-compressed)' : ''}`);
  if (c.byteOrder) row('Byte order:', c.byteOrder === 'little' ? 'little-endian' : 'big-endian');
  if (c.format === 'pcapng') {
    row('Sections:', c.sections.length);
    row('Blocks:', c.blocks);
    c.sections.forEach((s) => {
      const desc = [s.byteOrder === 'little' ? 'little-endian' : 'big-endian', `version ${s.version}`];
      if (s.application) desc.push(`application: ${s.application}`);
      if (s.os) desc.push(`OS: ${s.os}`);
      if (s.hardware) desc.push(`hardware: ${s.hardware}`);
      row(`  Section ${s.index}:`, desc.join(', '));
      for (const cm of s.comments) row('    Comment:', JSON.stringify(cm));
    });
  }
  row('Interfaces:', c.interfaces.length);
  for (const i of c.interfaces) {
    const res = i.tsResolution.base === 10 ? `10^-${i.tsResolution.exponent} s` : `2^-${i.tsResolution.exponent} s`;
    const parts = [`link type ${i.linkType} (${i.linkTypeName})`, `snaplen ${i.snaplen}`, `time resolution ${res}`];
    if (i.tsOffsetSec) parts.push(`time offset ${i.tsOffsetSec} s`);
    if (c.format === 'pcapng') parts.push(`section ${i.section}`);
    parts.push(`${i.packets} packets`);
    row(`  Interface ${i.id}:`, parts.join(', '));
    if (i.name) row('    Name:', JSON.stringify(i.name));
    if (i.description) row('    Description:', JSON.stringify(i.description));
    if (i.os) row('    OS:', JSON.stringify(i.os));
    if (i.filter) row('    Filter:', JSON.stringify(i.filter));
    for (const cm of i.comments) row('    Comment:', JSON.stringify(cm));
  }
  row('Packets:', r.packets);
  row('Bytes (on the wire):', r.bytes);
  row('Bytes (captured):', r.capturedBytes);
  row('First packet:', isoTime(r.firstTime));
  row('Last packet:', isoTime(r.lastTime));
  row('Duration:', r.durationSec === null ? 'n/a' : `${r.durationSec} s`);
  if (r.packetsWithoutTime > 0) row('Without timestamp:', `${r.packetsWithoutTime} packets (simple packet blocks)`);
  row('Read:', r.outcome.status === 'complete' ? 'to the end'
    : `${r.outcome.status}${r.outcome.offset !== null ? ` at byte ${r.outcome.offset}` : ''}: ${r.outcome.message}`);
  return `${lines.join('\n')}\n`;
}

export async function runInfo(file: string, json: boolean): Promise<number> {
  const source = await openByteSource(file);
  const totals = new CaptureTotals();
  const reader = new CaptureReader(totals);
  const outcome = await readCaptureStream(source.stream, reader);
  const report = buildInfo(source.name, source.size, reader, totals, outcome);
  process.stdout.write(json ? `${JSON.stringify(report, null, 1)}\n` : formatInfo(report));
  return reportOutcome(source.name, outcome);
}
