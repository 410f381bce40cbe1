import { formatAddress } from '../net/address';
import { hashKey, RowIndex } from '../tap/row-index';
import { sortPermutation } from './sort';

const WIDTH = 5;

/**
 * Addresses interned to dense ids (version + four words), so views count and compare
 * integers; text is made only for an address someone looks at, and kept once made.
 */
export class AddressBook {
  readonly index = new RowIndex(WIDTH, 1024, (k) => hashKey(k, WIDTH));
  private readonly key = new Uint32Array(WIDTH);
  private readonly texts: Array<string | undefined> = [];
  private rankCache: Uint32Array | null = null;

  get size(): number {
    return this.index.rows;
  }

  /** Id of the address in words[at..at+3] (IPv4: words[at] only). */
  idOf(version: number, words: ArrayLike<number>, at: number): number {
    const k = this.key;
    k[0] = version;
    k[1] = words[at]!;
    k[2] = version === 4 ? 0 : words[at + 1]!;
    k[3] = version === 4 ? 0 : words[at + 2]!;
    k[4] = version === 4 ? 0 : words[at + 3]!;
    const id = this.index.findOrInsert(k, hashKey(k, WIDTH));
    if (this.index.isNew) this.rankCache = null;
    return id;
  }

  version(id: number): 4 | 6 {
    return this.index.keys[id * WIDTH] === 4 ? 4 : 6;
  }

  /** Word i (0..3) of an address. */
  word(id: number, i: number): number {
    return this.index.keys[id * WIDTH + 1 + i]!;
  }

  text(id: number): string {
    let t = this.texts[id];
    if (t === undefined) {
      t = formatAddress(this.version(id), this.index.keys, id * WIDTH + 1);
      this.texts[id] = t;
    }
    return t;
  }

  /** Rank of each id in address order (IPv4 before IPv6, then numerically). */
  ranks(): Uint32Array {
    if (this.rankCache) return this.rankCache;
    const n = this.size;
    const ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) ids[i] = i;
    // Sort by the words from least to most significant (stable), then by version.
    let order = ids;
    const keys = new Float64Array(n);
    for (let w = WIDTH - 1; w >= 0; w--) {
      for (let i = 0; i < n; i++) keys[i] = this.index.keys[order[i]! * WIDTH + w]!;
      order = sortPermutation(order, keys, false);
    }
    const ranks = new Uint32Array(n);
    for (let i = 0; i < n; i++) ranks[order[i]!] = i;
    this.rankCache = ranks;
    return ranks;
  }
}
