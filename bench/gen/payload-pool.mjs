// Payload bytes for the flow shapes: a fixed protocol prefix (a DNS header, a TLS record header,
// an HTTP request line) followed by seeded random bytes copied from one 64 KiB pool.

const POOL_BYTES = 64 * 1024;

export class PayloadPool {
  constructor(hash) {
    this.pool = Buffer.alloc(POOL_BYTES + 2048);
    for (let i = 0; i < this.pool.length; i += 4) this.pool.writeUInt32LE(hash(i, 77), i);
  }

  /** Write `len` bytes at `o`: `prefix` (a Buffer), then pool bytes from a place chosen by `h`. */
  fill(b, o, len, prefix, h) {
    const p = prefix === null ? 0 : Math.min(prefix.length, len);
    if (p > 0) copy(prefix, 0, b, o, p);
    if (len > p) copy(this.pool, h % POOL_BYTES, b, o + p, len - p);
    return o + len;
  }
}

export const bytes = (...parts) => Buffer.concat(parts.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : Buffer.from(x))));

/** Short copies by hand: Buffer#copy's argument checks cost more than copying a few dozen bytes. */
function copy(src, from, dst, to, len) {
  if (len >= 96) { src.copy(dst, to, from, from + len); return; }
  for (let j = 0; j < len; j++) dst[to + j] = src[from + j];
}
