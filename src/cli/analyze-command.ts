import { analyzeStream, createAnalysis, type AnalysisResult } from '../analysis/analyze-stream';
import { applyFilter } from '../analysis/apply-filter';
import { DEFAULT_SCAN_THRESHOLDS, type ScanThresholds } from '../analysis/intel/findings';
import { FilterError, parseFilter } from '../analysis/filter/parse-filter';
import { flowsCsv, portsCsv } from '../analysis/csv';
import { formatReportText } from './report-text';
import { reportOutcome, requireFile, UsageError } from './exit';
import { openByteSource, readPlainFileSync } from './file-source';
import { Output } from './output';
import { jsonPieces } from '../analysis/json-stream';

interface AnalyzeArgs {
  file: string;
  json: boolean;
  csv: 'flows' | 'ports' | null;
  filter: string | null;
  top: number;
  scan: ScanThresholds;
}

const SCAN_OPTIONS: Record<string, keyof ScanThresholds> = {
  '--scan-window': 'windowSec', '--scan-min-ports': 'minPorts', '--scan-min-hosts': 'minHosts', '--scan-min-failures': 'minFailureRatio',
};

function parseArgs(args: string[]): AnalyzeArgs {
  const out: AnalyzeArgs = { file: requireFile(args), json: false, csv: null, filter: null, top: 20, scan: { ...DEFAULT_SCAN_THRESHOLDS } };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') out.json = true;
    else if (a === '--csv') {
      const v = args[++i];
      if (v !== 'flows' && v !== 'ports') throw new UsageError('--csv takes "flows" or "ports"');
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
  const { report: full, outcome } = await analyzeFile(args.file, args.scan);
  const source = { name: args.file === '-' ? 'standard input' : args.file };
  if (outcome.status === 'not-a-capture' || outcome.status === 'empty') return reportOutcome(source.name, outcome);
  const report = args.filter !== null ? applyFilter(full, args.filter) : full;
  if (args.json) {
    const out = new Output();
    for (const piece of jsonPieces(report)) await out.writeAsync(piece);
    out.write('\n');
    await out.close();
    return reportOutcome(source.name, outcome);
  }
  let text: string;
  if (args.csv === 'flows') text = flowsCsv(report.flows);
  else if (args.csv === 'ports') text = portsCsv(report.ports);
  else text = formatReportText(report, args.top);
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  return reportOutcome(source.name, outcome);
}

async function analyzeFile(file: string, scanThresholds: ScanThresholds): Promise<AnalysisResult> {
  const fast = createAnalysis({ scanThresholds });
  const plain = readPlainFileSync(file, (chunk) => fast.reader.push(chunk));
  if (plain) return fast.finish(fast.reader.end(), { name: file, size: plain.size });
  const source = await openByteSource(file);
  return analyzeStream(source.stream, { name: source.name, size: source.size }, { scanThresholds });
}
