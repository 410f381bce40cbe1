/**
 * Open-addressing hash from fixed-width uint32 keys to dense row numbers (0, 1, 2, ...).
 * Keys live in one growing Uint32Array and each row's hash is kept, so a table of millions
 * of rows is a few typed arrays, not millions of objects; lookups and inserts allocate
 * nothing, and growing never hashes a key again.
 */
export class RowIndex {
  /** keys[row * width .. row * width + width) */
  keys: Uint32Array<ArrayBuffer>;
  /** The hash of each row's key. */
  private hashes: Uint32Array<ArrayBuffer>;
  rows = 0;
  /** Row + 1 per slot, 0 when empty. */
  private slots: Int32Array<ArrayBuffer>;
  private mask: number;
  /** Slot where the last unsuccessful lookup ended (where its key would go). */
  private freeSlot = -1;
  isNew = false;

  constructor(readonly width: number, initialRows = 1024, private readonly hashOf: (key: Uint32Array) => number = (k) => hashKey(k, width)) {
    const rows = Math.max(16, initialRows);
    this.keys = new Uint32Array(rows * width);
    this.hashes = new Uint32Array(rows);
    let size = 32;
    while (size < rows * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Row of the key in `key[0..width)`, or -1 (remembering where it would go). */
  find(key: Uint32Array, hash: number): number {
    const w = this.width;
    const keys = this.keys;
    const slots = this.slots;
    const mask = this.mask;
    let i = hash & mask;
    for (;;) {
      const s = slots[i]!;
      if (s === 0) {
        this.freeSlot = i;
        return -1;
      }
      const row = s - 1;
      if (this.hashes[row] === hash >>> 0) {
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
    if (row >= this.hashes.length) this.growRows();
    const keys = this.keys;
    const at = row * w;
    for (let j = 0; j < w; j++) keys[at + j] = key[j]!;
    this.hashes[row] = hash;
    this.slots[this.freeSlot] = row + 1;
    if (this.rows * 2 > this.slots.length) this.rehash();
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

  private growRows(): void {
    const n = this.hashes.length * 2;
    const keys = new Uint32Array(n * this.width);
    keys.set(this.keys);
    this.keys = keys;
    const hashes = new Uint32Array(n);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    const hashes = this.hashes;
    for (let row = 0; row < this.rows; row++) {
      let i = hashes[row]! & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = row + 1;
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
