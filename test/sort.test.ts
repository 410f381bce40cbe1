// The radix permutation sort against a plain stable comparator sort, on the keys views use.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identity, sortPermutation } from '../src/views/sort';

const reference = (rows: number[], keys: number[], descending: boolean) =>
  rows.map((r, i) => [r, keys[i]!, i] as const)
    .sort((a, b) => (descending ? b[1] - a[1] : a[1] - b[1]) || a[2] - b[2]).map(([r]) => r);

describe('sortPermutation', () => {
  it('equals a stable comparator sort for any keys, small and large inputs, both directions (property)', () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: -1e6, max: 1e6 }), fc.double({ noNaN: true }),
      fc.constantFrom(Infinity, -Infinity, 0, -0, 2 ** 52, 2 ** 32 + 1, 1e-300));
    fc.assert(fc.property(fc.array(key, { minLength: 0, maxLength: 400 }), fc.boolean(), (keys, descending) => {
      const rows = keys.map((_, i) => 1000 + i);
      const got = [...sortPermutation(Uint32Array.from(rows), Float64Array.from(keys), descending)];
      expect(got).toEqual(reference(rows, keys.map((k) => (Object.is(k, -0) ? 0 : k)), descending));
    }), { numRuns: 300, seed: 3 });
  });

  it('sorts a million rows by a key with many equal values, stably', () => {
    const n = 1_000_000;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (i * 7919) % 1000;
    const order = sortPermutation(identity(n), keys, false);
    expect(order.length).toBe(n);
    let ok = true;
    for (let i = 1; i < n && ok; i++) {
      const a = order[i - 1]!, b = order[i]!;
      ok = keys[a]! < keys[b]! || (keys[a] === keys[b] && a < b);
    }
    expect(ok).toBe(true);
  });
});
