// States of different capture files merge exactly (src/many/merge-many.ts): any partition of
// a fixture's packets into files, merged in any order and grouping, gives the report of one
// capture holding the files' packets in the merged numbering's order (files by first packet).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeMany, MergeError } from '../src/many/merge-many';
import type { Report } from '../src/schema/report';
import { AnalysisState } from '../src/tap/analysis-state';
import { decodeState, encodeState } from '../src/tap/state-codec';
import { reportOf, stateOfBytes } from './helpers/analyze';
import { listFixtures } from './helpers/fixtures';
import { canonicalOrder, fileOf, fileState, mergeTree, recordsOf, type NamedFile, type Records } from './helpers/many-files';

/** What a capture of all the packets must equal: everything but the description of the files themselves. */
function comparable(r: Report): unknown {
  const { source, capture, files, ...rest } = r;
  return rest;
}

const candidates = listFixtures().filter((f) => !f.name.endsWith('.gz') && !f.expected.tshark.damaged && f.expected.totals.packets >= 6)
  .filter((f) => f.expected.capture.format === 'pcap' || (f.expected.capture.sections ?? 1) === 1);

const loaded = candidates.filter((_, i) => i % 4 === 0).slice(0, 50).map((f) => {
  const data = new Uint8Array(readFileSync(f.path));
  return { name: f.name, data, rec: recordsOf(data) };
}).filter((x) => x.rec.records.length >= 6);

/** Files of consecutive packets, cut at the given fractions (ring-buffer-like). */
function consecutive(rec: Records, cuts: number[]): NamedFile[] {
  const n = rec.records.length;
  const at = [...new Set(cuts.map((c) => 1 + Math.floor(c * (n - 1))))].filter((i) => i < n).sort((a, b) => a - b);
  const bounds = [0, ...at, n];
  return bounds.slice(0, -1).map((from, k) => ({
    name: `ring_${String(k).padStart(3, '0')}.pcap`,
    bytes: fileOf(rec, Array.from({ length: bounds[k + 1]! - from }, (_, j) => from + j)),
  }));
}

/** Files of packets dealt arbitrarily (overlapping in time). */
function dealt(rec: Records, k: number, deal: number[]): NamedFile[] {
  const picks: number[][] = Array.from({ length: k }, () => []);
  rec.records.forEach((_, i) => picks[deal[i % deal.length]! % k]!.push(i));
  return picks.filter((p) => p.length > 0).map((p, j) => ({ name: `dealt-${j}.pcap`, bytes: fileOf(rec, p) }));
}

/** One capture of all the files' packets, in the merged numbering's order (a repeated file once). */
function wholeOf(rec: Records, files: NamedFile[]): Uint8Array {
  const seen = new Set<string>();
  const ordered = canonicalOrder(files).filter((f) => {
    const key = Buffer.from(f.bytes).toString('base64');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const bodies = ordered.map((f) => f.bytes.subarray(rec.header.length));
  const out = new Uint8Array(rec.header.length + bodies.reduce((t, b) => t + b.length, 0));
  out.set(rec.header, 0);
  let o = rec.header.length;
  for (const b of bodies) { out.set(b, o); o += b.length; }
  return out;
}

const shuffle = <T>(xs: T[], seed: number[]): T[] => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = seed[i % seed.length]! % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

describe('merging states of many files', () => {
  it('has fixtures to split, with flows and payloads', () => {
    expect(loaded.length).toBeGreaterThan(20);
    expect(loaded.some((x) => reportOf(stateOfBytes(x.data)).flows.some((f) => f.app !== null))).toBe(true);
  });

  it('ring-buffer pieces merged in any order and grouping equal the original capture (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: loaded.length - 1 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
      (which, cuts, order, shape) => {
        const { rec } = loaded[which]!;
        const files = consecutive(rec, cuts);
        const expected = comparable(reportOf(stateOfBytes(wholeOf(rec, files))));
        const a = mergeTree(shuffle(files, order).map(fileState), shape, mergeMany);
        const b = mergeTree(files.map(fileState).reverse(), [0], mergeMany);
        expect(comparable(reportOf(a))).toEqual(expected);
        // Everything, the files section included, is the same whatever the order and grouping.
        expect(reportOf(a)).toEqual(reportOf(b));
        expect(a.files.map((f) => f.name)).toEqual(canonicalOrder(files).map((f) => f.name));
      },
    ), { numRuns: 80, seed: 15 });
  });

  it('files of arbitrarily dealt packets (overlapping in time) equal one capture of them in file order (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: loaded.length - 1 }), fc.integer({ min: 2, max: 5 }), fc.array(fc.nat(), { minLength: 1, maxLength: 32 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
      (which, k, deal, shape) => {
        const { rec } = loaded[which]!;
        const files = dealt(rec, k, deal);
        // A pcapng whose interfaces are described between packets cannot be dealt freely.
        fc.pre(files.every((f) => fileState(f).read.status === 'complete'));
        // Repeated files merge in any grouping only as whole states (tested on their own below).
        fc.pre(new Set(files.map((f) => Buffer.from(f.bytes).toString('base64'))).size === files.length);
        const expected = comparable(reportOf(stateOfBytes(wholeOf(rec, files))));
        const merged = mergeTree(shuffle(files, shape).map(fileState), shape, mergeMany);
        expect(comparable(reportOf(merged))).toEqual(expected);
        expect(reportOf(merged)).toEqual(reportOf(mergeTree(files.map(fileState), [0], mergeMany)));
      },
    ), { numRuns: 80, seed: 16 });
  });

  it('states survive the codec between merges (version 2 keeps the file list)', () => {
    const { rec } = loaded.find((x) => x.rec.records.length >= 40)!;
    const files = consecutive(rec, [0.3, 0.6]);
    const through = (s: AnalysisState) => decodeState(encodeState(s));
    const direct = mergeTree(files.map(fileState), [0], mergeMany);
    const coded = through(mergeTree(files.map((f) => through(fileState(f))), [1, 0], (x, y) => through(mergeMany(x, y))));
    expect(coded.files).toEqual(direct.files);
    expect(coded.files).toHaveLength(3);
    expect(reportOf(coded)).toEqual(reportOf(direct));
  });

  it('a repeated file (same fingerprint) counts once, under the first name, wherever it comes in', () => {
    const { rec } = loaded.find((x) => x.rec.records.length >= 40)!;
    const files = consecutive(rec, [0.5]);
    const copy = { name: 'zz-copy-of-first.pcap', bytes: files[0]!.bytes };
    const early = { name: 'aa-copy-of-first.pcap', bytes: files[0]!.bytes };
    const without = reportOf(mergeTree(files.map(fileState), [0], mergeMany));
    for (const extra of [copy, early]) {
      for (const order of [[extra, ...files], [...files, extra], [files[0]!, extra, files[1]!]]) {
        const merged = reportOf(mergeTree(order.map(fileState), [0], mergeMany));
        expect(comparable(merged)).toEqual(comparable(without));
        const names = merged.files!.filter((f) => f.duplicateOf !== null);
        expect(names).toHaveLength(1);
        const kept = extra === early ? early.name : files[0]!.name;
        expect(names[0]!.duplicateOf).toBe(kept);
        expect(merged.files!.find((f) => f.name === kept)!.firstFrame).toBe(1);
      }
    }
  });

  it('states sharing some files but not all are refused, naming the file', () => {
    const { rec } = loaded.find((x) => x.rec.records.length >= 40)!;
    const [a, b, c] = consecutive(rec, [0.3, 0.6]);
    const copyA = { name: 'copy.pcap', bytes: a!.bytes };
    const left = mergeMany(fileState(a!), fileState(b!));
    const right = mergeMany(fileState(copyA), fileState(c!));
    expect(() => mergeMany(left, right)).toThrow(MergeError);
    expect(() => mergeMany(mergeMany(fileState(a!), fileState(b!)), mergeMany(fileState(copyA), fileState(c!)))).toThrow(/copy\.pcap repeats/);
  });

  it('a state without a file list (saved by the page, or version 1) merges as one file', () => {
    const { rec } = loaded.find((x) => x.rec.records.length >= 40)!;
    const [a, b] = consecutive(rec, [0.5]);
    const plain = stateOfBytes(a!.bytes);
    plain.source = { name: a!.name, size: a!.bytes.length };
    expect(plain.files).toHaveLength(0);
    const merged = reportOf(mergeMany(plain, fileState(b!)));
    expect(comparable(merged)).toEqual(comparable(reportOf(stateOfBytes(wholeOf(rec, [a!, b!])))));
    expect(merged.files!.map((f) => f.fingerprint === null)).toEqual([true, false]);
  });

  it('the report lists files with frames, times and overlaps; one file gets no files section', () => {
    const { rec } = loaded.find((x) => x.rec.records.length >= 40)!;
    const ring = reportOf(mergeTree(consecutive(rec, [0.25, 0.5, 0.75]).map(fileState), [0], mergeMany));
    expect(ring.files).toHaveLength(4);
    expect(ring.files![0]!.firstFrame).toBe(1);
    expect(ring.files!.at(-1)!.lastFrame).toBe(ring.totals.packets);
    expect(ring.files!.reduce((t, f) => t + f.packets, 0)).toBe(ring.totals.packets);
    const overlapping = reportOf(mergeTree(dealt(rec, 2, [0, 1]).map(fileState), [0], mergeMany));
    expect(overlapping.files!.every((f) => f.overlapCount === 1 && f.overlaps.length === 1)).toBe(true);
    expect(reportOf(fileState(consecutive(rec, [])[0]!)).files).toBeUndefined();
  });
});

describe('flow table growth after a restore', () => {
  it('rows added to a decoded state with an empty table keep their orientation and flags', () => {
    const { rec } = loaded.find((x) => x.rec.records.length >= 40)!;
    const whole = stateOfBytes(fileOf(rec, rec.records.map((_, i) => i)));
    const empty = decodeState(encodeState(new AnalysisState()));
    empty.absorb(whole);
    const expected = reportOf(whole);
    expect(expected.flows.length + expected.ipConversations.length).toBeGreaterThan(8);
    expect(comparable(reportOf(empty))).toEqual(comparable(expected));
  });
});
