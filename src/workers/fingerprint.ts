import { readRange } from './blob-chunks';

const EDGE = 1024 * 1024;

/**
 * Identify a capture without hashing all of it: SHA-256 over its size, first MiB and last MiB.
 * Enough to recognize the same file saved twice; cheap even for huge captures.
 */
export async function fingerprintBlob(file: Blob): Promise<string> {
  const size = new Uint8Array(8);
  new DataView(size.buffer).setFloat64(0, file.size);
  const head = await readRange(file, 0, EDGE);
  const tail = file.size > EDGE ? await readRange(file, Math.max(EDGE, file.size - EDGE), file.size) : new Uint8Array(0);
  const all = new Uint8Array(size.length + head.length + tail.length);
  all.set(size, 0);
  all.set(head, size.length);
  all.set(tail, size.length + head.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
