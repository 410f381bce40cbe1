import type { ReadOutcome } from '../decoder/capture-info';
import { readCaptureStream } from '../decoder/stream-reader';
import { DEFAULT_SCAN_THRESHOLDS, type ScanThresholds } from '../schema/report';
import type { AnalysisState } from '../tap/analysis-state';
import { captureTap } from '../tap/read-capture';
import { AnalysisView } from '../views/analysis-view';
import { csvPieces, type CsvKind } from '../views/csv';
import { FilterError, parseFilter } from '../views/filter/parse-filter';
import { reportJson } from '../views/report-document';
import { reportOutcome, requireFile, UsageError } from './exit';
import { openByteSource, readPlainFileSync } from './file-source';
import { Output } from './output';
import { formatReportText } from './report-text';

interface AnalyzeArgs {
  file: string;
  json: boolean;
  csv: CsvKind | null;
  filter: string | null;
  top: number;
  scan: ScanThresholds;
  /** Print phase timings to stderr (for the benchmark). */
  timings: boolean;
}

const SCAN_OPTIONS: Record<string, keyof ScanThresholds> = {
  '--scan-window': 'windowSec', '--scan-min-ports': 'minPorts', '--scan-min-hosts': 'minHosts', '--scan-min-failures': 'minFailureRatio',
};

function parseArgs(args: string[]): AnalyzeArgs {
  const out: AnalyzeArgs = { file: requireFile(args), json: false, csv: null, filter: null, top: 20, scan: { ...DEFAULT_SCAN_THRESHOLDS }, timings: false };
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
    } else if (a in SCAN_OPTIONS) {
      const v = Number(args[++i]);
      if (!Number.isFinite(v) || v < 0) throw new UsageError(`${a} takes a non-negative number`);
      out.scan[SCAN_OPTIONS[a]!] = v;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
  }
  return out;
}

export async function runAnalyze(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  // Check the filter before reading a possibly huge file.
  if (args.filter !== null) {
    try {
      parseFilter(args.filter);
    } catch (err) {
      if (err instanceof FilterError) throw new UsageError(`--filter: ${err.message}`);
      throw err;
    }
  }
  const faults = () => process.resourceUsage().minorPageFault;
  const f0 = faults();
  const t0 = performance.now();
  const state = await readFile(args.file);
  const t1 = performance.now();
  const f1 = faults();
  const outcome: ReadOutcome = state.read;
  const name = args.file === '-' ? 'standard input' : args.file;
  if (outcome.status === 'not-a-capture' || outcome.status === 'empty') return reportOutcome(name, outcome);
  const view = new AnalysisView(state, args.scan);
  const sel = view.select(args.filter);
  const t2 = performance.now();
  const f2 = faults();
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
  const t3 = performance.now();
  if (args.timings) {
    const ms = (x: number) => Math.round(x * 10) / 10;
    // Page faults tell how much fresh memory each phase touched (slow on some machines).
    const pageFaults = [f1 - f0, f2 - f1, faults() - f2];
    process.stderr.write(`timings ${JSON.stringify({ readMs: ms(t1 - t0), viewsMs: ms(t2 - t1), outputMs: ms(t3 - t2), totalMs: ms(t3 - t0), flows: state.flows.size, pageFaults })}\n`);
  }
  return reportOutcome(name, outcome, state.capture.gzip);
}

/** Plain files are pushed synchronously (fastest); gzip and standard input go through streams. */
async function readFile(file: string): Promise<AnalysisState> {
  const name = file === '-' ? 'standard input' : file;
  let t = captureTap({ name, size: null });
  const plain = readPlainFileSync(file, (chunk) => t.reader.push(chunk));
  if (plain) {
    t.tap.state.source.size = plain.size;
    return t.finish(t.reader.end());
  }
  const source = await openByteSource(file);
  t = captureTap({ name: source.name, size: source.size });
  return t.finish(await readCaptureStream(source.stream, t.reader));
}
