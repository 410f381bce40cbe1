import { Worker } from 'node:worker_threads';
import type { AnalysisState } from '../tap/analysis-state';
import { decodeState } from '../tap/state-codec';
import { FILE_WORKER_ROLE, type ReadReply, type ReadRequest } from './file-worker';
import { fingerprintFile } from './fingerprint-file';
import { readFileState } from './read-file-state';

export interface PoolEvents {
  /** Bytes read so far of file `index`. */
  onBytes?(index: number, bytes: number): void;
  /** File `index` is read (its packets are in some state that onState will deliver). */
  onFileDone?(index: number): void;
  /**
   * A state of some of the files (one file when read here, all of a worker's files from a
   * worker thread). Called on the main thread, one at a time.
   */
  onState(state: AnalysisState): void;
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
 * threads running `script` (the bundled CLI). Files are handed out in the order given, the
 * next to whichever worker is free; each worker merges the files it read (mergeMany) and sends
 * one encoded state at the end.
 */
export async function readFiles(paths: readonly string[], jobs: number, script: URL | string, events: PoolEvents): Promise<void> {
  if (jobs <= 1 || paths.length <= 1) {
    for (let i = 0; i < paths.length; i++) {
      const state = await readFileState(paths[i]!, events.onBytes && ((b) => events.onBytes!(i, b)));
      events.onFileDone?.(i);
      events.onState(state);
    }
    return;
  }
  // Standard input belongs to this thread: read it here while the workers read files.
  const stdin = paths.indexOf('-');
  const own = stdin < 0 ? Promise.resolve() : readFileState('-', events.onBytes && ((b) => events.onBytes!(stdin, b))).then((s) => {
    events.onFileDone?.(stdin);
    events.onState(s);
  });
  // Repeats of a file (same fingerprint) go to the same thread, right after each other: every
  // thread's state then holds whole groups, and the threads' states merge (disjoint files).
  const groups = new Map<string, number[]>();
  paths.forEach((p, i) => {
    if (i === stdin) return;
    const key = fingerprintFile(p).fingerprint;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const queue = [...groups.values()];
  let next = 0;
  let failed: Error | null = null;
  const workers = Array.from({ length: Math.min(jobs, queue.length) }, () => new Worker(script, { workerData: { role: FILE_WORKER_ROLE } }));
  try {
    await Promise.all([own, ...workers.map((w) => new Promise<void>((resolve, reject) => {
      const send = (req: ReadRequest) => w.postMessage(req);
      const give = () => {
        if (failed) resolve();
        else if (next >= queue.length) send({ kind: 'finish' });
        else send({ kind: 'read', files: queue[next++]!.map((index) => ({ index, path: paths[index]! })) });
      };
      w.on('message', (m: ReadReply) => {
        if (m.kind === 'bytes') events.onBytes?.(m.index, m.bytes);
        else if (m.kind === 'read') events.onFileDone?.(m.index);
        else if (m.kind === 'group') give();
        else if (m.kind === 'error') {
          failed = new ReadError(m.message, m.code, m.path ?? paths[m.index]!);
          reject(failed);
        } else {
          try {
            if (m.buffer) {
              const t0 = performance.now();
              const state = decodeState(m.buffer);
              events.onDecoded?.(performance.now() - t0);
              events.onState(state);
            }
            resolve();
          } catch (err) {
            failed = err as Error;
            reject(err);
          }
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
