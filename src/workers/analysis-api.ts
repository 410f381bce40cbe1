import type { Report } from '../analysis/report-types';
import type { ReadOutcome } from '../decoder/capture-info';

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
  flows: number;
  elapsedMs: number;
  /** Bytes per second so far. */
  throughput: number;
  /** Seconds left at the current speed, null when unknown. */
  etaSec: number | null;
  /** A report of what was read so far (its largest flows only), null between snapshots. */
  partial: Report | null;
}

export interface PartResult {
  report: Report;
  outcome: ReadOutcome;
  /** The part met a section header or interface description after its start: merge unsafe. */
  sawHeaderBlocks: boolean;
  /** The part's records ended exactly at its end (a clean boundary). */
  endedOnBoundary: boolean;
  /** SHA-256 (hex) of size + first and last MiB, computed in the worker. */
  fingerprint: string | null;
}

export interface AnalyzePartOptions {
  part: PartSpec | null;
  /** Send a partial report at most this often (ms); 0 for none. */
  partialEveryMs: number;
  /** Flows kept in partial reports (the largest by bytes). */
  partialFlows: number;
  maxFlows?: number;
  name: string;
}

/** The worker's typed surface, used through comlink: a few coarse calls, never one per packet. */
export interface AnalysisWorkerApi {
  plan(file: Blob, parts: number, minSplitBytes?: number): Promise<SplitPlan>;
  analyze(file: Blob, options: AnalyzePartOptions, onProgress?: (p: Progress) => void): Promise<PartResult>;
  fingerprint(file: Blob): Promise<string>;
}
