import { readFileSync } from 'node:fs';
import type { AnalysisState } from '../tap/analysis-state';
import { decodeState, StateFormatError } from '../tap/state-codec';
import type { Input } from './inputs';
import { mergeMany } from './merge-many';
import { Progress } from './progress';
import { readFiles } from './read-pool';

export interface LoadOptions {
  /** Capture files read at once (worker threads when more than one). */
  jobs: number;
  /** The script worker threads run (the bundled CLI). */
  script: URL | string;
  /** Show progress on stderr (only drawn on a terminal). */
  progress: boolean;
  /** Filled in: main-thread time spent decoding the workers' states and merging (ms; workers merge their own files too). */
  timing?: { decodeMs: number; mergeMs: number };
}

/** A state file that is not one: names the file. */
export class StateFileError extends Error {}

/** Read a state file (StateFileError names the file and what is wrong with it). */
export function readStateFile(path: string): AnalysisState {
  const bytes = readFileSync(path);
  try {
    return decodeState(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } catch (err) {
    if (err instanceof StateFormatError) throw new StateFileError(`${path}: ${err.message}`);
    throw err;
  }
}

/**
 * One analysis of every input: capture files read into states (in parallel), state files
 * decoded, all merged exactly as they arrive (mergeMany: the result does not depend on the
 * order). Null when there are no inputs.
 */
export async function loadAnalysis(inputs: readonly Input[], options: LoadOptions): Promise<AnalysisState | null> {
  let acc: AnalysisState | null = null;
  const timing = options.timing;
  const add = (s: AnalysisState) => {
    const t0 = performance.now();
    acc = acc === null ? s : mergeMany(acc, s);
    if (timing) timing.mergeMs += performance.now() - t0;
  };
  for (const input of inputs) if (input.kind === 'state') add(readStateFile(input.path));
  const captures = inputs.filter((i) => i.kind === 'capture');
  const progress = options.progress ? new Progress(captures.length, captures.reduce((t, c) => t + c.size, 0)) : null;
  try {
    await readFiles(captures.map((c) => c.path), options.jobs, options.script, {
      onBytes: progress ? (i, b) => progress.bytesOf(i, b) : undefined,
      onDecoded: timing ? (ms) => { timing.decodeMs += ms; } : undefined,
      onFileDone: progress ? (i) => progress.fileDone(i, captures[i]!.size) : undefined,
      onState: add,
    });
  } finally {
    progress?.done();
  }
  return acc;
}
