import { readCaptureStream } from '../decoder/stream-reader';
import type { AnalysisState } from '../tap/analysis-state';
import { captureTap } from '../tap/read-capture';
import { openByteSource, readPlainFileSync } from '../cli/file-source';
import { fileEntryOf } from './file-entry';
import { EdgeHasher, fingerprintFile } from './fingerprint-file';

/** Bytes of the file read so far (for progress), called once per chunk. */
export type OnBytes = (bytesRead: number) => void;

/**
 * Read one capture file ("-": standard input) into a state whose file list is that file:
 * plain files pushed synchronously (the fast path of `porthole analyze`), gzip and standard
 * input through streams.
 */
export async function readFileState(path: string, onBytes?: OnBytes): Promise<AnalysisState> {
  if (path === '-') return readStdin(onBytes);
  const { fingerprint, size } = fingerprintFile(path);
  let t = captureTap({ name: path, size });
  let read = 0;
  const plain = readPlainFileSync(path, (chunk) => {
    read += chunk.length;
    t.reader.push(chunk);
  }, onBytes && (() => onBytes(read)));
  let state: AnalysisState;
  if (plain) {
    t.tap.state.source.size = plain.size;
    state = t.finish(t.reader.end());
  } else {
    const source = await openByteSource(path);
    t = captureTap({ name: path, size: source.size });
    state = t.finish(await readCaptureStream(counting(source.stream, onBytes), t.reader));
  }
  state.files = [fileEntryOf(state, path, size, fingerprint)];
  return state;
}

async function readStdin(onBytes?: OnBytes): Promise<AnalysisState> {
  const source = await openByteSource('-');
  const hasher = new EdgeHasher();
  const t = captureTap({ name: source.name, size: null });
  const stream = source.stream.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) {
      hasher.push(chunk);
      onBytes?.(hasher.size);
      c.enqueue(chunk);
    },
  }));
  const state = t.finish(await readCaptureStream(stream, t.reader));
  state.files = [fileEntryOf(state, source.name, hasher.size, hasher.fingerprint())];
  return state;
}

function counting(stream: ReadableStream<Uint8Array>, onBytes?: OnBytes): ReadableStream<Uint8Array> {
  if (!onBytes) return stream;
  let n = 0;
  return stream.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) {
      n += chunk.length;
      onBytes(n);
      c.enqueue(chunk);
    },
  }));
}
