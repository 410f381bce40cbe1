// Capture files made of some of a fixture's packets, and their states, for the many-file tests.
import { createHash } from 'node:crypto';
import { CaptureReader } from '../../src/decoder/capture-reader';
import type { AnalysisState } from '../../src/tap/analysis-state';
import { fileEntryOf } from '../../src/many/file-entry';
import { compareFiles } from '../../src/many/file-entry';
import { stateOfBytes } from './analyze';
import { concat } from './capture-builder';

export interface Records {
  /** Everything before the first packet record (file header, pcapng SHB and IDBs). */
  header: Uint8Array;
  /** Each packet record's bytes (in pcapng, with the non-packet blocks that follow it). */
  records: Uint8Array[];
}

/** Cut a capture into its header and packet records. */
export function recordsOf(data: Uint8Array): Records {
  const offsets: number[] = [];
  const reader = new CaptureReader({ packet: (r) => offsets.push(r.fileOffset) });
  reader.push(data);
  reader.end();
  const records = offsets.map((o, i) => data.subarray(o, i + 1 < offsets.length ? offsets[i + 1]! : data.length));
  return { header: data.subarray(0, offsets[0] ?? data.length), records };
}

/** A capture file of the given records (by index) after the header. */
export function fileOf(r: Records, picks: number[]): Uint8Array {
  return concat(r.header, ...picks.map((i) => r.records[i]!));
}

export interface NamedFile {
  name: string;
  bytes: Uint8Array;
}

/** The state of one named file, with its file-list entry (as porthole analyze makes it). */
export function fileState(f: NamedFile): AnalysisState {
  const s = stateOfBytes(f.bytes);
  s.source = { name: f.name, size: f.bytes.length };
  s.files = [fileEntryOf(s, f.name, f.bytes.length, fingerprintBytes(f.bytes))];
  return s;
}

/** The fingerprint of src/workers/fingerprint.ts for bytes in memory. */
export function fingerprintBytes(b: Uint8Array): string {
  const size = new Uint8Array(8);
  new DataView(size.buffer).setFloat64(0, b.length);
  const EDGE = 1 << 20;
  const tail = b.length > EDGE ? b.subarray(Math.max(EDGE, b.length - EDGE)) : new Uint8Array(0);
  return createHash('sha256').update(size).update(b.subarray(0, EDGE)).update(tail).digest('hex');
}

/** The files in the merged numbering's order (their states' file entries compared). */
export function canonicalOrder(files: NamedFile[]): NamedFile[] {
  const entries = files.map((f) => ({ f, e: fileState(f).files[0]! }));
  return entries.sort((x, y) => compareFiles(x.e, y.e)).map((x) => x.f);
}

/** Merge in the given order, grouped as a binary tree shaped by `shape`. */
export function mergeTree<T>(items: T[], shape: number[], merge: (a: T, b: T) => T): T {
  const work = [...items];
  let s = 0;
  while (work.length > 1) {
    const i = shape[s++ % shape.length]! % (work.length - 1);
    work.splice(i, 2, merge(work[i]!, work[i + 1]!));
  }
  return work[0]!;
}
