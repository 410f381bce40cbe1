import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** Read size per chunk: large enough to amortize syscalls, small enough to stay cache-friendly. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

export interface ByteSource {
  name: string;
  /** Size in bytes when known (not for standard input). */
  size: number | null;
  stream: ReadableStream<Uint8Array>;
}

/** Open a file (or "-" for standard input) as a stream of chunks; never reads it whole. */
export async function openByteSource(path: string): Promise<ByteSource> {
  if (path === '-') {
    return { name: 'standard input', size: null, stream: Readable.toWeb(process.stdin) as ReadableStream<Uint8Array> };
  }
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  let position = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buf = new Uint8Array(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buf, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) {
        await handle.close();
        controller.close();
        return;
      }
      position += bytesRead;
      controller.enqueue(bytesRead === CHUNK_BYTES ? buf : buf.subarray(0, bytesRead));
    },
    async cancel() {
      await handle.close();
    },
  }, { highWaterMark: 2 });
  return { name: path, size, stream };
}

/**
 * Fast path for a regular, uncompressed file: synchronous reads into one reused buffer,
 * pushed straight into the reader (which copies only a record that straddles two reads).
 * Returns null when the file is gzip-compressed or not a regular file (use the stream path).
 */
export function readPlainFileSync(path: string, push: (chunk: Uint8Array) => void, onChunk?: () => void): { size: number } | null {
  if (path === '-') return null;
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return null;
    const buf = new Uint8Array(CHUNK_BYTES);
    let pos = 0;
    let first = true;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, pos);
      if (n === 0) break;
      if (first) {
        first = false;
        if (n >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return null;
      }
      pos += n;
      push(n === CHUNK_BYTES ? buf : buf.subarray(0, n));
      onChunk?.();
    }
    return { size: info.size };
  } finally {
    closeSync(fd);
  }
}
