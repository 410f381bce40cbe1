import { Worker } from 'node:worker_threads';
import type { AnalysisState } from '../tap/analysis-state';
import { decodeState } from '../tap/state-codec';
import { FILE_WORKER_ROLE, type ReadReply } from './file-worker';
import { readFileState } from './read-file-state';

export interface PoolEvents {
  /** Bytes read so far of file `index`. */
  onBytes?(index: number, bytes: number): void;
  /** File `index` is read: its state (one file in its list). Called on the main thread, one at a time. */
  onState(index: number, state: AnalysisState): void;
  /** Milliseconds the main thread spent decoding a state a worker sent. */
  onDecoded?(ms: number): void;
}

/** A file could not be read at all (not a damaged capture: that is a state with its outcome). */
export class ReadError extends Error {
  constructor(message: string, readonly code: string | null, readonly path: string | null) {
    super(message);
  }
}

/**
 * Read files into states, `jobs` at a time: with one job in this thread, else in worker
 * threads running `script` (the bundled CLI), each reading whole files and sending back its
 * encoded state. Files are handed out in the order given, the next to whichever worker is free.
 */
export async function readFiles(paths: readonly string[], jobs: number, script: URL | string, events: PoolEvents): Promise<void> {
  if (jobs <= 1 || paths.length <= 1) {
    for (let i = 0; i < paths.length; i++) {
      events.onState(i, await readFileState(paths[i]!, events.onBytes && ((b) => events.onBytes!(i, b))));
    }
    return;
  }
  // Standard input belongs to this thread: read it here while the workers read files.
  const stdin = paths.indexOf('-');
  const own = stdin < 0 ? Promise.resolve() : readFileState('-', events.onBytes && ((b) => events.onBytes!(stdin, b))).then((s) => events.onState(stdin, s));
  const queue = paths.map((_, i) => i).filter((i) => i !== stdin);
  let next = 0;
  let failed: Error | null = null;
  const workers = Array.from({ length: Math.min(jobs, queue.length) }, () => new Worker(script, { workerData: { role: FILE_WORKER_ROLE } }));
  try {
    await Promise.all([own, ...workers.map((w) => new Promise<void>((resolve, reject) => {
      const give = () => {
        if (next >= queue.length || failed) {
          resolve();
          return;
        }
        const index = queue[next++]!;
        w.postMessage({ index, path: paths[index]! });
      };
      w.on('message', (m: ReadReply) => {
        if (m.kind === 'bytes') events.onBytes?.(m.index, m.bytes);
        else if (m.kind === 'error') {
          failed = new ReadError(m.message, m.code, m.path ?? paths[m.index]!);
          reject(failed);
        } else {
          try {
            const t0 = performance.now();
            const state = decodeState(m.buffer);
            events.onDecoded?.(performance.now() - t0);
            events.onState(m.index, state);
          } catch (err) {
            failed = err as Error;
            reject(err);
            return;
          }
          give();
        }
      });
      w.on('error', reject);
      w.on('exit', (code) => { if (code !== 0) reject(new Error(`a reader thread stopped with code ${code}`)); });
      give();
    }))]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
