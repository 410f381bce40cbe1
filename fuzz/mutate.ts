// Seeded, reproducible mutations of real captures, aimed at what parsers get wrong: length fields.

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed >>> 0) || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.s = x;
    return x / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

/** Places worth hitting: record/block length fields and IP/TCP header bytes of real packets. */
export interface Targets {
  lengthFields: number[];
  headerBytes: number[];
  recordStarts: number[];
}

export const MUTATIONS = ['random-bytes', 'bit-flips', 'insert', 'delete', 'truncate-at-record', 'length-field', 'header-field', 'random-file'] as const;
export type Mutation = (typeof MUTATIONS)[number];

const INTERESTING = [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 20, 24, 28, 32, 40, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fffffff, 0xffffffff, 0xfffffffc];

export function mutate(input: Uint8Array, targets: Targets, rng: Rng, kind: Mutation): Uint8Array {
  const data = input.slice();
  switch (kind) {
    case 'random-bytes': {
      for (let i = 0, n = 1 + rng.int(8); i < n && data.length; i++) data[rng.int(data.length)] = rng.int(256);
      return data;
    }
    case 'bit-flips': {
      for (let i = 0, n = 1 + rng.int(16); i < n && data.length; i++) data[rng.int(data.length)] ^= 1 << rng.int(8);
      return data;
    }
    case 'insert': {
      const at = rng.int(data.length + 1);
      const extra = Uint8Array.from({ length: 1 + rng.int(64) }, () => rng.int(256));
      const out = new Uint8Array(data.length + extra.length);
      out.set(data.subarray(0, at));
      out.set(extra, at);
      out.set(data.subarray(at), at + extra.length);
      return out;
    }
    case 'delete': {
      const at = rng.int(data.length + 1);
      const n = 1 + rng.int(64);
      const out = new Uint8Array(Math.max(0, data.length - n));
      out.set(data.subarray(0, at).subarray(0, out.length));
      if (at < out.length) out.set(data.subarray(at + n), at);
      return out;
    }
    case 'truncate-at-record': {
      const starts = targets.recordStarts;
      const cut = starts.length ? rng.pick(starts) + rng.int(3) * rng.int(20) : rng.int(data.length + 1);
      return data.subarray(0, Math.min(cut, data.length));
    }
    case 'length-field': {
      if (!targets.lengthFields.length) return mutate(input, targets, rng, 'bit-flips');
      const at = rng.pick(targets.lengthFields);
      const v = rng.next() < 0.7 ? rng.pick(INTERESTING) : rng.int(0x100000);
      for (let i = 0; i < 4 && at + i < data.length; i++) data[at + i] = (v >>> (8 * i)) & 0xff;
      if (rng.next() < 0.5) for (let i = 0; i < 4 && at + i < data.length; i++) data[at + i] = (v >>> (8 * (3 - i))) & 0xff;
      return data;
    }
    case 'header-field': {
      if (!targets.headerBytes.length) return mutate(input, targets, rng, 'random-bytes');
      for (let i = 0, n = 1 + rng.int(3); i < n; i++) {
        const at = rng.pick(targets.headerBytes) + rng.int(48);
        if (at < data.length) data[at] = rng.next() < 0.5 ? rng.pick(INTERESTING) & 0xff : rng.int(256);
      }
      return data;
    }
    case 'random-file':
      return Uint8Array.from({ length: rng.int(4096) }, () => rng.int(256));
  }
}
