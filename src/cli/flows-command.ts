import { flowParquetParts } from '../export/parquet';
import { flowCsv, flowNdjson } from '../export/text-formats';
import { zeekConnJson, zeekConnTsv } from '../export/zeek-conn';
import { expandInputs } from '../many/inputs';
import { loadAnalysis } from '../many/load-analysis';
import { AnalysisView } from '../views/analysis-view';
import { FilterError, parseFilter } from '../views/filter/parse-filter';
import type { Selection } from '../views/selection';
import { outcomeOfFiles } from './analyze-command';
import { ByteSink } from './byte-sink';
import { EXIT, UsageError } from './exit';
import { defaultJobs } from './report-output';

const FORMATS = {
  csv: flowCsv, ndjson: flowNdjson, parquet: flowParquetParts, zeek: zeekConnTsv, 'zeek-json': zeekConnJson,
} as const satisfies Record<string, (sel: Selection) => Generator<string | Uint8Array>>;
type Format = keyof typeof FORMATS;

/**
 * `porthole flows FILE|DIR|STATE… --format csv|ndjson|parquet|zeek|zeek-json [-o OUT]`: one row
 * per flow of the analysis of every input (captures read and merged as by analyze, states
 * merged as by merge), streamed a batch of rows at a time.
 */
export async function runFlows(argv: string[], script: URL | string): Promise<number> {
  let format: Format = 'csv';
  let out: string | null = null;
  let filter: string | null = null;
  let jobs = defaultJobs();
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--format') {
      const v = argv[++i];
      if (!v || !(v in FORMATS)) throw new UsageError(`--format takes ${Object.keys(FORMATS).join(', ')}`);
      format = v as Format;
    } else if (a === '-o' || a === '--output') {
      out = argv[++i] ?? null;
      if (!out) throw new UsageError(`${a} needs a file`);
    } else if (a === '--filter') {
      filter = argv[++i] ?? null;
      if (filter === null) throw new UsageError('--filter needs an expression');
    } else if (a === '--jobs') {
      jobs = Number(argv[++i]);
      if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs takes a positive number');
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else paths.push(a);
  }
  if (paths.length === 0) throw new UsageError('no FILE given');
  if (format === 'parquet' && out === null && process.stdout.isTTY) throw new UsageError('Parquet is binary: give -o FILE or redirect standard output');
  if (filter !== null) {
    try {
      parseFilter(filter);
    } catch (err) {
      if (err instanceof FilterError) throw new UsageError(`--filter: ${err.message}`);
      throw err;
    }
  }
  const { inputs, skipped } = expandInputs(paths);
  if (skipped.length) process.stderr.write(`porthole: skipped ${skipped.length} files that are neither captures nor states (e.g. ${skipped[0]})\n`);
  const state = await loadAnalysis(inputs, { jobs, script, progress: true });
  if (state === null) throw new UsageError(`no capture or state files in ${paths.join(', ')}`);
  const code = outcomeOfFiles(state);
  if (code === EXIT.USAGE) return code;
  const sel = new AnalysisView(state).select(filter);
  const sink = new ByteSink(out);
  for (const piece of FORMATS[format](sel)) await sink.write(piece);
  await sink.close();
  return code;
}
