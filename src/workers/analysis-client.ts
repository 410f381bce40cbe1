import * as Comlink from 'comlink';
import { mergeReports } from '../analysis/merge-reports';
import type { Report } from '../analysis/report-types';
import type { AnalysisWorkerApi, AnalyzePartOptions, PartResult, PartSpec, Progress } from './analysis-api';

export interface AnalyzeFileOptions {
  /** Workers to use; default: the machine's cores (at most 4). */
  workers?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** How often partial reports come (ms); 0 for none. */
  partialEveryMs?: number;
  maxFlows?: number;
  /** Files smaller than this are read by one worker (default: the planner's). */
  minSplitBytes?: number;
}

export interface FileAnalysis {
  report: Report;
  /** SHA-256 of size + first and last MiB. */
  fingerprint: string | null;
  workersUsed: number;
  /** Why the file was read by one worker, when it was. */
  singleWorkerReason: string | null;
  elapsedMs: number;
}

interface PooledWorker {
  worker: Worker;
  api: Comlink.Remote<AnalysisWorkerApi>;
  /** Rejects when the worker dies (error event): races every call. */
  died: Promise<never>;
}

export class AnalysisError extends Error {
  constructor(message: string, readonly fileName: string) {
    super(message);
    this.name = 'AnalysisError';
  }
}

const PARTIAL_FLOWS = 2000;

/**
 * Main-thread side of the analysis: a small pool of workers, the split plan, progress from
 * all parts as one, merging of part reports, cancellation (workers are terminated and
 * replaced, which stops reading at once) and worker deaths reported with the file name.
 */
export class AnalysisClient {
  private pool: PooledWorker[] = [];

  constructor(private readonly createWorker: () => Worker) {}

  static defaultWorkers(): number {
    const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
    return Math.max(1, Math.min(4, cores));
  }

  async analyze(file: File, options: AnalyzeFileOptions = {}): Promise<FileAnalysis> {
    const started = performance.now();
    const wanted = options.workers ?? AnalysisClient.defaultWorkers();
    const signal = options.signal;
    const abort = new Promise<never>((_, reject) => {
      if (!signal) return;
      const onAbort = () => {
        this.terminate();
        reject(new DOMException(`analysis of ${file.name} was cancelled`, 'AbortError'));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const guard = <T>(w: PooledWorker, p: Promise<T>) => Promise.race([p, w.died, abort]).catch((err) => {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new AnalysisError(`${file.name}: ${err instanceof Error ? err.message : String(err)}`, file.name);
    });
    this.ensurePool(wanted);
    const first = this.pool[0]!;
    const plan = await guard(first, first.api.plan(file, wanted, options.minSplitBytes));
    const base: Omit<AnalyzePartOptions, 'part'> = {
      partialEveryMs: options.partialEveryMs ?? 400, partialFlows: PARTIAL_FLOWS, maxFlows: options.maxFlows, name: file.name,
    };
    const single = async (reason: string | null): Promise<FileAnalysis> => {
      const r = await guard(first, first.api.analyze(file, { ...base, part: null }, options.onProgress ? Comlink.proxy(options.onProgress) : undefined));
      return { report: r.report, fingerprint: r.fingerprint, workersUsed: 1, singleWorkerReason: reason, elapsedMs: performance.now() - started };
    };
    if (plan.parts.length <= 1) return single(plan.reason);

    const progress = new PartProgress(plan.parts, file.size, options.onProgress);
    const results = await Promise.all(plan.parts.map((part, i) => {
      const w = this.pool[i]!;
      const cb = Comlink.proxy((p: Progress) => progress.update(i, p));
      return guard(w, w.api.analyze(file, { ...base, part }, cb));
    }));
    const clean = results.every((r: PartResult, i) => r.endedOnBoundary && !r.sawHeaderBlocks && (i > 0 || r.outcome.status === 'complete'));
    if (!clean) return single('a part did not end on a record boundary; read again in one piece');
    const report = results.map((r) => r.report).reduce((a, b) => mergeReports(a, b));
    return { report, fingerprint: results[0]!.fingerprint, workersUsed: plan.parts.length, singleWorkerReason: null, elapsedMs: performance.now() - started };
  }

  /** Stop every worker now; new ones are made for the next file. */
  terminate(): void {
    for (const w of this.pool) {
      w.api[Comlink.releaseProxy]();
      w.worker.terminate();
    }
    this.pool = [];
  }

  private ensurePool(n: number): void {
    while (this.pool.length < n) {
      const worker = this.createWorker();
      const died = new Promise<never>((_, reject) => {
        worker.addEventListener('error', (e) => {
          e.preventDefault?.();
          reject(new Error(`the analysis worker stopped with an error: ${e.message || 'it ran out of memory or crashed'}`));
        });
        worker.addEventListener('messageerror', () => reject(new Error('the analysis worker sent a message that could not be read')));
      });
      died.catch(() => undefined);
      this.pool.push({ worker, api: Comlink.wrap<AnalysisWorkerApi>(worker), died });
    }
  }
}

/** Progress of several parts shown as one; partial reports merged in part order. */
class PartProgress {
  private readonly latest: Array<Progress | null>;
  private readonly partials: Array<Report | null>;
  private lastPartialMerge = 0;
  /** Merging partial reports runs on the main thread: keep it rare enough to stay cheap. */
  private mergeEvery = 250;

  constructor(private readonly parts: PartSpec[], private readonly total: number, private readonly sink?: (p: Progress) => void) {
    this.latest = parts.map(() => null);
    this.partials = parts.map(() => null);
  }

  update(i: number, p: Progress): void {
    this.latest[i] = p;
    if (p.partial) this.partials[i] = p.partial;
    if (!this.sink) return;
    const all = this.latest.filter((x): x is Progress => x !== null);
    const bytesRead = all.reduce((n, x) => n + x.bytesRead, 0);
    const elapsedMs = Math.max(...all.map((x) => x.elapsedMs));
    const throughput = elapsedMs > 0 ? (bytesRead / elapsedMs) * 1000 : 0;
    let partial: Report | null = null;
    const now = performance.now();
    if (p.partial && now - this.lastPartialMerge > this.mergeEvery) {
      const have = this.partials.filter((x): x is Report => x !== null);
      partial = have.reduce((a, b) => mergeReports(a, b));
      this.lastPartialMerge = performance.now();
      this.mergeEvery = Math.max(250, 20 * (this.lastPartialMerge - now));
    }
    this.sink({
      bytesRead, totalBytes: this.total, packets: all.reduce((n, x) => n + x.packets, 0), flows: all.reduce((n, x) => n + x.flows, 0),
      elapsedMs, throughput, etaSec: throughput > 0 ? (this.total - bytesRead) / throughput : null, partial,
    });
  }
}
