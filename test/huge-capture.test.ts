// Captures beyond 4 GiB and 8 GiB, generated on the fly (never written to disk): exact offsets,
// byte totals above 2^32 and packet counts.
import { describe, expect, it } from 'vitest';
import { AnalysisState } from '../src/tap/analysis-state';
import { Tap } from '../src/tap/tap';
import { CaptureReader } from '../src/decoder/capture-reader';
import type { PacketRecord } from '../src/decoder/packet-record';
import { readCaptureStream } from '../src/decoder/stream-reader';
import { concat, epb, idb, pcapHeader, pcapRecord, shb, udpFrame } from './helpers/capture-builder';

const GiB = 1024 ** 3;

/** A stream of `header` then `record` repeated until at least `target` bytes, re-using one buffer. */
function repeatingStream(header: Uint8Array, record: Uint8Array, target: number): { stream: ReadableStream<Uint8Array>; records: number; size: number } {
  const perChunk = Math.floor((8 * 1024 * 1024) / record.length);
  const chunk = new Uint8Array(perChunk * record.length);
  for (let i = 0; i < perChunk; i++) chunk.set(record, i * record.length);
  const records = Math.ceil((target - header.length) / record.length);
  let left = records;
  let sentHeader = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (!sentHeader) {
        sentHeader = true;
        c.enqueue(header);
        return;
      }
      if (left === 0) {
        c.close();
        return;
      }
      const n = Math.min(left, perChunk);
      left -= n;
      // An odd split point, so records straddle chunks.
      c.enqueue(chunk.subarray(0, n * record.length));
    },
  });
  return { stream, records, size: header.length + records * record.length };
}

class LastRecord extends Tap {
  lastOffset = -1;
  get stats() { return this.state.stats; }
  get flows() { return this.state.flows; }
  override packet(r: PacketRecord): void {
    this.lastOffset = r.fileOffset;
    super.packet(r);
  }
}

async function readAll(header: Uint8Array, record: Uint8Array, target: number) {
  const { stream, records, size } = repeatingStream(header, record, target);
  const analyzer = new LastRecord(new AnalysisState({ name: 'huge', size: null }));
  const reader = new CaptureReader(analyzer);
  const outcome = await readCaptureStream(stream, reader);
  return { analyzer, reader, outcome, records, size };
}

const frame = udpFrame([10, 0, 0, 1], [10, 0, 0, 2], 50000, 443, 60000 - 42);

describe('captures beyond 4 GiB', () => {
  it('pcap of more than 4 GiB: exact offsets, bytes and packets', async () => {
    const header = pcapHeader(true, 1, false, 262144);
    const record = pcapRecord(true, 1700000000, 0, frame);
    const { analyzer, reader, outcome, records, size } = await readAll(header, record, 4 * GiB + 64 * 1024 * 1024 + 12345);
    expect(outcome.status).toBe('complete');
    expect(size).toBeGreaterThan(2 ** 32);
    expect(reader.packets).toBe(records);
    expect(reader.position).toBe(size);
    expect(analyzer.lastOffset).toBe(header.length + (records - 1) * record.length);
    expect(analyzer.stats.bytes).toBe(records * frame.length);
    expect(analyzer.stats.bytes).toBeGreaterThan(2 ** 32);
    expect(analyzer.flows.size).toBe(1);
    expect(analyzer.flows.bytesAB(0)).toBe(records * frame.length);
  });

  it('pcapng of more than 8 GiB: exact offsets, bytes and packets', async () => {
    const header = concat(shb(true), idb(true, 1));
    const record = epb(true, 0, 0, 1000, frame);
    const { analyzer, reader, outcome, records, size } = await readAll(header, record, 8 * GiB + 777);
    expect(outcome.status).toBe('complete');
    expect(size).toBeGreaterThan(2 ** 33);
    expect(reader.packets).toBe(records);
    expect(analyzer.lastOffset).toBe(header.length + (records - 1) * record.length);
    expect(analyzer.stats.bytes).toBe(records * frame.length);
  });
});
