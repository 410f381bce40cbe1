import type { ReadOutcome } from './capture-info';
import type { CaptureReader } from './capture-reader';

export interface ReadOptions {
  signal?: AbortSignal;
  /** Called after each chunk with the bytes taken from the source (compressed bytes for gzip). */
  onChunk?: (sourceBytes: number) => void;
  /** Look for the gzip magic at the start (false for a part in the middle of a file). */
  sniffGzip?: boolean;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Feed a byte stream to a CaptureReader, decompressing it on the way when it starts with
 * the gzip magic (never judged by file name). Resolves with how reading ended; never
 * rejects for bad input.
 */
export async function readCaptureStream(
  source: ReadableStream<Uint8Array>, reader: CaptureReader, options: ReadOptions = {},
): Promise<ReadOutcome> {
  const { signal, onChunk } = options;
  // Source bytes are counted where they are read: no extra stream stage per chunk.
  let sourceBytes = 0;
  const rawReader = source.getReader();
  const sourceReader = {
    async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
      const r = await rawReader.read();
      if (!r.done) sourceBytes += r.value.byteLength;
      return r;
    },
    cancel: (reason?: unknown) => rawReader.cancel(reason),
  };
  // Look at the first two bytes to tell gzip apart, however the source chunks them.
  const head: Uint8Array[] = [];
  let headLen = 0;
  let done = false;
  while (headLen < 2) {
    const r = await sourceReader.read();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
    headLen += r.value.byteLength;
  }
  const first = concatHead(head, headLen);
  const gzip = options.sniffGzip !== false && headLen >= 2 && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1;
  reader.info.gzip = gzip;

  let bytes: { read(): Promise<ReadableStreamReadResult<Uint8Array>>; cancel(reason?: unknown): Promise<void> };
  if (gzip) {
    const replay = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(first);
        if (done) controller.close();
      },
      async pull(controller) {
        const r = await sourceReader.read();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      },
      cancel(reason) {
        return sourceReader.cancel(reason);
      },
    });
    bytes = replay.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>).getReader();
  } else {
    if (headLen > 0) reader.push(first);
    onChunk?.(sourceBytes);
    if (done) return reader.end();
    bytes = sourceReader;
  }

  try {
    for (;;) {
      if (signal?.aborted) {
        await bytes.cancel().catch(() => undefined);
        return reader.cancel();
      }
      const r = await bytes.read();
      if (r.done) break;
      reader.push(r.value);
      onChunk?.(sourceBytes);
      if (reader.failed) {
        await bytes.cancel().catch(() => undefined);
        break;
      }
    }
  } catch (err) {
    if (signal?.aborted) return reader.cancel();
    if (gzip) return reader.sourceFailed('gzip-error', err instanceof Error ? err.message : String(err));
    throw err;
  }
  return reader.end();
}

function concatHead(parts: Uint8Array[], len: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
