import { Tap } from '../src/tap/tap';
import { AnalysisState } from '../src/tap/analysis-state';
import { AnalysisView } from '../src/views/analysis-view';
import { reportObject } from '../src/views/report-document';
import { CaptureReader } from '../src/decoder/capture-reader';
import { MAX_BLOCK_LEN } from '../src/decoder/pcapng-framer';
import { readCaptureStream } from '../src/decoder/stream-reader';
import { Rng, type Targets } from './mutate';

export interface CaseResult {
  ok: boolean;
  problem: string | null;
  ms: number;
  status: string;
}

/** The largest buffer a reader may ever hold: one record of the largest allowed size, doubled. */
const MAX_CARRY = MAX_BLOCK_LEN * 2;

export function newTap(maxFlows = 100_000): Tap {
  return new Tap(new AnalysisState({ name: 'fuzz', size: null }, maxFlows));
}

/** The report of what a tap collected, with the reader's capture info and outcome. */
export function reportAfter(tap: Tap, reader: CaptureReader, outcome: ReturnType<CaptureReader['end']>, size: number) {
  const s = tap.state;
  s.source = { name: 'fuzz', size };
  s.capture = structuredClone(reader.info);
  s.read = outcome;
  return reportObject(new AnalysisView(s).select(null));
}

function analyze(data: Uint8Array, cuts: number[], reader?: CaptureReader, tap?: Tap) {
  const a = tap ?? newTap();
  const r = reader ?? new CaptureReader(a);
  let prev = 0;
  for (const c of [...cuts, data.length]) {
    r.push(data.subarray(prev, c));
    prev = c;
  }
  const outcome = r.end();
  return { a, r, outcome, report: reportAfter(a, r, outcome, data.length) };
}

/**
 * Run one mutated input through the whole pipeline and check the properties: nothing throws,
 * time stays proportional to size, no buffer beyond the cap, counts add up, chunking does not
 * matter, and the same reader then reads a clean capture correctly.
 */
export function runCase(data: Uint8Array, clean: Uint8Array, cleanReport: string, rng: Rng): CaseResult {
  const t0 = performance.now();
  try {
    const whole = analyze(data, []);
    const s = whole.a.state.stats;
    const noIp = s.noIpPackets.reduce((x, y) => x + y, 0);
    if (s.packets !== whole.r.packets) return fail(t0, 'analyzer and reader disagree on the packet count', whole.outcome.status);
    if (s.ipv4Packets + s.ipv6Packets + noIp !== s.packets) return fail(t0, 'packets != decoded + skipped by reason', whole.outcome.status);
    if (whole.report.totals.packets !== s.packets) return fail(t0, 'report totals differ from the counters', whole.outcome.status);
    // Every frame with ports is in one flow of the outermost layer; flows inside tunnels count it again.
    const flowPackets = whole.report.flows.reduce((n, f) => n + (f.tunnel ? 0 : f.packets), 0);
    if (flowPackets !== s.portPackets) return fail(t0, 'flow packets differ from packets with ports', whole.outcome.status);
    if (whole.r.carryCapacity > MAX_CARRY) return fail(t0, `reader buffer grew to ${whole.r.carryCapacity} bytes`, whole.outcome.status);
    const cuts = [...new Set(Array.from({ length: 1 + rng.int(6) }, () => rng.int(data.length + 1)))].sort((x, y) => x - y);
    const chunked = analyze(data, cuts);
    if (JSON.stringify(chunked.report) !== JSON.stringify(whole.report)) return fail(t0, `chunked read (cuts ${cuts.join(',')}) differs from whole read`, whole.outcome.status);
    // The same reader, reset, reads a clean capture exactly as a fresh one does.
    const again = newTap();
    whole.r.reset(again);
    const reused = analyze(clean, [], whole.r, again);
    if (JSON.stringify(reused.report) !== cleanReport) return fail(t0, 'a reused reader read the clean capture differently', whole.outcome.status);
    const ms = performance.now() - t0;
    return { ok: true, problem: null, ms, status: whole.outcome.status };
  } catch (err) {
    return fail(t0, `exception: ${err instanceof Error ? err.stack : String(err)}`, 'threw');
  }
}

function fail(t0: number, problem: string, status: string): CaseResult {
  return { ok: false, problem, ms: performance.now() - t0, status };
}

/** gzip path: a mutated gzip stream ends with a result or a clear error, never a throw. */
export async function runGzipCase(gz: Uint8Array): Promise<CaseResult> {
  const t0 = performance.now();
  try {
    const a = newTap();
    const r = new CaptureReader(a);
    const stream = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(gz); c.close(); } });
    const outcome = await readCaptureStream(stream, r);
    if (outcome.status === 'damaged' && !outcome.message) return fail(t0, 'damage without a message', outcome.status);
    return { ok: true, problem: null, ms: performance.now() - t0, status: outcome.status };
  } catch (err) {
    return fail(t0, `exception: ${err instanceof Error ? err.stack : String(err)}`, 'threw');
  }
}

/** Length fields and header bytes of a clean capture, found by reading it once. */
export function findTargets(clean: Uint8Array): Targets {
  const t: Targets = { lengthFields: [], headerBytes: [], recordStarts: [] };
  const analyzer = newTap();
  const reader = new CaptureReader({
    packet(rec) {
      t.recordStarts.push(rec.fileOffset);
      analyzer.packet(rec);
      const d = analyzer.decoded;
      const frameAt = rec.fileOffset + (reader.info.format === 'pcap' ? 16 : 28);
      t.lengthFields.push(rec.fileOffset + (reader.info.format === 'pcap' ? 8 : 4), rec.fileOffset + (reader.info.format === 'pcap' ? 12 : 20));
      if (d.ipOffset >= 0) t.headerBytes.push(frameAt + (d.ipOffset - rec.offset));
      if (d.l4Offset >= 0) t.headerBytes.push(frameAt + (d.l4Offset - rec.offset));
    },
  });
  reader.push(clean);
  reader.end();
  return t;
}
