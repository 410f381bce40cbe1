import * as Comlink from 'comlink';
import type { Report, ScanThresholds } from '../schema/report';
import type { LibrarySummary } from '../storage/schema';
import type { CsvKind } from '../views/csv';
import type { IoSeriesOptions } from '../views/io-series';
import type { TableName, TableSort } from '../views/table-query';
import type { AnalysisWorkerApi, AnalyzeOptions, AnalyzeResult, NamedFile, Progress } from './analysis-api';
import type { ChainChoice } from '../policy/parse-policy';
import type { PolicyFormat } from '../policy/policy';
import type { RowsAnswer, SeriesAnswer, SummaryResult } from './engine';
import type { DiffAnswer, PolicyCheckAnswer, PolicySuggestAnswer, SuggestRequest } from './policy-answers';

export interface AnalyzeFileOptions {
  /** Workers to read with; default: defaultWorkers(). */
  workers?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** How often partial summaries come (ms); 0 for none. */
  partialEveryMs?: number;
  /** The filter summaries follow. */
  filter?: string | null;
  maxFlows?: number;
  /** Files smaller than this are read by one worker (default: the planner's). */
  minSplitBytes?: number;
  thresholds?: ScanThresholds;
}

export class AnalysisError extends Error {
  constructor(message: string, readonly fileName: string) {
    super(message);
    this.name = 'AnalysisError';
  }
}

/**
 * One analysis on the main thread's side: a worker that holds the state, and a few coarse
 * calls to it (analyze or load, then summaries, rows, exports). Cancelling or closing
 * terminates the worker, which stops reading at once; a worker that dies is reported with
 * the file name.
 */
export class AnalysisSession {
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<AnalysisWorkerApi>;
  private readonly died: Promise<never>;
  private closed = false;

  constructor(createWorker: () => Worker, readonly name: string) {
    this.worker = createWorker();
    this.api = Comlink.wrap<AnalysisWorkerApi>(this.worker);
    this.died = new Promise<never>((_, reject) => {
      this.worker.addEventListener('error', (e) => {
        e.preventDefault?.();
        reject(new AnalysisError(`${name}: the analysis worker stopped with an error: ${e.message || 'it ran out of memory or crashed'}`, name));
      });
      this.worker.addEventListener('messageerror', () => reject(new AnalysisError(`${name}: the analysis worker sent a message that could not be read`, name)));
    });
    this.died.catch(() => undefined);
  }

  /**
   * Workers to read with by default. On two cores one is fastest: the browser reads the File
   * on the other (measured by the benchmark); beyond that, leave one core to the browser.
   */
  static defaultWorkers(): number {
    const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
    return cores >= 4 ? Math.min(4, cores - 1) : 1;
  }

  async analyze(file: Blob, options: AnalyzeFileOptions = {}): Promise<AnalyzeResult> {
    return this.reading(options, (o, onProgress) => this.api.analyze(file, o, onProgress));
  }

  /** Several files into one analysis, merged exactly in the worker (see AnalysisWorkerApi.analyzeMany). */
  async analyzeMany(files: NamedFile[], options: AnalyzeFileOptions = {}): Promise<AnalyzeResult> {
    return this.reading(options, (o, onProgress) => this.api.analyzeMany(files, o, onProgress));
  }

  private async reading(options: AnalyzeFileOptions,
    call: (o: AnalyzeOptions, onProgress: ((p: Progress) => void) | undefined) => Promise<AnalyzeResult>): Promise<AnalyzeResult> {
    const signal = options.signal;
    const abort = new Promise<never>((_, reject) => {
      if (!signal) return;
      const onAbort = () => {
        this.close();
        reject(new DOMException(`analysis of ${this.name} was cancelled`, 'AbortError'));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    abort.catch(() => undefined);
    return this.guard(call({
      name: this.name, workers: options.workers ?? AnalysisSession.defaultWorkers(), partialEveryMs: options.partialEveryMs ?? 400,
      filter: options.filter ?? null, maxFlows: options.maxFlows, minSplitBytes: options.minSplitBytes, thresholds: options.thresholds,
    }, options.onProgress ? Comlink.proxy(options.onProgress) : undefined), abort);
  }

  /** Open saved state bytes (transferred: the caller's buffer is emptied). */
  load(bytes: ArrayBuffer, thresholds?: ScanThresholds): Promise<SummaryResult> {
    return this.guard(this.api.load(Comlink.transfer(bytes, [bytes]), thresholds) as Promise<SummaryResult>);
  }

  loadReport(report: Report, thresholds?: ScanThresholds): Promise<SummaryResult> {
    return this.guard(this.api.loadReport(report, thresholds) as Promise<SummaryResult>);
  }

  catalog(): Promise<LibrarySummary> {
    return this.guard(this.api.catalog());
  }

  summary(filter: string | null): Promise<SummaryResult> {
    return this.guard(this.api.summary(filter) as Promise<SummaryResult>);
  }

  rows<T extends TableName>(filter: string | null, table: T, sort: TableSort, from: number, to: number): Promise<RowsAnswer<T>> {
    return this.guard(this.api.rows(filter, table, sort, from, to) as Promise<RowsAnswer<T>>);
  }

  /** The I/O graph's series under a filter (small: at most a few thousand numbers per stack). */
  series(filter: string | null, options: IoSeriesOptions): Promise<SeriesAnswer> {
    return this.guard(this.api.series(filter, options) as Promise<SeriesAnswer>);
  }

  saveState(): Promise<ArrayBuffer> {
    return this.guard(this.api.saveState());
  }

  exportJson(filter: string | null): Promise<Blob> {
    return this.guard(this.api.exportJson(filter));
  }

  exportCsv(filter: string | null, kind: CsvKind): Promise<Blob> {
    return this.guard(this.api.exportCsv(filter, kind));
  }

  exportParquet(filter: string | null): Promise<Blob> {
    return this.guard(this.api.exportParquet(filter));
  }

  checkPolicy(text: string, format: PolicyFormat | null, chain: ChainChoice = 'auto'): Promise<PolicyCheckAnswer> {
    return this.guard(this.api.checkPolicy(text, format, chain) as Promise<PolicyCheckAnswer>);
  }

  suggestPolicy(request: SuggestRequest): Promise<PolicySuggestAnswer> {
    return this.guard(this.api.suggestPolicy(request) as Promise<PolicySuggestAnswer>);
  }

  /** Diff two saved states (both buffers are transferred: the caller's are emptied). */
  diffStates(a: ArrayBuffer, b: ArrayBuffer, names: [string, string]): Promise<DiffAnswer> {
    return this.guard(this.api.diffStates(Comlink.transfer(a, [a]), Comlink.transfer(b, [b]), names) as Promise<DiffAnswer>);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stop the worker now (its analysis is gone). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }

  private guard<T>(p: Promise<T>, abort?: Promise<never>): Promise<T> {
    if (this.closed) return Promise.reject(new AnalysisError(`${this.name}: this analysis was closed`, this.name));
    return Promise.race([p, this.died, ...(abort ? [abort] : [])]).catch((err) => {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      if (err instanceof AnalysisError) throw err;
      throw new AnalysisError(`${this.name}: ${err instanceof Error ? err.message : String(err)}`, this.name);
    });
  }
}
