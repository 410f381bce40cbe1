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

/**
 * A stream of `header` then `record` repeated until at least `target` bytes, from one reused
 * buffer. Chunks are an odd size (8 MiB - 12345 bytes), not a multiple of the record, so nearly
 * every chunk ends inside a record and the reader's carry path runs all the way past 4 GiB.
 */
function repeatingStream(header: Uint8Array, record: Uint8Array, target: number): { stream: ReadableStream<Uint8Array>; source: ArrayBufferLike; records: number; size: number; chunkLen: number } {
  const chunkLen = 8 * 1024 * 1024 - 12345;
  const reps = Math.ceil((chunkLen + record.length) / record.length);
  const buf = new Uint8Array(reps * record.length);
  for (let i = 0; i < reps; i++) buf.set(record, i * record.length);
  const records = Math.ceil((target - header.length) / record.length);
  const body = records * record.length;
  let pos = 0;
  let sentHeader = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (!sentHeader) {
        sentHeader = true;
        c.enqueue(header);
        return;
      }
      if (pos >= body) {
        c.close();
        return;
      }
      const n = Math.min(chunkLen, body - pos);
      const start = pos % record.length;
      c.enqueue(buf.subarray(start, start + n));
      pos += n;
    },
  });
  return { stream, source: buf.buffer, records, size: header.length + body, chunkLen };
}

/** Remembers the last record's offset, and counts records the reader had to assemble across chunks. */
class LastRecord extends Tap {
  lastOffset = -1;
  /** Records handed over from the reader's carry buffer (they straddled two chunks), beyond 4 GiB. */
  straddledBeyond4GiB = 0;
  constructor(private readonly source: ArrayBufferLike) {
    super(new AnalysisState({ name: 'huge', size: null }));
  }
  get stats() { return this.state.stats; }
  get flows() { return this.state.flows; }

  override packet(r: PacketRecord): void {
    this.lastOffset = r.fileOffset;
    if (r.bytes.buffer !== this.source && r.fileOffset > 2 ** 32) this.straddledBeyond4GiB++;
    super.packet(r);
  }
}

async function readAll(header: Uint8Array, record: Uint8Array, target: number) {
  const { stream, source, records, size, chunkLen } = repeatingStream(header, record, target);
  const analyzer = new LastRecord(source);
  const reader = new CaptureReader(analyzer);
  const outcome = await readCaptureStream(stream, reader);
  return { analyzer, reader, outcome, records, size, chunkLen };
}

const frame = udpFrame([10, 0, 0, 1], [10, 0, 0, 2], 50000, 443, 60000 - 42);

describe('captures beyond 4 GiB', () => {
  it('pcap of more than 4 GiB: exact offsets, bytes and packets', async () => {
    const header = pcapHeader(true, 1, false, 262144);
    const record = pcapRecord(true, 1700000000, 0, frame);
    const { analyzer, reader, outcome, records, size, chunkLen } = await readAll(header, record, 4 * GiB + 64 * 1024 * 1024 + 12345);
    expect(outcome.status).toBe('complete');
    // Every chunk after the first 4 GiB ended inside a record: the carry path ran there.
    const chunksBeyond = Math.floor((size - 2 ** 32) / chunkLen);
    expect(analyzer.straddledBeyond4GiB).toBeGreaterThanOrEqual(chunksBeyond - 1);
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
    expect(analyzer.straddledBeyond4GiB).toBeGreaterThan(0);
    expect(size).toBeGreaterThan(2 ** 33);
    expect(reader.packets).toBe(records);
    expect(analyzer.lastOffset).toBe(header.length + (records - 1) * record.length);
    expect(analyzer.stats.bytes).toBe(records * frame.length);
  });
});
