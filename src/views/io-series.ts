// The I/O graph's series: traffic per interval of a human width, stacked by port class or by
// top services, under a filter. Unfiltered, packets and bytes come from the tap's per-packet
// series (exact); under a filter only flows are known, so each selected flow's packets and
// bytes are spread evenly over [first, last] (an estimate). Flows started is exact either way.
import { portClass } from '../net/port-class';
import { PORT_KEYS, portKey } from '../net/port-key';
import { serviceFor } from '../net/services';
import type { TimeSeriesReport } from '../schema/report';
import type { AnalysisState } from '../tap/analysis-state';
import { NUM } from '../tap/flow-table';
import { NO_PORT_CLASS, PORTS_PER_BUCKET, SERIES_CLASSES, type TimeSeries } from '../tap/time-series';
import type { FilterNode } from './filter/filter-ast';
import { parseFilter } from './filter/parse-filter';
import { IoBins } from './io-bins';
import { AUTO_MAX_POINTS, MAX_POINTS, humanStep, pointsOver } from './io-interval';
import type { Selection } from './selection';

export const IO_METRICS = ['bytes', 'bits', 'packets', 'flows'] as const;
/** bytes/s, bits/s, packets/s, or flows started per interval. */
export type IoMetric = (typeof IO_METRICS)[number];
export const IO_STACKS = ['class', 'service'] as const;
export type IoStackBy = (typeof IO_STACKS)[number];

/** Services stacked one by one; the rest is "other". */
export const TOP_SERVICES = 8;
/** Recorded buckets a time range must hold for the recorded series to be drawn over it. */
const MIN_RECORDED_POINTS = 100;

export interface IoSeriesOptions {
  metric: IoMetric;
  /** Seconds per interval, or 'auto' (a human step giving about 130-400 points). */
  intervalSec: number | 'auto';
  stackBy: IoStackBy;
}

export interface IoStack {
  /** 'well-known' | 'registered' | 'ephemeral' | 'no-ports' | 'tcp/443' | 'other'. */
  id: string;
  /** For people: "well-known", "443/tcp https", "other". */
  label: string;
  /** Port class of the stack (0-2, NO_PORT_CLASS), -1 for "other". */
  cls: number;
  /** Over the shown range: bytes (bytes, bits), packets or flows. */
  total: number;
}

export interface IoSeries {
  metric: IoMetric;
  stackBy: IoStackBy;
  /** exact: counted per packet (or per flow start); estimate: spread from flow start and end times. */
  basis: 'exact' | 'estimate';
  /** The interval drawn (a human step), seconds. */
  intervalSec: number;
  requested: number | 'auto';
  /** Why the interval drawn is not the one asked for. */
  adjusted: null | 'finer-than-recorded' | 'too-many-points';
  /** Width of the recorded buckets when the series came from them, seconds. */
  recordedSec: number | null;
  /** Interval i covers [start + i * intervalSec, start + (i + 1) * intervalSec). */
  start: number;
  count: number;
  /** The time range shown: a `during` clause of the filter, or the capture's. Null without timestamps. */
  range: { from: number; to: number; fromFilter: boolean } | null;
  stacks: IoStack[];
  /** values[stack][interval]: per second (bytes, bits, packets) or per interval (flows). */
  values: Float64Array[];
  /** Flows of the selection, and how many of them carry no timestamp (left out). */
  flows: number;
  untimedFlows: number;
  /** Packets of IP traffic without ports are in the series (only the recorded series has them). */
  includesNoPorts: boolean;
}

/** The tap's series in a neutral form: from the state (worker) or a report (page, while reading). */
export interface RecordedSeries {
  bucketSec: number;
  start: number;
  slots: number;
  /** slots × SERIES_CLASSES. */
  classPackets: ArrayLike<number>;
  classBytes: ArrayLike<number>;
  /** Sparse per-service cells, keys in port-key space (tcp port, 65536 + udp port). */
  cellSlot: Int32Array;
  cellKey: Int32Array;
  cellPackets: Float64Array;
  cellBytes: Float64Array;
}

// Plain module constants for what the per-flow loop uses: under vitest, imports are read through
// getters on every use, which made the loop several times slower there than in the bundle.
const classOf = portClass, keyOf = portKey;
const STRIDE = NUM.STRIDE, FIRST_TS = NUM.FIRST_TS, LAST_TS = NUM.LAST_TS, PACKETS_AB = NUM.PACKETS_AB, BYTES_AB = NUM.BYTES_AB;

const CLASS_IDS = ['well-known', 'registered', 'ephemeral', 'no-ports'] as const;
const CLASS_LABELS = ['well-known', 'registered', 'ephemeral', 'IP without ports'] as const;

export function recordedOf(ts: TimeSeries): RecordedSeries | null {
  if (!ts.used || ts.slots === 0) return null;
  let cells = 0;
  const keys = ts.portKeys;
  const n = ts.slots * PORTS_PER_BUCKET;
  for (let i = 0; i < n; i++) if (keys[i]! >= 0) cells++;
  const rec = emptyRecorded(2 ** ts.widthExp, ts.startIndex * 2 ** ts.widthExp, ts.slots, cells);
  rec.classPackets = ts.classPackets.subarray(0, ts.slots * SERIES_CLASSES);
  rec.classBytes = ts.classBytes.subarray(0, ts.slots * SERIES_CLASSES);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (k < 0) continue;
    rec.cellSlot[c] = Math.floor(i / PORTS_PER_BUCKET);
    rec.cellKey[c] = portKey(k >>> 16, k & 0xffff);
    rec.cellPackets[c] = ts.portPackets[i]!;
    rec.cellBytes[c] = ts.portBytes[i]!;
    c++;
  }
  return rec;
}

export function recordedOfReport(r: TimeSeriesReport): RecordedSeries | null {
  const slots = r.bytes.length;
  if (slots === 0) return null;
  const rec = emptyRecorded(r.bucketSeconds, r.start, slots, r.portCells.length);
  const cp = new Float64Array(slots * SERIES_CLASSES);
  const cb = new Float64Array(slots * SERIES_CLASSES);
  for (let s = 0; s < slots; s++) {
    for (let c = 0; c < SERIES_CLASSES; c++) {
      cp[s * SERIES_CLASSES + c] = r.packets[s]![c]!;
      cb[s * SERIES_CLASSES + c] = r.bytes[s]![c]!;
    }
  }
  rec.classPackets = cp;
  rec.classBytes = cb;
  r.portCells.forEach(([slot, key, p, b], i) => {
    rec.cellSlot[i] = slot!;
    rec.cellKey[i] = portKey(key! >>> 16, key! & 0xffff);
    rec.cellPackets[i] = p!;
    rec.cellBytes[i] = b!;
  });
  return rec;
}

function emptyRecorded(bucketSec: number, start: number, slots: number, cells: number): RecordedSeries {
  return {
    bucketSec, start, slots, classPackets: [], classBytes: [],
    cellSlot: new Int32Array(cells), cellKey: new Int32Array(cells), cellPackets: new Float64Array(cells), cellBytes: new Float64Array(cells),
  };
}

/** The series of a selection (in the worker). */
export function ioSeries(sel: Selection, options: IoSeriesOptions): IoSeries {
  const state = sel.facts.state;
  const node = sel.filter ? parseFilter(sel.filter) : null;
  const during = node ? duringRange(node) : null;
  const recorded = recordedOf(state.series);
  const range = during ?? captureRange(state, recorded);
  const base = { metric: options.metric, stackBy: options.stackBy, requested: options.intervalSec, flows: sel.rows.length, untimedFlows: 0 };
  if (!range) return { ...base, ...emptyShape() };
  if (options.metric !== 'flows' && recorded && (!node || onlyDuring(node))) {
    // Unfiltered, or only a time range: the recorded series is exact, if fine enough for the range.
    const span = range.to - range.from;
    const fine = options.intervalSec === 'auto' ? span / recorded.bucketSec >= MIN_RECORDED_POINTS || !during : options.intervalSec >= recorded.bucketSec || !during;
    if (fine) return { ...base, ...recordedSeriesOver(recorded, options, range) };
  }
  return { ...base, ...flowSeries(sel, options, range) };
}

/** The series of the recorded buckets alone (the page, while the capture is being read). */
export function ioSeriesOfRecorded(rec: RecordedSeries | null, options: IoSeriesOptions): IoSeries {
  const base = { metric: options.metric, stackBy: options.stackBy, requested: options.intervalSec, flows: 0, untimedFlows: 0 };
  if (!rec || options.metric === 'flows') return { ...base, ...emptyShape() };
  return { ...base, ...recordedSeriesOver(rec, options, { from: rec.start, to: rec.start + rec.slots * rec.bucketSec, fromFilter: false, inclusive: false }) };
}

type Shape = Omit<IoSeries, 'metric' | 'stackBy' | 'requested' | 'flows' | 'untimedFlows'> & { untimedFlows?: number };
interface Range { from: number; to: number; fromFilter: boolean; inclusive: boolean }

function emptyShape(): Shape {
  return { basis: 'exact', intervalSec: 1, adjusted: null, recordedSec: null, start: 0, count: 0, range: null, stacks: [], values: [], includesNoPorts: false };
}

/** The recorded buckets re-binned into human intervals (a bucket across an interval edge is shared by time). */
function recordedSeriesOver(rec: RecordedSeries, options: IoSeriesOptions, range: Range): Shape {
  const { sec, adjusted } = pickInterval(options.intervalSec, range, rec.bucketSec);
  const bins = binsOver(range, sec, options.stackBy === 'class' ? SERIES_CLASSES : TOP_SERVICES + 1);
  const bytes = options.metric !== 'packets';
  const perClass = bytes ? rec.classBytes : rec.classPackets;
  const u = rec.bucketSec;
  const first = Math.max(0, Math.floor((bins.t0 - rec.start) / u));
  const last = Math.min(rec.slots, Math.ceil((bins.t0 + bins.count * sec - rec.start) / u));
  let stacks: Omit<IoStack, 'total'>[];
  if (options.stackBy === 'class') {
    for (let s = first; s < last; s++) {
      const a = rec.start + s * u;
      for (let c = 0; c < SERIES_CLASSES; c++) {
        const v = perClass[s * SERIES_CLASSES + c]!;
        if (v > 0) bins.span(c, a, a + u, v);
      }
    }
    stacks = CLASS_IDS.map((id, c) => ({ id, label: CLASS_LABELS[c]!, cls: c }));
  } else {
    const cellAmount = bytes ? rec.cellBytes : rec.cellPackets;
    const totals = new Map<number, number>();
    for (let i = 0; i < rec.cellSlot.length; i++) {
      const s = rec.cellSlot[i]!;
      if (s >= first && s < last) totals.set(rec.cellKey[i]!, (totals.get(rec.cellKey[i]!) ?? 0) + cellAmount[i]!);
    }
    const top = [...totals.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, TOP_SERVICES).map(([k]) => k);
    const stackOf = new Map(top.map((k, i) => [k, i]));
    const other = top.length;
    const inTop = new Float64Array(rec.slots);
    for (let i = 0; i < rec.cellSlot.length; i++) {
      const s = rec.cellSlot[i]!;
      const st = stackOf.get(rec.cellKey[i]!);
      if (s < first || s >= last || st === undefined) continue;
      const a = rec.start + s * u;
      bins.span(st, a, a + u, cellAmount[i]!);
      inTop[s] += cellAmount[i]!;
    }
    for (let s = first; s < last; s++) {
      let all = 0;
      for (let c = 0; c < SERIES_CLASSES; c++) all += perClass[s * SERIES_CLASSES + c]!;
      const rest = all - inTop[s]!;
      const a = rec.start + s * u;
      if (rest > 0) bins.span(other, a, a + u, rest);
    }
    stacks = [...top.map(serviceStack), { id: 'other', label: 'other', cls: -1 }];
  }
  return finish(bins, stacks, options.metric, { basis: 'exact', adjusted, recordedSec: u, range, includesNoPorts: true });
}

/** From the selected flows: flows started (exact), or packets and bytes spread over each flow's time (estimate). */
function flowSeries(sel: Selection, options: IoSeriesOptions, range: Range): Shape {
  const { sec, adjusted } = pickInterval(options.intervalSec, range, 0);
  const facts = sel.facts;
  const flows = facts.state.flows;
  const num = flows.num;
  const rows = sel.rows;
  const pa = facts.portA, pb = facts.portB, l4 = facts.l4;
  const metric = options.metric;
  const byClass = options.stackBy === 'class';
  // Packets or bytes of a row: its A→B and B→A columns sit two apart.
  const amountAt = metric === 'packets' ? PACKETS_AB : BYTES_AB;
  // Per row of the selection, its stack: the port class, or the rank among the top services (the last: other).
  const stackOf = new Uint8Array(rows.length);
  let top: number[] = [];
  if (byClass) {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const ca = classOf(pa[r]!), cb = classOf(pb[r]!);
      stackOf[i] = ca < cb ? ca : cb;
    }
  } else {
    const keys = new Int32Array(rows.length);
    const totals = new Float64Array(PORT_KEYS);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const k = serviceKey(l4[r]!, pa[r]!, pb[r]!);
      keys[i] = k;
      const o = r * STRIDE;
      totals[k] += metric === 'flows' ? 1 : num[o + amountAt]! + num[o + amountAt + 2]!;
    }
    top = topKeys(totals, TOP_SERVICES);
    const rank = new Uint8Array(PORT_KEYS).fill(top.length);
    top.forEach((k, i) => { rank[k] = i; });
    for (let i = 0; i < rows.length; i++) stackOf[i] = rank[keys[i]!]!;
  }
  const bins = binsOver(range, sec, byClass ? NO_PORT_CLASS : top.length + 1);
  let untimed = 0;
  for (let i = 0; i < rows.length; i++) {
    const o = rows[i]! * STRIDE;
    const first = num[o + FIRST_TS]!;
    if (!(first > -Infinity && first < Infinity)) {
      untimed++;
      continue;
    }
    if (metric === 'flows') bins.point(stackOf[i]!, first, 1);
    else bins.span(stackOf[i]!, first, num[o + LAST_TS]!, num[o + amountAt]! + num[o + amountAt + 2]!);
  }
  const stacks = byClass
    ? CLASS_IDS.slice(0, NO_PORT_CLASS).map((id, c) => ({ id, label: CLASS_LABELS[c]!, cls: c }))
    : [...top.map(serviceStack), { id: 'other', label: 'other', cls: -1 }];
  return { ...finish(bins, stacks, metric, { basis: metric === 'flows' ? 'exact' : 'estimate', adjusted, recordedSec: null, range, includesNoPorts: false }), untimedFlows: untimed };
}

/** The port a flow serves, as the tap guesses it per packet: the lower IANA class, then the lower port. */
function servicePort(a: number, b: number): number {
  const ca = classOf(a), cb = classOf(b);
  if (ca !== cb) return ca < cb ? a : b;
  return a < b ? a : b;
}

function serviceKey(l4: number, a: number, b: number): number {
  return keyOf(l4, servicePort(a, b));
}

function topKeys(totals: Float64Array, n: number): number[] {
  const top: number[] = [];
  for (let k = 0; k < totals.length; k++) {
    const v = totals[k]!;
    if (v <= 0) continue;
    if (top.length === n && v <= totals[top[n - 1]!]!) continue;
    let i = top.length === n ? n - 1 : top.length;
    while (i > 0 && totals[top[i - 1]!]! < v) {
      if (i < n) top[i] = top[i - 1]!;
      i--;
    }
    top[i] = k;
  }
  return top;
}

function serviceStack(key: number): Omit<IoStack, 'total'> {
  const proto = key >= 65536 ? 'udp' : 'tcp';
  const port = key & 0xffff;
  const name = serviceFor(proto, port)?.name;
  return { id: `${proto}/${port}`, label: `${port}/${proto}${name ? ` ${name}` : ''}`, cls: portClass(port) };
}

/** Interval to draw: the one asked for, unless finer than the data allow or too many points. */
function pickInterval(requested: number | 'auto', range: Range, minSec: number): { sec: number; adjusted: IoSeries['adjusted'] } {
  if (requested === 'auto') return { sec: humanStep(range.from, range.to, minSec, AUTO_MAX_POINTS), adjusted: null };
  if (requested < minSec * (1 - 1e-9)) return { sec: humanStep(range.from, range.to, minSec, MAX_POINTS), adjusted: 'finer-than-recorded' };
  if (pointsOver(range.from, range.to, requested) > MAX_POINTS) return { sec: humanStep(range.from, range.to, requested, MAX_POINTS), adjusted: 'too-many-points' };
  return { sec: requested, adjusted: null };
}

function binsOver(range: Range, sec: number, stacks: number): IoBins {
  const t0 = Math.floor(range.from / sec) * sec;
  const count = range.inclusive ? Math.floor((range.to - t0) / sec) + 1 : Math.max(1, Math.ceil((range.to - t0) / sec));
  return new IoBins(t0, sec, count, stacks);
}

function finish(bins: IoBins, stacks: Omit<IoStack, 'total'>[], metric: IoMetric,
  rest: Pick<IoSeries, 'basis' | 'adjusted' | 'recordedSec' | 'includesNoPorts'> & { range: Range }): Shape {
  const amounts = bins.amounts();
  const scale = metric === 'flows' ? 1 : (metric === 'bits' ? 8 : 1) / bins.width;
  const out = stacks.map((s, i) => {
    const a = amounts[i]!;
    let total = 0;
    for (let j = 0; j < a.length; j++) {
      total += a[j]!;
      a[j] = a[j]! * scale;
    }
    return { ...s, total };
  });
  const { range, ...others } = rest;
  return { ...others, intervalSec: bins.width, start: bins.t0, count: bins.count, stacks: out, values: amounts, range: { from: range.from, to: range.to, fromFilter: range.fromFilter } };
}

/** The capture's time range: the recorded buckets' span, or the first and last timestamps. */
function captureRange(state: AnalysisState, rec: RecordedSeries | null): Range | null {
  if (rec) return { from: rec.start, to: rec.start + rec.slots * rec.bucketSec, fromFilter: false, inclusive: false };
  const { firstTs, lastTs } = state.stats;
  return Number.isFinite(firstTs) && Number.isFinite(lastTs) ? { from: firstTs, to: lastTs, fromFilter: false, inclusive: true } : null;
}

/** The intersection of the `during` clauses the whole filter is a conjunction of, if any. */
export function duringRange(node: FilterNode): Range | null {
  if (node.kind === 'time' && node.mode === 'during') return { from: node.from, to: node.to, fromFilter: true, inclusive: true };
  if (node.kind !== 'and') return null;
  const l = duringRange(node.left), r = duringRange(node.right);
  if (!l || !r) return l ?? r;
  return { from: Math.max(l.from, r.from), to: Math.max(Math.max(l.from, r.from), Math.min(l.to, r.to)), fromFilter: true, inclusive: true };
}

/** Whether the filter says nothing but "during A-B" (and-ed): then every packet of the range is in it. */
function onlyDuring(node: FilterNode): boolean {
  if (node.kind === 'true') return true;
  if (node.kind === 'time') return node.mode === 'during';
  return node.kind === 'and' && onlyDuring(node.left) && onlyDuring(node.right);
}
