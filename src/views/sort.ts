// Sorting as an index permutation over columns: stable LSD radix on the keys' IEEE-754 bits, so
// a million rows sort in tens of milliseconds with no comparator calls and no objects.

const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const SMALL = 64;

/**
 * `rows` reordered by `keys` (keys[i] belongs to rows[i]), ascending or descending; equal keys
 * keep their order (stable), so sorting by a secondary key first and then by the primary one
 * gives a two-level order.
 */
export function sortPermutation(rows: Uint32Array, keys: Float64Array, descending: boolean): Uint32Array<ArrayBuffer> {
  const n = rows.length;
  if (n < SMALL) {
    const pos = Array.from({ length: n }, (_, i) => i);
    pos.sort((i, j) => (descending ? keys[j]! - keys[i]! : keys[i]! - keys[j]!) || i - j);
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = rows[pos[i]!]!;
    return out;
  }
  const { hi, lo, a, b } = scratchFor(n);
  const f = F64;
  const u = U32;
  const flip = descending ? 0xffffffff : 0;
  for (let i = 0; i < n; i++) {
    f[0] = keys[i]!;
    let h = u[1]!, l = u[0]!;
    // Negative numbers: all bits flipped; positive: the sign bit set. Then unsigned order = numeric order.
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else h |= 0x80000000;
    hi[i] = (h ^ flip) >>> 0;
    lo[i] = (l ^ flip) >>> 0;
  }
  let src = a;
  for (let i = 0; i < n; i++) src[i] = i;
  let dst = b;
  const counts = COUNTS;
  for (let pass = 0; pass < 4; pass++) {
    const words = pass < 2 ? lo : hi;
    const shift = (pass & 1) * DIGIT_BITS;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(words[i]! >>> shift) & 0xffff]++;
    if (counts[(words[0]! >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const p = src[i]!;
      dst[counts[(words[p]! >>> shift) & 0xffff]++] = p;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = rows[src[i]!]!;
  return out;
}

// Scratch reused by every sort (sorting is synchronous): fresh memory is slow to touch.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const COUNTS = new Uint32Array(BUCKETS);
let scratch = { hi: new Uint32Array(0), lo: new Uint32Array(0), a: new Uint32Array(0), b: new Uint32Array(0) };

function scratchFor(n: number): typeof scratch {
  if (scratch.hi.length < n) {
    const size = Math.max(n, scratch.hi.length * 2);
    scratch = { hi: new Uint32Array(size), lo: new Uint32Array(size), a: new Uint32Array(size), b: new Uint32Array(size) };
  }
  return scratch;
}

/** 0..n-1 */
export function identity(n: number): Uint32Array<ArrayBuffer> {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
