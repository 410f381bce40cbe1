// Counter-based randomness for the flow shapes: every value is a pure function of
// (seed, id, salt), so a flow's details are recomputed at each of its packets instead of being
// stored. That keeps the generator's memory constant however many flows it writes.

/** A 32-bit integer hash that is a bijection (Wellons' lowbias32). */
export function mix32(x) {
  x ^= x >>> 16; x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15; x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** `(id, salt) => uint32` for one seed; ids and salts below 2^32. */
export function makeHash(seed) {
  const key = mix32((seed >>> 0) ^ 0x9e3779b9);
  return (id, salt) => mix32(mix32((id ^ key) >>> 0) ^ Math.imul(salt + 1, 0x85ebca6b));
}

export const unit = (h) => h / 4294967296;

/** A keyed bijection of [0, n): spreads hosts over an address block, visits clients in random order. */
export class Permutation {
  constructor(n, key) {
    let bits = 1;
    while (2 ** bits < n) bits++;
    if (bits > 30) throw new Error(`permutation of ${n} is too large`);
    this.n = n;
    this.mask = 2 ** bits - 1;
    this.shift = (bits >> 1) || 1;
    this.k0 = mix32(key); this.k1 = mix32(key + 1); this.k2 = mix32(key + 2);
  }

  /** Cycle-walking: permute over the next power of two until the value falls inside [0, n). */
  apply(x) {
    const { mask: m, shift: s } = this;
    do {
      x = (Math.imul(x, 0x2c1b3c6d) + this.k0) & m; x ^= x >>> s;
      x = (Math.imul(x, 0x297a2d39) + this.k1) & m; x ^= x >>> s;
      x = (Math.imul(x, 0x5bd1e995) + this.k2) & m; x ^= x >>> s;
    } while (x >= this.n);
    return x;
  }
}

// Distributions by table lookup on the top 16 bits of a hash (no Math.log/exp per packet).
const EXP = new Float64Array(65536).map((_, k) => -Math.log((k + 0.5) / 65536));

/** Exponentially distributed whole microseconds with the given mean (Poisson arrivals). */
export const expUs = (h, meanUs) => Math.round(EXP[h >>> 16] * meanUs);

/** A table of 65536 values log-uniform in [lo, hi): index it with the top 16 bits of a hash. */
export const logUniformTable = (lo, hi) => new Float64Array(65536).map((_, k) => Math.round(lo * Math.exp(((k + 0.5) / 65536) * Math.log(hi / lo))));
