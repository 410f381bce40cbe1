import { CaptureReader } from '../decoder/capture-reader';
import type { ReadOutcome } from '../decoder/capture-info';
import { readCaptureStream, type ReadOptions } from '../decoder/stream-reader';
import type { AnalysisState, StateSource } from './analysis-state';
import { Tap, type TapOptions } from './tap';

export interface CaptureTap {
  tap: Tap;
  reader: CaptureReader;
  /** After the last byte: the state, with what the reader learned and how reading ended. */
  finish(outcome: ReadOutcome): AnalysisState;
}

/** A reader whose packets go to a new tap: push bytes synchronously, then finish. */
export function captureTap(source: StateSource, options: TapOptions = {}): CaptureTap {
  const tap = Tap.create(source, options);
  const reader = new CaptureReader(tap);
  // While reading, the state shows what the reader has learned so far (for partial views).
  tap.state.capture = reader.info;
  return {
    tap,
    reader,
    finish(outcome) {
      tap.state.capture = structuredClone(reader.info);
      tap.state.read = { ...outcome };
      return tap.state;
    },
  };
}

/** Read a whole capture stream into a new analysis state: the engine the CLI and the workers share. */
export async function readCapture(
  stream: ReadableStream<Uint8Array>, source: StateSource, options: ReadOptions & TapOptions = {},
): Promise<AnalysisState> {
  const t = captureTap(source, options);
  const outcome = await readCaptureStream(stream, t.reader, options);
  return t.finish(outcome);
}
