// Chunk boundaries must not matter: any split of any capture gives the same packets and report.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeBytes } from './helpers/analyze';
import { decodeChunked } from './helpers/decode';
import { listFixtures } from './helpers/fixtures';

const fixtures = listFixtures().filter((f) => !f.name.endsWith('.gz'));
const load = (p: string) => new Uint8Array(readFileSync(p));

describe('chunk invariance', () => {
  it('every fixture gives the same packets in chunks of 7, 64, 4096 bytes and whole', () => {
    for (const f of fixtures) {
      const data = load(f.path);
      const whole = decodeChunked(data, data.length || 1);
      for (const size of [7, 64, 4096]) {
        const chunked = decodeChunked(data, size);
        expect(chunked.lines, `${f.name} in ${size}-byte chunks`).toEqual(whole.lines);
        expect(chunked.outcome, `${f.name} in ${size}-byte chunks`).toEqual(whole.outcome);
      }
    }
  });

  it('local captures give the same packets in chunks of 1, 2 and 3 bytes', () => {
    for (const f of fixtures.filter((x) => x.set === 'local')) {
      const data = load(f.path);
      const whole = decodeChunked(data, data.length || 1);
      for (const size of [1, 2, 3]) {
        const chunked = decodeChunked(data, size);
        expect(chunked.lines, `${f.name} in ${size}-byte chunks`).toEqual(whole.lines);
        expect(chunked.outcome).toEqual(whole.outcome);
      }
    }
  });

  it('a chunk that is a view into a larger buffer (non-zero byteOffset) reads the same', () => {
    const f = fixtures.find((x) => x.name === 'a-lo-dumpcap.pcapng')!;
    const data = load(f.path);
    const padded = new Uint8Array(data.length + 13);
    padded.set(data, 13);
    const view = padded.subarray(13);
    expect(decodeChunked(view, 1000).lines).toEqual(decodeChunked(data, data.length).lines);
  });

  it('random splits give identical reports (property)', () => {
    const sample = fixtures.filter((_, i) => i % 9 === 0);
    const baselines = new Map(sample.map((f) => {
      const data = load(f.path);
      return [f.name, { data, report: JSON.stringify(analyzeBytes(data)) }];
    }));
    fc.assert(
      fc.property(
        fc.constantFrom(...sample.map((f) => f.name)),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        (name, fractions) => {
          const { data, report } = baselines.get(name)!;
          const cuts = [...new Set(fractions.map((x) => Math.floor(x * data.length)))].sort((a, b) => a - b);
          return JSON.stringify(analyzeBytes(data, cuts)) === report;
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });
});
