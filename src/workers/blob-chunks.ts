/** Chunk size for reading files: big enough to amortize calls, small enough to cancel quickly. */
export const BLOB_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Bytes [start, end) of a Blob as a stream. The browser's own Blob stream is the fastest
 * reader here (measured in Chromium: ~1.4x 4 MiB slice().arrayBuffer() reads), and reading it
 * with a BYOB reader into 4 MiB buffers is faster again (fewer, larger chunks, less garbage).
 * With `reuse`, one buffer serves every read: only for a consumer that is done with a chunk
 * before it asks for the next (the capture reader copies what it keeps), never for gzip.
 */
export function blobStream(blob: Blob, start = 0, end = blob.size, reuse = false): ReadableStream<Uint8Array> {
  const stream = (start === 0 && end === blob.size ? blob : blob.slice(start, end)).stream() as ReadableStream<Uint8Array>;
  let byob: ReadableStreamBYOBReader;
  try {
    byob = (stream as ReadableStream<Uint8Array> & { getReader(o: { mode: 'byob' }): ReadableStreamBYOBReader }).getReader({ mode: 'byob' });
  } catch {
    return stream;
  }
  let buf = new ArrayBuffer(BLOB_CHUNK_BYTES);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await byob.read(new Uint8Array(reuse ? buf : new ArrayBuffer(BLOB_CHUNK_BYTES)));
      if (done || !value) {
        controller.close();
        return;
      }
      if (reuse) buf = value.buffer as ArrayBuffer;
      controller.enqueue(value);
    },
    cancel(reason) {
      return byob.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/**
 * Bytes [start, end) of a Blob as a stream of chunks, with a few `slice().arrayBuffer()` reads
 * in flight so decoding overlaps with reading. Never holds more than `inFlight` chunks.
 */
export function blobChunks(blob: Blob, start = 0, end = blob.size, chunkBytes = BLOB_CHUNK_BYTES, inFlight = 3): ReadableStream<Uint8Array> {
  let next = start;
  const pending: Array<Promise<ArrayBuffer>> = [];
  const fill = () => {
    while (pending.length < inFlight && next < end) {
      const to = Math.min(end, next + chunkBytes);
      pending.push(blob.slice(next, to).arrayBuffer());
      next = to;
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      fill();
      const head = pending.shift();
      if (head === undefined) {
        controller.close();
        return;
      }
      const buf = await head;
      fill();
      controller.enqueue(new Uint8Array(buf));
    },
    cancel() {
      pending.length = 0;
      next = end;
    },
  }, { highWaterMark: 0 });
}

/** Read bytes [start, end) of a Blob at once (small reads only: headers, boundary windows). */
export async function readRange(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, Math.min(end, blob.size)).arrayBuffer());
}
