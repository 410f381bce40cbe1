// The tap's recorded buckets (2^k seconds, per class and sparse per service port) re-binned into
// human intervals: exact per packet. Used by the worker for unfiltered series, and by the page
// on the summary's series while a capture is being read.
import { portKey } from '../net/port-key';
import type { TimeSeriesReport } from '../schema/report';
import { PORTS_PER_BUCKET, SERIES_CLASSES, type TimeSeries } from '../tap/time-series';
import { CLASS_IDS, CLASS_LABELS, TOP_SERVICES, binsOver, emptyShape, finish, pickInterval, serviceStack,
  type IoRange, type IoSeries, type IoSeriesOptions, type IoStack, type ServiceName, type Shape } from './io-series-model';

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

/** The series of the recorded buckets alone (the page, while the capture is being read). */
export function ioSeriesOfRecorded(rec: RecordedSeries | null, options: IoSeriesOptions, nameOf: ServiceName): IoSeries {
  const base = { metric: options.metric, stackBy: options.stackBy, requested: options.intervalSec, flows: 0, untimedFlows: 0 };
  if (!rec || options.metric === 'flows') return { ...base, ...emptyShape() };
  return { ...base, ...recordedSeriesOver(rec, options, { from: rec.start, to: rec.start + rec.slots * rec.bucketSec, fromFilter: false, inclusive: false }, nameOf) };
}

/** The recorded buckets re-binned into human intervals (a bucket across an interval edge is shared by time). */
export function recordedSeriesOver(rec: RecordedSeries, options: IoSeriesOptions, range: IoRange, nameOf: ServiceName): Shape {
  // "auto" keeps to intervals of two recorded steps or more: with fewer, sharing a step across an
  // interval edge by time would make neighbouring intervals zigzag.
  const { sec, adjusted } = pickInterval(options.intervalSec, range, rec.bucketSec, 2 * rec.bucketSec);
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
    stacks = [...top.map((k) => serviceStack(k, nameOf)), { id: 'other', label: 'other', cls: -1 }];
  }
  return finish(bins, stacks, options.metric, { basis: 'exact', adjusted, recordedSec: u, range, includesNoPorts: true });
}

