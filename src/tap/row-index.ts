/**
 * Open-addressing hash from fixed-width uint32 keys to dense row numbers (0, 1, 2, ...).
 * Keys live in one growing Uint32Array and each row's hash is kept, so a table of millions
 * of rows is a few typed arrays, not millions of objects; lookups and inserts allocate
 * nothing, and growing never hashes a key again.
 */
export class RowIndex {
  /** keys[row * width .. row * width + width) */
  keys: Uint32Array<ArrayBuffer>;
  rows = 0;
  /** Per slot two words: row + 1 (0 when empty) and the key's hash, together in one cache line. */
  private slots: Int32Array<ArrayBuffer>;
  /** Slots - 1 (a power of two minus one). */
  private mask: number;
  /** Slot where the last unsuccessful lookup ended (where its key would go). */
  private freeSlot = -1;
  isNew = false;

  constructor(readonly width: number, initialRows = 1024, private readonly hashOf: (key: Uint32Array) => number = (k) => hashKey(k, width)) {
    const rows = Math.max(16, initialRows);
    this.keys = new Uint32Array(rows * width);
    let size = 32;
    while (size < rows * 2) size *= 2;
    this.slots = new Int32Array(size * 2);
    this.mask = size - 1;
  }

  /** Row of the key in `key[0..width)`, or -1 (remembering where it would go). */
  find(key: Uint32Array, hash: number): number {
    const w = this.width;
    const keys = this.keys;
    const slots = this.slots;
    const mask = this.mask;
    const h = hash | 0;
    let i = h & mask;
    for (;;) {
      const s = slots[2 * i]!;
      if (s === 0) {
        this.freeSlot = i;
        return -1;
      }
      if (slots[2 * i + 1] === h) {
        const row = s - 1;
        let k = row * w;
        let j = 0;
        while (j < w && keys[k] === key[j]) {
          k++;
          j++;
        }
        if (j === w) return row;
      }
      i = (i + 1) & mask;
    }
  }

  /** Row of the key, inserting it when new (`isNew` tells which). */
  findOrInsert(key: Uint32Array, hash: number): number {
    const found = this.find(key, hash);
    if (found >= 0) {
      this.isNew = false;
      return found;
    }
    this.isNew = true;
    return this.insertAfterMiss(key, hash);
  }

  /** Insert a key that `find` just missed (no other change in between). */
  insertAfterMiss(key: Uint32Array, hash: number): number {
    const row = this.rows++;
    const w = this.width;
    if ((row + 1) * w > this.keys.length) this.keys = grow(this.keys, (row + 1) * w);
    const keys = this.keys;
    const at = row * w;
    for (let j = 0; j < w; j++) keys[at + j] = key[j]!;
    this.slots[2 * this.freeSlot] = row + 1;
    this.slots[2 * this.freeSlot + 1] = hash | 0;
    if (this.rows * 2 > this.mask + 1) this.rehash();
    return row;
  }

  /** Insert `rows` keys from `keys` (a saved table); false when a key repeats. */
  load(keys: Uint32Array, rows: number): boolean {
    const key = new Uint32Array(this.width);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < this.width; j++) key[j] = keys[r * this.width + j]!;
      this.findOrInsert(key, this.hashOf(key));
      if (!this.isNew) return false;
    }
    return true;
  }

  /** Twice the slots (load stays between 1/4 and 1/2: few probes, little memory touched). */
  private rehash(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size * 2);
    const mask = size - 1;
    for (let o = 0; o < old.length; o += 2) {
      const s = old[o]!;
      if (s === 0) continue;
      const h = old[o + 1]!;
      let i = h & mask;
      while (slots[2 * i] !== 0) i = (i + 1) & mask;
      slots[2 * i] = s;
      slots[2 * i + 1] = h;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** 32-bit hash of key[0..width): multiply-xorshift per word (no allocation). */
export function hashKey(key: Uint32Array, width: number): number {
  let h = 0x811c9dc5 ^ width;
  for (let i = 0; i < width; i++) {
    h = Math.imul(h ^ key[i]!, 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  // 30 bits: a small integer V8 never boxes when it crosses a call.
  return h & 0x3fffffff;
}

/**
 * New length for a column that must hold `rows`: eight times larger each step. Memory that is
 * allocated but not yet written costs nothing (the OS maps zero pages lazily), while every
 * copy touches the old contents again: growing by 8 copies a seventh of the final size, not
 * as much again as doubling does (measured: half the CPU time and 60 % of the RSS).
 */
export function grownLength(length: number, rows: number): number {
  let n = length || 1;
  while (n < rows) n *= 8;
  return n;
}

/** A typed-array column grown (see grownLength) so it holds at least `rows` entries. */
export function grow<T extends Float64Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Uint16Array<ArrayBuffer>>(a: T, rows: number): T {
  if (rows <= a.length) return a;
  const n = grownLength(a.length, rows);
  const b = new (a.constructor as new (length: number) => T)(n);
  b.set(a as never);
  return b;
}
