// The worker side of readInWorkers: read whole files into states, send each back encoded
// (its ArrayBuffer transferred, not copied).
import type { MessagePort } from 'node:worker_threads';
import { encodeState } from '../tap/state-codec';
import { readFileState } from './read-file-state';

export const FILE_WORKER_ROLE = 'porthole-file-reader';

/** Main thread -> worker: read this file. */
export interface ReadRequest {
  index: number;
  path: string;
}

/** Worker -> main thread. */
export type ReadReply =
  | { kind: 'bytes'; index: number; bytes: number }
  | { kind: 'state'; index: number; buffer: ArrayBuffer }
  | { kind: 'error'; index: number; message: string; code: string | null; path: string | null };

/** Progress messages per file at most this often. */
const PROGRESS_MS = 100;

export function serveFileWorker(port: MessagePort): void {
  port.on('message', (req: ReadRequest) => {
    let last = 0;
    const onBytes = (bytes: number) => {
      const now = performance.now();
      if (now - last < PROGRESS_MS) return;
      last = now;
      port.postMessage({ kind: 'bytes', index: req.index, bytes } satisfies ReadReply);
    };
    readFileState(req.path, onBytes).then(
      (state) => {
        const buffer = encodeState(state);
        port.postMessage({ kind: 'state', index: req.index, buffer } satisfies ReadReply, [buffer]);
      },
      (err: NodeJS.ErrnoException) => {
        port.postMessage({ kind: 'error', index: req.index, message: err?.message ?? String(err), code: err?.code ?? null, path: err?.path ?? null } satisfies ReadReply);
      },
    );
  });
}
