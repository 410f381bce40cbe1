import { EXIT, reportOutcome, UsageError } from './exit';
import { expandInputs } from '../many/inputs';
import { loadAnalysis } from '../many/load-analysis';
import type { AnalysisState } from '../tap/analysis-state';
import { parseReportArgs, printReport, printsReport, writeStateFile, type ReportArgs } from './report-output';

/**
 * `porthole analyze FILE|DIR|-…`: one analysis of every capture given (directories read
 * recursively), files read in parallel and merged exactly; printed like one capture.
 */
export async function runAnalyze(argv: string[], script: URL | string): Promise<number> {
  const args = parseReportArgs(argv, { jobs: true, state: true });
  if (args.inputs.filter((p) => p === '-').length > 1) throw new UsageError('standard input ("-") can be read only once');
  const faults = () => process.resourceUsage().minorPageFault;
  const f0 = faults();
  const t0 = performance.now();
  const { inputs, skipped } = expandInputs(args.inputs);
  const states = inputs.filter((i) => i.kind === 'state');
  if (states.length) throw new UsageError(`${states[0]!.path} is an analysis state, not a capture: use porthole merge or porthole report`);
  if (skipped.length) process.stderr.write(`porthole: skipped ${skipped.length} files that are not captures (e.g. ${skipped[0]})\n`);
  if (inputs.length === 0) throw new UsageError(`no capture files in ${args.inputs.join(', ')}`);
  const timing = { decodeMs: 0, mergeMs: 0 };
  const state = await loadAnalysis(inputs, { jobs: args.jobs, script, progress: true, timing });
  if (state === null) throw new UsageError('no capture files given');
  const t1 = performance.now();
  const f1 = faults();
  const code = outcomeOfFiles(state);
  if (code === EXIT.USAGE) return code; // nothing was a capture: no report
  if (args.state) writeStateFile(args.state, state);
  const timings = await print(state, args);
  if (args.timings) {
    const ms = (x: number) => Math.round(x * 10) / 10;
    // Page faults tell how much fresh memory each phase touched (slow on some machines).
    const pageFaults = [f1 - f0, timings.f2 - f1, faults() - timings.f2];
    process.stderr.write(`timings ${JSON.stringify({ readMs: ms(t1 - t0), decodeMs: ms(timing.decodeMs), mergeMs: ms(timing.mergeMs), viewsMs: ms(timings.t2 - t1), outputMs: ms(performance.now() - timings.t2), totalMs: ms(performance.now() - t0), flows: state.flows.size, files: state.files.length, pageFaults })}\n`);
  }
  return code;
}

async function print(state: AnalysisState, args: ReportArgs): Promise<{ t2: number; f2: number }> {
  if (!printsReport(args)) return { t2: performance.now(), f2: process.resourceUsage().minorPageFault };
  return printReport(state, args);
}

/**
 * Say on stderr what went wrong with which file (byte offset and reason); the exit status:
 * 1 when no file was a capture, 2 when some file was damaged or not a capture, else 0.
 */
export function outcomeOfFiles(state: AnalysisState): number {
  const files = state.files.length ? state.files : [{ name: state.source.name, read: state.read, capture: state.capture }];
  let worst: number = EXIT.OK;
  let captures = 0;
  for (const f of files) {
    const code = reportOutcome(f.name, f.read, f.capture.gzip);
    if (code === EXIT.OK || code === EXIT.DAMAGED) captures++;
    if (code !== EXIT.OK) worst = EXIT.DAMAGED;
  }
  return captures === 0 ? EXIT.USAGE : worst;
}
