// Captures or state files (PHST, src/tap/state-codec.ts) named on the command line, read into
// one analysis state: several are merged with `absorb`, each later one's frames numbered after
// the packets before it, as if the files were one capture.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { ReadOutcome } from '../decoder/capture-info';
import { readCaptureStream } from '../decoder/stream-reader';
import type { AnalysisState } from '../tap/analysis-state';
import { captureTap } from '../tap/read-capture';
import { decodeState, STATE_MAGIC, StateFormatError } from '../tap/state-codec';
import { EXIT, reportOutcome, UsageError } from './exit';
import { openByteSource, readPlainFileSync } from './file-source';

export interface Inputs {
  state: AnalysisState;
  /** What to call the inputs in messages ("a.pcap", "a.pcap + b.pcap"). */
  name: string;
  /** The exit status reading gives (0, or 2 when a file is damaged); null when nothing usable was read. */
  status: number;
}

function startsWithStateMagic(file: string): boolean {
  if (file === '-') return false;
  const fd = openSync(file, 'r');
  try {
    const head = new Uint8Array(4);
    return readSync(fd, head, 0, 4, 0) === 4 && new TextDecoder().decode(head) === STATE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

async function readOne(file: string): Promise<AnalysisState> {
  if (startsWithStateMagic(file)) {
    const bytes = readFileSync(file);
    try {
      return decodeState(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    } catch (err) {
      if (err instanceof StateFormatError) throw new UsageError(`${file}: ${err.message}`);
      throw err;
    }
  }
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

/** Read every file; a file that is not a capture (or state) ends with its message and status 1. */
export async function readInputs(files: string[]): Promise<Inputs> {
  if (files.length === 0) throw new UsageError('no CAPTURE or STATE file given');
  let merged: AnalysisState | null = null;
  let packets = 0;
  let status: number = EXIT.OK;
  for (const file of files) {
    const state = await readOne(file);
    const outcome: ReadOutcome = state.read;
    const name = file === '-' ? 'standard input' : file;
    if (outcome.status === 'not-a-capture' || outcome.status === 'empty') return { state, name, status: reportOutcome(name, outcome) };
    if (outcome.status !== 'complete') status = reportOutcome(name, outcome);
    if (merged === null) merged = state;
    else {
      state.shiftFrames(packets);
      merged.absorb(state);
    }
    packets += state.stats.packets;
  }
  return { state: merged!, name: files.join(' + '), status };
}
