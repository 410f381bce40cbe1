import { readFileSync } from 'node:fs';
import type { ReadOutcome } from '../../src/decoder/capture-info';
import type { Report } from '../../src/schema/report';
import type { AnalysisState } from '../../src/tap/analysis-state';
import { captureTap, readCapture } from '../../src/tap/read-capture';
import type { TapOptions } from '../../src/tap/tap';
import { AnalysisView } from '../../src/views/analysis-view';
import { reportObject } from '../../src/views/report-document';

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

/** The whole report of a state, unfiltered or under a filter. */
export function reportOf(state: AnalysisState, filter: string | null = null): Report {
  return reportObject(new AnalysisView(state).select(filter));
}

export async function analyzeFile(path: string): Promise<{ report: Report; outcome: ReadOutcome; state: AnalysisState }> {
  const data = new Uint8Array(readFileSync(path));
  const state = await readCapture(bytesStream(data), { name: path.split('/').pop()!, size: data.length });
  return { report: reportOf(state), outcome: state.read, state };
}

/** The state of an uncompressed capture, pushed synchronously at the given cut points. */
export function stateOfBytes(data: Uint8Array, cuts: number[] = [], options: TapOptions = {}): AnalysisState {
  const t = captureTap({ name: 'capture', size: data.length }, options);
  let prev = 0;
  for (const cut of [...cuts, data.length]) {
    t.reader.push(data.subarray(prev, cut));
    prev = cut;
  }
  return t.finish(t.reader.end());
}

/** The report of an uncompressed capture, pushed synchronously at the given cut points. */
export function analyzeBytes(data: Uint8Array, cuts: number[] = []): Report {
  return reportOf(stateOfBytes(data, cuts));
}
