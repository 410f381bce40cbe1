import { readFileSync } from 'node:fs';
import { analyzeStream, type AnalysisResult } from '../../src/analysis/analyze-stream';
import { Analyzer } from '../../src/analysis/analyzer';
import { buildReport } from '../../src/analysis/build-report';
import { CaptureReader } from '../../src/decoder/capture-reader';

export function bytesStream(data: Uint8Array, chunk = data.length || 1): ReadableStream<Uint8Array> {
  let o = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (o >= data.length) {
        c.close();
        return;
      }
      c.enqueue(data.subarray(o, Math.min(data.length, o + chunk)));
      o += chunk;
    },
  });
}

export async function analyzeFile(path: string): Promise<AnalysisResult> {
  const data = new Uint8Array(readFileSync(path));
  return analyzeStream(bytesStream(data), { name: path.split('/').pop()!, size: data.length });
}

/** Synchronous analysis of an uncompressed capture, pushed at the given cut points. */
export function analyzeBytes(data: Uint8Array, cuts: number[] = []) {
  const analyzer = new Analyzer();
  const reader = new CaptureReader(analyzer);
  let prev = 0;
  for (const cut of [...cuts, data.length]) {
    reader.push(data.subarray(prev, cut));
    prev = cut;
  }
  const outcome = reader.end();
  return buildReport(analyzer, reader.info, outcome, { name: 'capture', size: data.length });
}
