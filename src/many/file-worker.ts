// The worker side of readFiles: read whole files into states, merge them into this worker's
// own result (mergeMany), and send that back encoded when asked (its ArrayBuffer transferred,
// not copied): the main thread decodes and merges one state per worker, not one per file.
import type { MessagePort } from 'node:worker_threads';
import type { AnalysisState } from '../tap/analysis-state';
import { encodeState } from '../tap/state-codec';
import { mergeMany } from './merge-many';
import { readFileState } from './read-file-state';

export const FILE_WORKER_ROLE = 'porthole-file-reader';

/** Main thread -> worker: read this file, or send what you have. */
export type ReadRequest = { kind: 'read'; index: number; path: string } | { kind: 'finish' };

/** Worker -> main thread. */
export type ReadReply =
  | { kind: 'bytes'; index: number; bytes: number }
  | { kind: 'read'; index: number }
  | { kind: 'state'; buffer: ArrayBuffer | null }
  | { kind: 'error'; index: number; message: string; code: string | null; path: string | null };

/** Progress messages per file at most this often. */
const PROGRESS_MS = 100;

export function serveFileWorker(port: MessagePort): void {
  let acc: AnalysisState | null = null;
  port.on('message', (req: ReadRequest) => {
    if (req.kind === 'finish') {
      const buffer = acc === null ? null : encodeState(acc);
      acc = null;
      port.postMessage({ kind: 'state', buffer } satisfies ReadReply, buffer ? [buffer] : []);
      return;
    }
    let last = 0;
    const onBytes = (bytes: number) => {
      const now = performance.now();
      if (now - last < PROGRESS_MS) return;
      last = now;
      port.postMessage({ kind: 'bytes', index: req.index, bytes } satisfies ReadReply);
    };
    readFileState(req.path, onBytes).then(
      (state) => {
        acc = acc === null ? state : mergeMany(acc, state);
        port.postMessage({ kind: 'read', index: req.index } satisfies ReadReply);
      },
      (err: NodeJS.ErrnoException) => {
        port.postMessage({ kind: 'error', index: req.index, message: err?.message ?? String(err), code: err?.code ?? null, path: err?.path ?? null } satisfies ReadReply);
      },
    );
  });
}
