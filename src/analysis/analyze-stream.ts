import { CaptureReader } from '../decoder/capture-reader';
import type { ReadOutcome } from '../decoder/capture-info';
import { readCaptureStream, type ReadOptions } from '../decoder/stream-reader';
import { Analyzer, type AnalyzerOptions } from './analyzer';
import { buildReport, type BuildOptions, type ReportSource } from './build-report';
import type { Report } from './report-types';

export interface AnalyzeOptions extends ReadOptions, AnalyzerOptions, BuildOptions {}

export interface AnalysisResult {
  report: Report;
  outcome: ReadOutcome;
}

/** Read a whole capture stream and build its report: the engine shared by the CLI and the workers. */
export async function analyzeStream(
  stream: ReadableStream<Uint8Array>, source: ReportSource, options: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  const analyzer = new Analyzer(options);
  const reader = new CaptureReader(analyzer);
  const outcome = await readCaptureStream(stream, reader, options);
  return { report: buildReport(analyzer, reader.info, outcome, source, options), outcome };
}

/** The same, for bytes pushed synchronously (the CLI's fast path for plain files). */
export function createAnalysis(options: AnalyzerOptions & BuildOptions = {}): { reader: CaptureReader; finish: (outcome: ReadOutcome, source: ReportSource) => AnalysisResult } {
  const analyzer = new Analyzer(options);
  const reader = new CaptureReader(analyzer);
  return { reader, finish: (outcome, source) => ({ report: buildReport(analyzer, reader.info, outcome, source, options), outcome }) };
}
