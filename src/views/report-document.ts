import { PORTHOLE_VERSION } from '../schema/version';
import { REPORT_SCHEMA_VERSION, type OtherFlows, type Report, type Totals } from '../schema/report';
import { formatAddress } from '../net/address';
import { FLOW_KEY } from '../tap/flow-table';
import type { AnalysisState } from '../tap/analysis-state';
import { decodeSummary } from './decode-summary';
import { fileRecords } from './file-records';
import { exposedRecord, flowRecord, hostRecord, ipConversation } from './records';
import type { Selection } from './selection';
import { identity, sortPermutation } from './sort';
import { timeSeriesReport } from './time-series-view';
import { warnings } from './warnings';

/** A long list of records, made a batch at a time. */
export interface RecordList<T> {
  readonly length: number;
  slice(from: number, to: number): T[];
}

const list = <T>(length: number, at: (i: number) => T): RecordList<T> => ({
  length,
  slice: (from, to) => {
    const out: T[] = [];
    for (let i = from; i < Math.min(to, length); i++) out.push(at(i));
    return out;
  },
});

/** The report's sections in order; arrays of records are RecordLists. */
type Sections = { [K in keyof Report]: unknown };

export function totalsOf(state: AnalysisState, flows: { tcp: number; udp: number }): Totals {
  const s = state.stats;
  const timed = s.firstTs <= s.lastTs;
  return {
    packets: s.packets, bytes: s.bytes, ipPackets: s.ipv4Packets + s.ipv6Packets, ipBytes: s.ipv4Bytes + s.ipv6Bytes, flows,
    firstTime: timed ? s.firstTs : null, lastTime: timed ? s.lastTs : null, duration: timed ? s.lastTs - s.firstTs : 0,
  };
}

export function otherFlowsOf(state: AnalysisState): OtherFlows {
  const t = state.flows;
  return t.overflowPackets > 0 ? { flows: t.overflowFlows, packets: t.overflowPackets, bytes: t.overflowBytes, cap: t.maxFlows } : null;
}

/**
 * The report of a selection, section by section, with its long lists (flows, ports, hosts,
 * exposure, IP conversations) as record lists made on demand: written as JSON in batches it
 * never exists whole in memory. Flows, ports, classes, hosts and intel follow the filter;
 * totals of packets and bytes, decode statistics and the time series describe the capture.
 */
export function reportSections(sel: Selection): Sections {
  const facts = sel.facts;
  const state = facts.state;
  const decode = decodeSummary(state.stats);
  const otherFlows = otherFlowsOf(state);
  const portRows = sel.portRows();
  const groups = sel.groups();
  const exposure = sel.exposureOrder();
  const hosts = sel.hosts();
  const ipOrder = ipConversationOrder(state);
  const marks = state.marks;
  const markOrder = keyOrder(marks.index.keys, marks.size);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: 'porthole', version: PORTHOLE_VERSION },
    source: { name: state.source.name, size: state.source.size },
    capture: state.capture,
    read: state.read,
    files: state.files.length > 1 ? fileRecords(state.files) : undefined,
    decode,
    totals: totalsOf(state, sel.flowCounts()),
    classes: sel.classes(),
    ports: list(portRows.length, portRows.at),
    flows: list(sel.rows.length, (i) => flowRecord(facts, sel.rows[i]!)),
    ipConversations: list(ipOrder.length, (i) => ipConversation(state, ipOrder[i]!)),
    hosts: list(hosts.order.length, (i) => hostRecord(facts.addresses, hosts, groups, hosts.order[i]!)),
    otherFlows,
    timeSeries: timeSeriesReport(state.series),
    intel: { exposed: list(exposure.length, (i) => exposedRecord(facts, groups, exposure[i]!)), findings: sel.findings(), thresholds: sel.thresholds },
    unreachable: list(marks.size, (i): [string, number, string, number, number] => {
      const m = markOrder[i]!;
      const k = m * FLOW_KEY.WIDTH;
      const keys = marks.index.keys;
      const version = keys[k + FLOW_KEY.META]! & 0xff;
      const ports = keys[k + FLOW_KEY.PORTS]!;
      return [formatAddress(version, keys, k + FLOW_KEY.ADDR_A), ports >>> 16, formatAddress(version, keys, k + FLOW_KEY.ADDR_B), ports & 0xffff, marks.bits[m]!];
    }),
    warnings: warnings(decode, otherFlows, state.read, state.capture.gzip),
    filter: sel.filter,
  };
}

/** Rows of a flow-key table in key order (deterministic, whatever the insertion order). */
function keyOrder(keys: Uint32Array, n: number): Uint32Array {
  let order = identity(n);
  const words = new Float64Array(n);
  for (let w = FLOW_KEY.WIDTH - 1; w >= 0; w--) {
    for (let i = 0; i < n; i++) words[i] = keys[order[i]! * FLOW_KEY.WIDTH + w]!;
    order = sortPermutation(order, words, false);
  }
  return order;
}

/** IP conversations by protocol, then first packet. */
function ipConversationOrder(state: AnalysisState): Uint32Array {
  const t = state.ipPairs;
  const n = t.size;
  const byFrame = sortPermutation(identity(n), Float64Array.from({ length: n }, (_, r) => t.firstFrame(r)), false);
  const proto = new Float64Array(n);
  for (let i = 0; i < n; i++) proto[i] = (t.index.keys[byFrame[i]! * FLOW_KEY.WIDTH]! >>> 8) & 0xff;
  return sortPermutation(byFrame, proto, false);
}

const isList = (v: unknown): v is RecordList<unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as RecordList<unknown>).slice === 'function' && typeof (v as RecordList<unknown>).length === 'number';

/**
 * JSON text of the report in pieces (lists go out `batch` records at a time). Joined, the
 * pieces are the JSON of `reportObject`.
 */
export function* reportJson(sel: Selection, batch = 200): Generator<string> {
  yield* jsonPieces(reportSections(sel), batch);
}

function* jsonPieces(value: unknown, batch: number): Generator<string> {
  if (isList(value)) {
    yield '[';
    for (let i = 0; i < value.length; i += batch) {
      const part = JSON.stringify(value.slice(i, i + batch));
      yield i === 0 ? part.slice(1, -1) : `,${part.slice(1, -1)}`;
    }
    yield ']';
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    yield '{';
    let first = true;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      yield `${first ? '' : ','}${JSON.stringify(k)}:`;
      first = false;
      yield* jsonPieces(v, batch);
    }
    yield '}';
    return;
  }
  yield JSON.stringify(value);
}

/** The whole report as one object (tests, small captures); large ones go through reportJson. */
export function reportObject(sel: Selection): Report {
  return materialize(reportSections(sel)) as Report;
}

function materialize(value: unknown): unknown {
  if (isList(value)) return value.slice(0, value.length);
  if (Array.isArray(value)) return value.map(materialize);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = materialize(v);
    return out;
  }
  return value;
}
