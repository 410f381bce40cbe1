import type { CaptureInfo, ReadOutcome } from '../decoder/capture-info';
import type { ClassCounts, DecodeSummary, Finding, OtherFlows, PortRecord, ScanThresholds, TimeSeriesReport, Totals } from '../schema/report';
import type { ClassSplit } from './class-split';
import { decodeSummary } from './decode-summary';
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
  /** Flows of the whole capture, whatever the filter. */
  allFlows: { tcp: number; udp: number };
  /** Packets and bytes of the selected flows. */
  selected: ClassCounts;
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
  for (let i = 0; i < sel.rows.length; i++) {
    const r = sel.rows[i]!;
    packets += flows.packetsAB(r) + flows.packetsBA(r);
    bytes += flows.bytesAB(r) + flows.bytesBA(r);
  }
  return {
    source: { ...state.source },
    capture: structuredClone(state.capture),
    read: { ...state.read },
    decode,
    totals: totalsOf(state, sel.flowCounts()),
    allFlows: all.flowCounts(),
    selected: { packets, bytes, flows: sel.rows.length },
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
  };
}
