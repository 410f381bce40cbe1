// Sorting as an index permutation over columns: a stable LSD radix sort on the keys'
// IEEE-754 bits, 11 bits a pass, keys carried along (sequential reads, 2048 write streams),
// and only over the digits that differ between keys. A million rows sort in tens of
// milliseconds with no comparator calls and no objects.

const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
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
  const s = scratchFor(n);
  let hi = s.hi, lo = s.lo, idx = s.idx;
  let hi2 = s.hi2, lo2 = s.lo2, idx2 = s.idx2;
  const f = F64;
  const u = U32;
  const flip = descending ? 0xffffffff : 0;
  let hiAnd = 0xffffffff, hiOr = 0, loAnd = 0xffffffff, loOr = 0;
  for (let i = 0; i < n; i++) {
    f[0] = keys[i]!;
    let h = u[1]!, l = u[0]!;
    // Negative numbers: all bits flipped; positive: the sign bit set. Then unsigned order = numeric order.
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else h |= 0x80000000;
    h = (h ^ flip) >>> 0;
    l = (l ^ flip) >>> 0;
    hi[i] = h;
    lo[i] = l;
    idx[i] = rows[i]!;
    hiAnd &= h; hiOr |= h; loAnd &= l; loOr |= l;
  }
  const loVary = (loAnd ^ loOr) >>> 0, hiVary = (hiAnd ^ hiOr) >>> 0;
  const counts = COUNTS;
  // Digits of the 64-bit key, least significant first: 3 of the low word, 3 of the high word.
  for (let d = 0; d < 6; d++) {
    const useHi = d >= 3;
    const shift = (d % 3) * DIGIT_BITS;
    if ((((useHi ? hiVary : loVary) >>> shift) & DIGIT_MASK) === 0) continue;
    const words = useHi ? hi : lo;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(words[i]! >>> shift) & DIGIT_MASK]++;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(words[i]! >>> shift) & DIGIT_MASK]++;
      hi2[at] = hi[i]!;
      lo2[at] = lo[i]!;
      idx2[at] = idx[i]!;
    }
    let t = hi; hi = hi2; hi2 = t;
    t = lo; lo = lo2; lo2 = t;
    t = idx; idx = idx2; idx2 = t;
  }
  return idx.slice(0, n);
}

/** 0..n-1 */
export function identity(n: number): Uint32Array<ArrayBuffer> {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

// Scratch reused by every sort (sorting is synchronous): fresh memory is slow to touch.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const COUNTS = new Uint32Array(BUCKETS);
type Scratch = { hi: Uint32Array; lo: Uint32Array; idx: Uint32Array; hi2: Uint32Array; lo2: Uint32Array; idx2: Uint32Array };
let scratch: Scratch = { hi: new Uint32Array(0), lo: new Uint32Array(0), idx: new Uint32Array(0), hi2: new Uint32Array(0), lo2: new Uint32Array(0), idx2: new Uint32Array(0) };

function scratchFor(n: number): Scratch {
  if (scratch.hi.length < n) {
    const size = Math.max(n, scratch.hi.length * 2);
    const a = () => new Uint32Array(size);
    scratch = { hi: a(), lo: a(), idx: a(), hi2: a(), lo2: a(), idx2: a() };
  }
  return scratch;
}
