// Reports of consecutive parts of a capture merge into the report of the whole.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeReports } from '../src/analysis/merge-reports';
import type { Report } from '../src/analysis/report-types';
import { CaptureReader } from '../src/decoder/capture-reader';
import { analyzeBytes } from './helpers/analyze';
import { concat } from './helpers/capture-builder';
import { listFixtures } from './helpers/fixtures';

/** Offsets of every packet record, and the bytes before the first one (file header, SHB, IDBs). */
function recordOffsets(data: Uint8Array): number[] {
  const offsets: number[] = [];
  const reader = new CaptureReader({ packet: (r) => offsets.push(r.fileOffset) });
  reader.push(data);
  reader.end();
  return offsets;
}

/** Cut a capture before the given packets; every part gets the file's header blocks. */
function split(data: Uint8Array, offsets: number[], at: number[]): Uint8Array[] {
  const header = data.subarray(0, offsets[0]);
  const bounds = [offsets[0]!, ...at.map((i) => offsets[i]!), data.length];
  return bounds.slice(0, -1).map((start, i) => (i === 0 ? data.subarray(0, bounds[1]) : concat(header, data.subarray(start, bounds[i + 1]))));
}

/** What must be equal: everything but the per-part bookkeeping of the container. */
function comparable(r: Report): unknown {
  const { source, capture, ...rest } = r;
  return JSON.parse(JSON.stringify({ ...rest, interfaces: capture.interfaces.map((i) => [i.id, i.packets, i.bytes]) }));
}

// Captures whose header blocks all come before the first packet (so any part can repeat them).
const candidates = listFixtures().filter((f) => !f.name.endsWith('.gz') && !f.expected.tshark.damaged && f.expected.totals.packets >= 4)
  .filter((f) => f.expected.capture.format === 'pcap' || (f.expected.capture.sections ?? 1) === 1);

describe('mergeReports', () => {
  it('splitting at any packet and merging gives the report of the whole (property)', () => {
    const sample = candidates.filter((_, i) => i % 7 === 0).slice(0, 40);
    const loaded = sample.map((f) => {
      const data = new Uint8Array(readFileSync(f.path));
      return { name: f.name, data, offsets: recordOffsets(data), whole: comparable(analyzeBytes(data)) };
    }).filter((x) => x.offsets.length >= 4);
    fc.assert(fc.property(
      fc.integer({ min: 0, max: loaded.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      (which, x, y) => {
        const { data, offsets, whole } = loaded[which]!;
        const n = offsets.length;
        const i = 1 + Math.floor(x * (n - 2));
        const j = i + 1 + Math.floor(y * (n - i - 1));
        const [p1, p2, p3] = split(data, offsets, j < n ? [i, j] : [i]).map((p) => analyzeBytes(p));
        if (!p3) {
          expect(comparable(mergeReports(p1!, p2!))).toEqual(whole);
          return;
        }
        const left = mergeReports(mergeReports(p1!, p2!), p3);
        const right = mergeReports(p1!, mergeReports(p2!, p3));
        expect(comparable(left)).toEqual(whole);
        expect(comparable(right)).toEqual(whole);
      },
    ), { numRuns: 150, seed: 7 });
  });
});
