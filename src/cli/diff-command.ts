// porthole diff A B: what changed between two captures or states (see src/policy/diff.ts).
import { DEFAULT_DIFF_OPTIONS, diffAnalyses } from '../policy/diff';
import { formatDiffText } from '../policy/diff-text';
import { AnalysisView } from '../views/analysis-view';
import { FilterError, parseFilter } from '../views/filter/parse-filter';
import { EXIT, UsageError } from './exit';
import { Output } from './output';
import { readInputs } from './read-inputs';

export async function runDiff(argv: string[]): Promise<number> {
  const files: string[] = [];
  let json = false;
  const options = { ...DEFAULT_DIFF_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--filter') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('--filter needs an expression');
      try { parseFilter(v); } catch (err) { if (err instanceof FilterError) throw new UsageError(`--filter: ${err.message}`); throw err; }
      options.filter = v;
    } else if (a === '--top') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new UsageError('--top takes a positive number');
      options.top = n;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 2) throw new UsageError('diff takes two files: A B (captures or states)');
  const a = await readInputs([files[0]!]);
  if (a.status === EXIT.USAGE) return a.status;
  const b = await readInputs([files[1]!]);
  if (b.status === EXIT.USAGE) return b.status;
  const d = diffAnalyses(new AnalysisView(a.state), new AnalysisView(b.state), options);
  const out = new Output();
  out.write(json ? `${JSON.stringify(d, null, 1)}\n` : formatDiffText(d));
  await out.close();
  return Math.max(a.status, b.status);
}
