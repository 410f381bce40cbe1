import { emptyCaptureInfo, type CaptureInfo, type ReadOutcome } from '../decoder/capture-info';
import { DecodeStats } from './decode-stats';
import { DEFAULT_MAX_FLOWS, FlowTable } from './flow-table';
import { MarkTable } from './mark-table';
import { PayloadTable } from './payload-table';
import { TimeSeries } from './time-series';

/** Where the analysed bytes came from. */
export interface StateSource {
  name: string;
  size: number | null;
}

/**
 * One capture file of an analysis of many files. src/many keeps this list (sorted, frames
 * renumbered, duplicates marked) when it merges states; `absorb` leaves it alone.
 */
export interface StateFile {
  /** The path as given. */
  name: string;
  size: number | null;
  /** SHA-256 (hex) of the file's size, first and last MiB; null when unknown. */
  fingerprint: string | null;
  capture: CaptureInfo;
  read: ReadOutcome;
  /** Packets read from it (its frames in the merged numbering) and their wire bytes. */
  packets: number;
  bytes: number;
  /** Epoch seconds of its earliest and latest packet; +Infinity and -Infinity when none has a time. */
  firstTs: number;
  lastTs: number;
  /** Decode warnings of this file alone. */
  warnings: string[];
  /** Name of the file it repeats (same fingerprint): its packets are counted once, under that name. */
  duplicateOf: string | null;
}

export const COMPLETE: ReadOutcome = { status: 'complete', offset: null, record: null, reason: null, message: null };

/**
 * Everything the tap collects about a capture, as typed columns: the analysis itself. Views
 * are queries over it; it is never modified by them. Two states of parts of the same
 * capture merge exactly with `absorb` (associative and commutative once frame numbers are
 * absolute, see `shiftFrames`).
 */
export class AnalysisState {
  source: StateSource;
  capture: CaptureInfo = emptyCaptureInfo();
  read: ReadOutcome = COMPLETE;
  readonly stats = new DecodeStats();
  /** TCP/UDP conversations with ports (and the conversations found inside tunnels). */
  readonly flows: FlowTable;
  /** Aligned with `flows` rows. */
  readonly payloads = new PayloadTable();
  /** IP traffic without ports (ICMP, GRE, ESP, non-first fragments, ...) per protocol and address pair. */
  readonly ipPairs: FlowTable;
  readonly marks = new MarkTable();
  readonly series = new TimeSeries();
  /** The capture files this state was read from, when it was made from files (see src/many). */
  files: StateFile[] = [];

  constructor(source: StateSource = { name: 'capture', size: null }, maxFlows = DEFAULT_MAX_FLOWS) {
    this.source = source;
    this.flows = new FlowTable(maxFlows);
    this.ipPairs = new FlowTable(maxFlows);
  }

  /** Frame numbers of a part of a file read after `packets` earlier packets: make them absolute. */
  shiftFrames(packets: number): void {
    if (packets === 0) return;
    this.flows.shiftFrames(packets);
    this.ipPairs.shiftFrames(packets);
    this.payloads.shiftFrames(packets);
  }

  /** Add another state of the same capture (exact). */
  absorb(other: AnalysisState): void {
    this.capture = mergeCapture(this.capture, other.capture);
    this.read = worstOutcome(this.read, other.read);
    this.stats.absorb(other.stats);
    const rowMap = this.flows.absorb(other.flows);
    this.payloads.absorb(other.payloads, rowMap);
    this.ipPairs.absorb(other.ipPairs);
    this.marks.absorb(other.marks);
    this.series.absorb(other.series);
  }
}

/** The first problem wins; "complete" only when both read to the end. */
function worstOutcome(a: ReadOutcome, b: ReadOutcome): ReadOutcome {
  return a.status !== 'complete' ? a : b;
}

/** What two parts' capture information says together (the first one's metadata wins). */
export function mergeCapture(a: CaptureInfo, b: CaptureInfo): CaptureInfo {
  if (a.format === null) return structuredClone(b);
  if (b.format === null) return a;
  const out = structuredClone(a);
  out.blocks += b.blocks;
  for (const bi of b.interfaces) {
    const ai = out.interfaces.find((x) => x.id === bi.id);
    if (ai) {
      ai.packets += bi.packets;
      ai.bytes += bi.bytes;
    } else out.interfaces.push(structuredClone(bi));
  }
  out.interfaces.sort((x, y) => x.id - y.id);
  for (const bs of b.sections) if (!out.sections.some((s) => s.index === bs.index)) out.sections.push(structuredClone(bs));
  out.sections.sort((x, y) => x.index - y.index);
  return out;
}
