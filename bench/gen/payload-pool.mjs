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
    if (p > 0) prefix.copy(b, o, 0, p);
    if (len > p) { const at = h % POOL_BYTES; this.pool.copy(b, o + p, at, at + len - p); }
    return o + len;
  }
}

export const bytes = (...parts) => Buffer.concat(parts.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : Buffer.from(x))));
