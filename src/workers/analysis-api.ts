import type { ReadOutcome } from '../decoder/capture-info';
import type { Report, ScanThresholds } from '../schema/report';
import type { LibrarySummary } from '../storage/schema';
import type { CsvKind } from '../views/csv';
import type { IoSeriesOptions } from '../views/io-series';
import type { AnalysisSummary } from '../views/summary';
import type { TableName, TableSort } from '../views/table-query';
import type { ChainChoice } from '../policy/parse-policy';
import type { PolicyFormat } from '../policy/policy';
import type { RowsAnswer, SeriesAnswer, SummaryResult } from './engine';
import type { DiffAnswer, PolicyCheckAnswer, PolicySuggestAnswer, SuggestRequest } from './policy-answers';

/** One worker's share of a file: bytes [start, end), after feeding the file's header bytes. */
export interface PartSpec {
  start: number;
  end: number;
  /** Bytes [0, headerLen) are fed first when start > 0 (pcap header, or SHB + IDBs). */
  headerLen: number;
  /** 0-based index of the part; part 0 starts at the beginning of the file. */
  index: number;
}

export interface SplitPlan {
  /** One part means "read it in one worker". */
  parts: PartSpec[];
  /** Why the file was not split, when it was not. */
  reason: string | null;
}

export interface Progress {
  /** Bytes of the file read so far (compressed bytes for gzip). */
  bytesRead: number;
  totalBytes: number;
  packets: number;
  elapsedMs: number;
  /** Bytes per second so far. */
  throughput: number;
  /** Seconds left at the current speed, null when unknown. */
  etaSec: number | null;
  /** The summary of what was read so far, now and then (null between snapshots). */
  partial: AnalysisSummary | null;
  /** Several files read into one analysis: each file's progress, in the order given. */
  files?: FileProgress[];
}

/** One file of an analysis of several files, while reading. */
export interface FileProgress {
  name: string;
  size: number;
  bytesRead: number;
  packets: number;
  status: 'queued' | 'reading' | 'read';
}

/** How one file of an analysis of several files ended. */
export interface FileOutcome {
  name: string;
  size: number;
  read: ReadOutcome;
  /** It was gzip-compressed (damage offsets count the decompressed data). */
  gzip: boolean;
  packets: number;
  /** Its packets are in the analysis (a capture, complete or damaged); false for not a capture, empty, unreadable. */
  merged: boolean;
  /** It repeats this file (same fingerprint): its packets are counted once, under that name. */
  duplicateOf: string | null;
}

/** A file of an analysis of several files: the name it is shown under (a folder's relative path). */
export interface NamedFile {
  file: Blob;
  name: string;
  /** Found in a folder: skipped (not read, not listed as a problem) unless its first bytes are a capture's. */
  sniff: boolean;
}

export interface AnalyzeOptions {
  name: string;
  /** Parts to read in parallel (helper workers); 1 reads in the engine worker alone. */
  workers: number;
  /** A partial summary at most this often (ms); 0 for none. */
  partialEveryMs: number;
  /** The filter the summaries follow. */
  filter: string | null;
  maxFlows?: number;
  /** Files smaller than this are read in one piece. */
  minSplitBytes?: number;
  thresholds?: ScanThresholds;
}

export interface AnalyzeResult {
  summary: SummaryResult;
  /** SHA-256 (hex) of size + first and last MiB. */
  fingerprint: string | null;
  workersUsed: number;
  /** Why the file was read by one worker, when it was. */
  singleWorkerReason: string | null;
  elapsedMs: number;
  /** Several files: how each ended (files skipped in a folder are not listed). */
  files?: FileOutcome[];
}

/** What a helper worker sends back for its part: the state's bytes (transferred). */
export interface PartResult {
  state: ArrayBuffer;
  packets: number;
  complete: boolean;
  sawHeaderBlocks: boolean;
}

export interface PartProgress {
  bytesRead: number;
  packets: number;
  /** The part's state so far, now and then, for partial summaries. */
  snapshot: ArrayBuffer | null;
}

/**
 * The analysis worker's typed surface, used through comlink: a few coarse calls, never one
 * per packet or per row. One worker holds one analysis.
 */
export interface AnalysisWorkerApi {
  analyze(file: Blob, options: AnalyzeOptions, onProgress?: (p: Progress) => void): Promise<AnalyzeResult>;
  /**
   * Several files into one analysis: each read into its own state, then merged exactly
   * (src/many/merge-many.ts, as `porthole analyze FILE…`). Not-a-capture and empty files are
   * named in the outcome and left out; a damaged file adds what was read before the damage.
   */
  analyzeMany(files: NamedFile[], options: AnalyzeOptions, onProgress?: (p: Progress) => void): Promise<AnalyzeResult>;
  /** Open a saved state (the bytes are transferred). */
  load(state: ArrayBuffer, thresholds?: ScanThresholds): Promise<SummaryResult>;
  /** Open a report saved by an older version (before states). */
  loadReport(report: Report, thresholds?: ScanThresholds): Promise<SummaryResult>;
  summary(filter: string | null): Promise<SummaryResult>;
  /** What the library lists and searches for this analysis. */
  catalog(): Promise<LibrarySummary>;
  rows<T extends TableName>(filter: string | null, table: T, sort: TableSort, from: number, to: number): Promise<RowsAnswer<T>>;
  /** The I/O graph's series under a filter. */
  series(filter: string | null, options: IoSeriesOptions): Promise<SeriesAnswer>;
  /** The state's bytes for saving (transferred). */
  saveState(): Promise<ArrayBuffer>;
  exportJson(filter: string | null): Promise<Blob>;
  exportCsv(filter: string | null, kind: CsvKind): Promise<Blob>;
  /** The flows as Parquet, the columns of `porthole flows --format parquet`. */
  exportParquet(filter: string | null): Promise<Blob>;
  /** A firewall policy (rules text) judged against every flow of this analysis. */
  checkPolicy(text: string, format: PolicyFormat | null, chain: ChainChoice): Promise<PolicyCheckAnswer>;
  suggestPolicy(request: SuggestRequest): Promise<PolicySuggestAnswer>;
  /** What changed from state A to state B (bytes transferred; this worker's own analysis is untouched). */
  diffStates(a: ArrayBuffer, b: ArrayBuffer, names: [string, string]): Promise<DiffAnswer>;
  /** Helper role: read one part of a file and send its state. */
  readPart(file: Blob, part: PartSpec, name: string, maxFlows: number | undefined, snapshotEveryMs: number, onProgress?: (p: PartProgress) => void): Promise<PartResult>;
}
