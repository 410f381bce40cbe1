/**
 * Open-addressing hash from fixed-width uint32 keys to dense row numbers (0, 1, 2, ...).
 * Keys live in one growing Uint32Array, so a table of millions of rows is a few typed
 * arrays, not millions of objects; lookups allocate nothing.
 */
export class RowIndex {
  /** keys[row * width .. row * width + width) */
  keys: Uint32Array<ArrayBuffer>;
  rows = 0;
  private slots: Int32Array<ArrayBuffer>;
  private mask: number;

  constructor(readonly width: number, initialRows = 1024, private readonly hashOf: (key: Uint32Array) => number = (k) => hashKey(k, width)) {
    this.keys = new Uint32Array(initialRows * width);
    this.slots = new Int32Array(initialRows * 2).fill(-1);
    this.mask = this.slots.length - 1;
  }

  /** Row of the key in `key[0..width)`, or -1. */
  find(key: Uint32Array, hash: number): number {
    const w = this.width;
    const keys = this.keys;
    const slots = this.slots;
    let i = hash & this.mask;
    for (;;) {
      const row = slots[i]!;
      if (row < 0) return -1;
      let k = row * w;
      let j = 0;
      while (j < w && keys[k] === key[j]) {
        k++;
        j++;
      }
      if (j === w) return row;
      i = (i + 1) & this.mask;
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
    const row = this.rows++;
    if ((row + 1) * this.width > this.keys.length) this.growKeys();
    this.keys.set(key.subarray(0, this.width), row * this.width);
    if (this.rows * 2 > this.slots.length) this.rehash();
    else this.place(row, hash);
    return row;
  }

  isNew = false;

  /** Insert `rows` keys from `keys` (a saved table); false when a key repeats. */
  load(keys: Uint32Array, rows: number): boolean {
    const key = new Uint32Array(this.width);
    for (let r = 0; r < rows; r++) {
      key.set(keys.subarray(r * this.width, (r + 1) * this.width));
      this.findOrInsert(key, this.hashOf(key));
      if (!this.isNew) return false;
    }
    return true;
  }

  private place(row: number, hash: number): void {
    let i = hash & this.mask;
    while (this.slots[i]! >= 0) i = (i + 1) & this.mask;
    this.slots[i] = row;
  }

  private growKeys(): void {
    const bigger = new Uint32Array(this.keys.length * 2);
    bigger.set(this.keys);
    this.keys = bigger;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    const w = this.width;
    const scratch = new Uint32Array(w);
    for (let row = 0; row < this.rows; row++) {
      scratch.set(this.keys.subarray(row * w, row * w + w));
      this.place(row, this.hashOf(scratch));
    }
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
  return h >>> 0;
}

/** Double a typed-array column (doubling) so it holds at least `rows` entries. */
export function grow<T extends Float64Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Uint16Array<ArrayBuffer>>(a: T, rows: number): T {
  if (rows <= a.length) return a;
  let n = a.length || 1;
  while (n < rows) n *= 2;
  const b = new (a.constructor as new (length: number) => T)(n);
  b.set(a as never);
  return b;
}
