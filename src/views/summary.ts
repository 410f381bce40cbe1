import type { CaptureInfo, ReadOutcome } from '../decoder/capture-info';
import type { CaptureFileRecord, ClassCounts, DecodeSummary, Finding, OtherFlows, PortRecord, ScanThresholds, TimeSeriesReport, Totals } from '../schema/report';
import type { ClassSplit } from './class-split';
import type { StateFile } from '../tap/analysis-state';
import { decodeSummary } from './decode-summary';
import { fileRecords } from './file-records';
import { ATTEMPT } from './flow-facts';
import { portRecord } from './records';
import { otherFlowsOf, totalsOf } from './report-document';
import type { Selection } from './selection';
import { timeSeriesReport } from './time-series-view';
import { topN } from './top-n';
import { warnings } from './warnings';

/** Ports listed in the summary's top list. */
export const SUMMARY_TOP_PORTS = 10;

/**
 * What the page shows outside its tables, for one selection: small whatever the capture's
 * size (the tables ask for their rows separately). Totals of packets and bytes, decode
 * statistics and the time series describe the whole capture; the rest follows the filter.
 */
export interface AnalysisSummary {
  source: { name: string; size: number | null };
  capture: CaptureInfo;
  read: ReadOutcome;
  decode: DecodeSummary;
  /** Whole-capture packets and bytes; `flows` counts the selected flows. */
  totals: Totals;
  /** Flows of the whole capture, whatever the filter: TCP and UDP of the outermost layer, and those inside tunnels. */
  allFlows: { tcp: number; udp: number; tunnelled: number };
  /** Packets and bytes of the selected flows (of the outermost layer: each frame once). */
  selected: ClassCounts;
  /** Selected flows found inside tunnels (extra rows of the flows table, beside `selected.flows`). */
  tunnelledFlows: number;
  filter: string | null;
  classes: ClassSplit;
  topPorts: PortRecord[];
  /** Rows of each table under the filter. */
  rows: { flows: number; ports: number; hosts: number; exposure: number };
  exposure: { open: number; refused: number; unanswered: number };
  findings: Finding[];
  thresholds: ScanThresholds;
  timeSeries: TimeSeriesReport;
  otherFlows: OtherFlows;
  warnings: string[];
  /** The report's `files` section when the analysis holds several files, else null. */
  files: CaptureFileRecord[] | null;
}

/** The file records of a file list, made once per list (a summary is asked for at every filter change). */
const recordsOf = new WeakMap<readonly StateFile[], CaptureFileRecord[]>();
function filesSection(files: readonly StateFile[]): CaptureFileRecord[] | null {
  if (files.length < 2) return null;
  let r = recordsOf.get(files);
  if (!r) recordsOf.set(files, (r = fileRecords(files)));
  return r;
}

export function summarize(sel: Selection, all: Selection): AnalysisSummary {
  const state = sel.facts.state;
  const flows = state.flows;
  const decode = decodeSummary(state.stats);
  const otherFlows = otherFlowsOf(state);
  const ports = sel.ports();
  const groups = sel.groups();
  const exposure = { open: 0, refused: 0, unanswered: 0 };
  for (let g = 0; g < groups.size; g++) {
    const s = groups.state[g]!;
    if (s === ATTEMPT.OPEN) exposure.open++;
    else if (s === ATTEMPT.REFUSED) exposure.refused++;
    else exposure.unanswered++;
  }
  let packets = 0, bytes = 0;
  const outer = sel.outerRows();
  for (let i = 0; i < outer.length; i++) {
    const r = outer[i]!;
    packets += flows.packetsAB(r) + flows.packetsBA(r);
    bytes += flows.bytesAB(r) + flows.bytesBA(r);
  }
  return {
    source: { ...state.source },
    capture: structuredClone(state.capture),
    read: { ...state.read },
    decode,
    totals: totalsOf(state, sel.flowCounts()),
    allFlows: { ...all.flowCounts(), tunnelled: all.tunnelledFlows() },
    selected: { packets, bytes, flows: outer.length },
    tunnelledFlows: sel.tunnelledFlows(),
    filter: sel.filter,
    classes: sel.classes(),
    topPorts: topN(Array.from(ports.keys, (_, i) => i), SUMMARY_TOP_PORTS, (i) => ports.bytes[i]!).map((i) => portRecord(ports, i)),
    rows: { flows: sel.rows.length, ports: ports.keys.length, hosts: sel.hostCount(), exposure: groups.size },
    exposure,
    findings: sel.findings(),
    thresholds: sel.thresholds,
    timeSeries: timeSeriesReport(state.series),
    otherFlows,
    warnings: warnings(decode, otherFlows, state.read, state.capture.gzip),
    files: filesSection(state.files),
  };
}
