import { CaptureReader } from '../decoder/capture-reader';
import type { ReadOutcome } from '../decoder/capture-info';
import { readCaptureStream } from '../decoder/stream-reader';
import type { AnalysisState } from '../tap/analysis-state';
import { captureTap } from '../tap/read-capture';
import type { PartSpec } from './analysis-api';
import { blobStream, readRange } from './blob-chunks';

export interface PartRead {
  state: AnalysisState;
  outcome: ReadOutcome;
  /** Packets read in this part (to make the next part's frame numbers absolute). */
  packets: number;
  /** The part met a section header or interface description after its start: merge unsafe. */
  sawHeaderBlocks: boolean;
}

export interface PartReadOptions {
  name: string;
  maxFlows?: number;
  signal?: AbortSignal;
  /** After each chunk: source bytes read so far, packets so far, and the live state. */
  onChunk?: (bytesRead: number, packets: number, state: AnalysisState) => void;
}

/** Read a File, or one part of it at record boundaries, into a new state. */
export async function readPart(file: Blob, part: PartSpec | null, options: PartReadOptions): Promise<PartRead> {
  const t = captureTap({ name: options.name, size: file.size }, { maxFlows: options.maxFlows });
  let headerSections = 0;
  let headerInterfaces = 0;
  if (part) {
    // Learn what the header declares, so blocks of that kind later in the part can be noticed.
    const probe = new CaptureReader({ packet() {} });
    probe.push(await readRange(file, 0, part.headerLen));
    headerSections = probe.info.sections.length;
    headerInterfaces = probe.info.interfaces.length;
    if (part.index > 0) {
      t.reader.push(await readRange(file, 0, part.headerLen));
      t.reader.skipTo(part.start);
      // The header's blocks belong to part 0; count only this part's own.
      t.reader.info.blocks = 0;
    }
  }
  const stream = blobStream(file, part?.start ?? 0, part?.end ?? file.size);
  const outcome = await readCaptureStream(stream, t.reader, {
    signal: options.signal,
    sniffGzip: !part || part.index === 0,
    onChunk: (n) => options.onChunk?.(n, t.reader.packets, t.tap.state),
  });
  const info = t.reader.info;
  return {
    state: t.finish(outcome),
    outcome,
    packets: t.reader.packets,
    sawHeaderBlocks: part !== null && (info.sections.length > headerSections || info.interfaces.length > headerInterfaces),
  };
}
