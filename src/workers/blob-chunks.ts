/**
 * Bytes [start, end) of a Blob as a stream. The browser's own Blob stream is the fastest
 * reader here (measured in Chromium: ~1.4x 4 MiB slice().arrayBuffer() reads), and it reads
 * ahead while we decode. (A BYOB reader into a reused buffer was faster still, but in Chromium
 * 156 it left later reads of another File hanging after a split analysis: not used.)
 */
export function blobStream(blob: Blob, start = 0, end = blob.size): ReadableStream<Uint8Array> {
  return (start === 0 && end === blob.size ? blob : blob.slice(start, end)).stream() as ReadableStream<Uint8Array>;
}

/** Read bytes [start, end) of a Blob at once (small reads only: headers, boundary windows). */
export async function readRange(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, Math.min(end, blob.size)).arrayBuffer());
}
