// The worker side of readFiles: read whole files into states, merge them into this worker's
// own result (mergeMany), and send that back encoded when asked (its ArrayBuffer transferred,
// not copied): the main thread decodes and merges one state per worker, not one per file.
import type { MessagePort } from 'node:worker_threads';
import type { AnalysisState } from '../tap/analysis-state';
import { encodeState } from '../tap/state-codec';
import { mergeMany } from './merge-many';
import { readFileState } from './read-file-state';

export const FILE_WORKER_ROLE = 'porthole-file-reader';

/** Main thread -> worker: read these files (repeats of one capture), or send what you have. */
export type ReadRequest = { kind: 'read'; files: Array<{ index: number; path: string }> } | { kind: 'finish' };

/** Worker -> main thread. */
export type ReadReply =
  | { kind: 'bytes'; index: number; bytes: number }
  | { kind: 'read'; index: number }
  | { kind: 'group' }
  | { kind: 'state'; buffer: ArrayBuffer | null }
  | { kind: 'error'; index: number; message: string; code: string | null; path: string | null };

/** Progress messages per file at most this often. */
const PROGRESS_MS = 100;

export function serveFileWorker(port: MessagePort): void {
  let acc: AnalysisState | null = null;
  const readGroup = async (files: Array<{ index: number; path: string }>) => {
    for (const { index, path } of files) {
      let last = 0;
      const onBytes = (bytes: number) => {
        const now = performance.now();
        if (now - last < PROGRESS_MS) return;
        last = now;
        port.postMessage({ kind: 'bytes', index, bytes } satisfies ReadReply);
      };
      try {
        const state = await readFileState(path, onBytes);
        acc = acc === null ? state : mergeMany(acc, state);
        port.postMessage({ kind: 'read', index } satisfies ReadReply);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        port.postMessage({ kind: 'error', index, message: err?.message ?? String(err), code: err?.code ?? null, path: err?.path ?? null } satisfies ReadReply);
        return;
      }
    }
    port.postMessage({ kind: 'group' } satisfies ReadReply);
  };
  port.on('message', (req: ReadRequest) => {
    if (req.kind === 'finish') {
      const buffer = acc === null ? null : encodeState(acc);
      acc = null;
      port.postMessage({ kind: 'state', buffer } satisfies ReadReply, buffer ? [buffer] : []);
      return;
    }
    void readGroup(req.files);
  });
}
