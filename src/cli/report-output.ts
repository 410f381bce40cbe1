import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DEFAULT_SCAN_THRESHOLDS, type ScanThresholds } from '../schema/report';
import type { AnalysisState } from '../tap/analysis-state';
import { encodeState } from '../tap/state-codec';
import { AnalysisView } from '../views/analysis-view';
import { csvPieces, type CsvKind } from '../views/csv';
import { FilterError, parseFilter } from '../views/filter/parse-filter';
import { reportJson } from '../views/report-document';
import { UsageError } from './exit';
import { Output } from './output';
import { formatReportText } from './report-text';

/** What analyze, merge and report print, and where a state goes. */
export interface ReportArgs {
  /** Positional arguments: files, directories, state files, "-". */
  inputs: string[];
  json: boolean;
  csv: CsvKind | null;
  filter: string | null;
  top: number;
  scan: ScanThresholds;
  /** Print phase timings to stderr (for the benchmark). */
  timings: boolean;
  /** Files read at once. */
  jobs: number;
  /** Write the analysis state here. */
  state: string | null;
}

const SCAN_OPTIONS: Record<string, keyof ScanThresholds> = {
  '--scan-window': 'windowSec', '--scan-min-ports': 'minPorts', '--scan-min-hosts': 'minHosts', '--scan-min-failures': 'minFailureRatio',
};

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Parse the report options; `allowed` limits which of --jobs and --state a command takes. */
export function parseReportArgs(args: string[], allowed: { jobs: boolean; state: boolean }): ReportArgs {
  const out: ReportArgs = {
    inputs: [], json: false, csv: null, filter: null, top: 20, scan: { ...DEFAULT_SCAN_THRESHOLDS }, timings: false, jobs: defaultJobs(), state: null,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') out.json = true;
    else if (a === '--timings') out.timings = true;
    else if (a === '--csv') {
      const v = args[++i];
      if (v !== 'flows' && v !== 'ports' && v !== 'hosts') throw new UsageError('--csv takes "flows", "ports" or "hosts"');
      out.csv = v;
    } else if (a === '--filter') {
      const v = args[++i];
      if (v === undefined) throw new UsageError('--filter needs an expression');
      out.filter = v;
    } else if (a === '--top') {
      const v = Number(args[++i]);
      if (!Number.isInteger(v) || v < 1) throw new UsageError('--top takes a positive number');
      out.top = v;
    } else if (a === '--jobs' && allowed.jobs) {
      const v = Number(args[++i]);
      if (!Number.isInteger(v) || v < 1) throw new UsageError('--jobs takes a positive number');
      out.jobs = v;
    } else if (a === '--state' && allowed.state) {
      const v = args[++i];
      if (v === undefined || v === '') throw new UsageError('--state needs a file to write');
      out.state = v;
    } else if (a in SCAN_OPTIONS) {
      const v = Number(args[++i]);
      if (!Number.isFinite(v) || v < 0) throw new UsageError(`${a} takes a non-negative number`);
      out.scan[SCAN_OPTIONS[a]!] = v;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else out.inputs.push(a);
  }
  if (out.inputs.length === 0) throw new UsageError('no FILE given');
  // Check the filter before reading possibly huge files.
  if (out.filter !== null) {
    try {
      parseFilter(out.filter);
    } catch (err) {
      if (err instanceof FilterError) throw new UsageError(`--filter: ${err.message}`);
      throw err;
    }
  }
  return out;
}

/** Whether anything goes to standard output: with --state alone, only the state is written. */
export function printsReport(args: ReportArgs): boolean {
  return args.state === null || args.json || args.csv !== null;
}

/** Write the state file (the binary format of src/tap/state-codec.ts). */
export function writeStateFile(path: string, state: AnalysisState): void {
  writeFileSync(path, new Uint8Array(encodeState(state)));
}

/**
 * Print the report of a state as text, JSON or CSV, streamed. Returns when the views were ready
 * (time and minor page faults then), for --timings.
 */
export async function printReport(state: AnalysisState, args: ReportArgs): Promise<{ t2: number; f2: number }> {
  const view = new AnalysisView(state, args.scan);
  const sel = view.select(args.filter);
  const t2 = performance.now();
  const f2 = process.resourceUsage().minorPageFault;
  const out = new Output();
  if (args.json) {
    for (const piece of reportJson(sel)) await out.writeAsync(piece);
    out.write('\n');
  } else if (args.csv) {
    for (const piece of csvPieces(sel, args.csv)) await out.writeAsync(piece);
  } else {
    out.write(formatReportText(sel, args.top));
  }
  await out.close();
  return { t2, f2 };
}
