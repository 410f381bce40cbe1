// Analysis states merge exactly: any split of a capture's packets, absorbed in any order and
// grouping, gives the report of the whole (absorb is associative and commutative).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from '../src/decoder/capture-reader';
import type { PacketRecord } from '../src/decoder/packet-record';
import type { Report } from '../src/schema/report';
import { AnalysisState } from '../src/tap/analysis-state';
import { Tap } from '../src/tap/tap';
import { reportOf, stateOfBytes } from './helpers/analyze';
import { concat } from './helpers/capture-builder';
import { listFixtures } from './helpers/fixtures';

/** Offsets of every packet record. */
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

/** What must be equal: everything but the container bookkeeping of each part. */
function comparable(r: Report): unknown {
  const { source, capture, ...rest } = r;
  return rest;
}

/** Deal the packets of a capture to `k` taps by `pick(frame)`: arbitrary, interleaved parts. */
function dealt(data: Uint8Array, k: number, pick: (frame: number) => number): AnalysisState[] {
  const taps = Array.from({ length: k }, () => Tap.create({ name: 'part', size: null }));
  const reader = new CaptureReader({ packet: (r: PacketRecord) => taps[pick(r.number) % k]!.packet(r) });
  reader.push(data);
  reader.end();
  return taps.map((t) => t.state);
}

/** Merge states in the given order, grouped as a random binary tree. */
function mergeTree(states: AnalysisState[], shape: number[]): AnalysisState {
  const work = [...states];
  let s = 0;
  while (work.length > 1) {
    const i = shape[s++ % shape.length]! % (work.length - 1);
    const merged = new AnalysisState({ name: 'merged', size: null });
    merged.absorb(work[i]!);
    merged.absorb(work[i + 1]!);
    work.splice(i, 2, merged);
  }
  return work[0]!;
}

// Captures whose header blocks all come before the first packet (so any part can repeat them).
const candidates = listFixtures().filter((f) => !f.name.endsWith('.gz') && !f.expected.tshark.damaged && f.expected.totals.packets >= 4)
  .filter((f) => f.expected.capture.format === 'pcap' || (f.expected.capture.sections ?? 1) === 1);

describe('absorb', () => {
  const sample = candidates.filter((_, i) => i % 5 === 0).slice(0, 60);
  const loaded = sample.map((f) => {
    const data = new Uint8Array(readFileSync(f.path));
    return { name: f.name, data, offsets: recordOffsets(data), whole: comparable(reportOf(stateOfBytes(data))) };
  }).filter((x) => x.offsets.length >= 4);

  it('has fixtures with flows, payloads and ICMP marks to merge', () => {
    expect(loaded.length).toBeGreaterThan(30);
    expect(loaded.some((x) => (x.whole as Report).flows.length > 10)).toBe(true);
    expect(loaded.some((x) => (x.whole as Report).flows.some((f) => f.app !== null))).toBe(true);
  });

  it('consecutive parts of a file (frames shifted) merge into the whole, in any grouping (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: loaded.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      (which, x, y, shape) => {
        const { data, offsets, whole } = loaded[which]!;
        const n = offsets.length;
        const i = 1 + Math.floor(x * (n - 2));
        const j = i + 1 + Math.floor(y * (n - i - 1));
        const cuts = j < n ? [i, j] : [i];
        const states = split(data, offsets, cuts).map((p) => stateOfBytes(p));
        states.forEach((s, k) => s.shiftFrames(k === 0 ? 0 : cuts[k - 1]!));
        expect(comparable(reportOf(mergeTree(states, shape)))).toEqual(whole);
        expect(comparable(reportOf(mergeTree([...states].reverse(), shape)))).toEqual(whole);
      },
    ), { numRuns: 120, seed: 7 });
  });

  it('packets dealt arbitrarily to up to 5 states merge into the whole, in any order and grouping (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: loaded.length - 1 }), fc.integer({ min: 2, max: 5 }), fc.array(fc.nat(), { minLength: 1, maxLength: 64 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      (which, k, deal, shape) => {
        const { data, whole } = loaded[which]!;
        const states = dealt(data, k, (frame) => deal[frame % deal.length]! + frame * (deal[0]! % 3));
        const order = [...states].sort(() => (shape[0]! % 2 ? 1 : -1));
        expect(comparable(reportOf(mergeTree(order, shape)))).toEqual(whole);
      },
    ), { numRuns: 120, seed: 13 });
  });
});
