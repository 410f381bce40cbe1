// The fingerprint src/workers/fingerprint.ts gives a Blob, for files and streams in Node:
// SHA-256 over the size (a big-endian float64), the first MiB and the last MiB (no overlap).
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const EDGE = 1024 * 1024;

function digest(size: number, head: Uint8Array, tail: Uint8Array): string {
  const sizeBytes = new Uint8Array(8);
  new DataView(sizeBytes.buffer).setFloat64(0, size);
  return createHash('sha256').update(sizeBytes).update(head).update(tail).digest('hex');
}

function readAt(fd: number, from: number, to: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, to - from));
  let got = 0;
  while (got < out.length) {
    const n = readSync(fd, out, got, out.length - got, from + got);
    if (n === 0) break;
    got += n;
  }
  return out.subarray(0, got);
}

/** Fingerprint and size of a regular file (two reads of at most a MiB). */
export function fingerprintFile(path: string): { fingerprint: string; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = readAt(fd, 0, Math.min(EDGE, size));
    const tail = size > EDGE ? readAt(fd, Math.max(EDGE, size - EDGE), size) : new Uint8Array(0);
    return { fingerprint: digest(size, head, tail), size };
  } finally {
    closeSync(fd);
  }
}

/** The same fingerprint of bytes seen once, in order (standard input): keeps the first and the last MiB. */
export class EdgeHasher {
  private readonly head = new Uint8Array(EDGE);
  private headLen = 0;
  /** Ring of the last EDGE bytes after the head. */
  private readonly ring = new Uint8Array(EDGE);
  private ringPos = 0;
  private ringLen = 0;
  size = 0;

  push(chunk: Uint8Array): void {
    this.size += chunk.length;
    let c = chunk;
    if (this.headLen < EDGE) {
      const n = Math.min(EDGE - this.headLen, c.length);
      this.head.set(c.subarray(0, n), this.headLen);
      this.headLen += n;
      c = c.subarray(n);
    }
    if (c.length >= EDGE) c = c.subarray(c.length - EDGE);
    for (let i = 0; i < c.length;) {
      const n = Math.min(c.length - i, EDGE - this.ringPos);
      this.ring.set(c.subarray(i, i + n), this.ringPos);
      this.ringPos = (this.ringPos + n) % EDGE;
      this.ringLen = Math.min(EDGE, this.ringLen + n);
      i += n;
    }
  }

  fingerprint(): string {
    const tail = new Uint8Array(this.ringLen);
    const start = (this.ringPos - this.ringLen + EDGE) % EDGE;
    const first = Math.min(this.ringLen, EDGE - start);
    tail.set(this.ring.subarray(start, start + first), 0);
    tail.set(this.ring.subarray(0, this.ringLen - first), first);
    return digest(this.size, this.head.subarray(0, this.headLen), tail);
  }
}
