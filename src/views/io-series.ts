// The I/O graph's series of a selection, in the worker. Unfiltered, packets and bytes come from
// the tap's per-packet series (exact, io-recorded.ts); under a filter only flows are known, so
// each selected flow's packets and bytes are spread evenly over [first, last] (an estimate).
// Flows started is exact either way.
import { portClass } from '../net/port-class';
import { PORT_KEYS, portKey } from '../net/port-key';
import { serviceFor } from '../net/services';
import type { AnalysisState } from '../tap/analysis-state';
import { NUM } from '../tap/flow-table';
import { NO_PORT_CLASS } from '../tap/time-series';
import type { FilterNode } from './filter/filter-ast';
import { parseFilter } from './filter/parse-filter';
import { recordedOf, recordedSeriesOver, type RecordedSeries } from './io-recorded';
import { CLASS_IDS, CLASS_LABELS, TOP_SERVICES, binsOver, emptyShape, finish, pickInterval, serviceStack,
  type IoRange, type IoSeries, type IoSeriesOptions, type Shape } from './io-series-model';
import type { Selection } from './selection';

export type { IoMetric, IoSeries, IoSeriesOptions, IoStack, IoStackBy } from './io-series-model';

/** Recorded buckets a time range must hold for the recorded series to be drawn over it. */
const MIN_RECORDED_POINTS = 100;

const serviceName = (proto: 'tcp' | 'udp', port: number) => serviceFor(proto, port)?.name;

// Plain module constants for what the per-flow loop uses: under vitest, imports are read through
// getters on every use, which made the loop several times slower there than in the bundle.
const classOf = portClass, keyOf = portKey;
const STRIDE = NUM.STRIDE, FIRST_TS = NUM.FIRST_TS, LAST_TS = NUM.LAST_TS, PACKETS_AB = NUM.PACKETS_AB, BYTES_AB = NUM.BYTES_AB;

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
    const fine = options.intervalSec === 'auto' ? span / (2 * recorded.bucketSec) >= MIN_RECORDED_POINTS || !during : options.intervalSec >= recorded.bucketSec || !during;
    if (fine) return { ...base, ...recordedSeriesOver(recorded, options, range, serviceName) };
  }
  return { ...base, ...flowSeries(sel, options, range) };
}

/** From the selected flows: flows started (exact), or packets and bytes spread over each flow's time (estimate). */
function flowSeries(sel: Selection, options: IoSeriesOptions, range: IoRange): Shape {
  const { sec, adjusted } = pickInterval(options.intervalSec, range, 0);
  const facts = sel.facts;
  const flows = facts.state.flows;
  const num = flows.num;
  // Packets and bytes count frames once: the outermost layer's flows (a tunnelled flow repeats
  // its carrier's frames). Flows started counts every flow, tunnelled ones too.
  const rows = options.metric === 'flows' ? sel.rows : sel.outerRows();
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
    : [...top.map((k) => serviceStack(k, serviceName)), { id: 'other', label: 'other', cls: -1 }];
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

/** The capture's time range: the recorded buckets' span, or the first and last timestamps. */
function captureRange(state: AnalysisState, rec: RecordedSeries | null): IoRange | null {
  if (rec) return { from: rec.start, to: rec.start + rec.slots * rec.bucketSec, fromFilter: false, inclusive: false };
  const { firstTs, lastTs } = state.stats;
  return Number.isFinite(firstTs) && Number.isFinite(lastTs) ? { from: firstTs, to: lastTs, fromFilter: false, inclusive: true } : null;
}

/** The intersection of the `during` clauses the whole filter is a conjunction of, if any. */
export function duringRange(node: FilterNode): IoRange | null {
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
