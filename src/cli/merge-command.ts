import { expandInputs } from '../many/inputs';
import { loadAnalysis } from '../many/load-analysis';
import { outcomeOfFiles } from './analyze-command';
import { EXIT, UsageError } from './exit';
import { parseReportArgs, printReport, printsReport, writeStateFile } from './report-output';

/**
 * `porthole merge STATE…` (exact merge of analysis states, printed or written as a state) and
 * `porthole report STATE` (one state, printed like `analyze`).
 */
export async function runMerge(argv: string[], command: 'merge' | 'report'): Promise<number> {
  const args = parseReportArgs(argv, { jobs: false, state: command === 'merge' });
  if (command === 'report' && args.inputs.length !== 1) throw new UsageError('report takes one STATE file (use merge for several)');
  const { inputs, skipped } = expandInputs(args.inputs.filter((p) => p !== '-'));
  if (args.inputs.includes('-')) throw new UsageError(`${command} reads state files, not standard input`);
  const capture = inputs.find((i) => i.kind !== 'state');
  if (capture) throw new UsageError(`${capture.path} is not an analysis state (PHST): make one with porthole analyze FILE --state OUT`);
  if (skipped.length) process.stderr.write(`porthole: skipped ${skipped.length} files that are not states (e.g. ${skipped[0]})\n`);
  if (inputs.length === 0) throw new UsageError(`no state files in ${args.inputs.join(', ')}`);
  const state = await loadAnalysis(inputs, { jobs: 1, script: '', progress: false });
  if (state === null) throw new UsageError('no state files given');
  const code = outcomeOfFiles(state);
  if (code === EXIT.USAGE) return code;
  if (args.state) writeStateFile(args.state, state);
  if (printsReport(args)) await printReport(state, args);
  return code;
}
