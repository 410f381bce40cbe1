// The I/O graph's series as the worker answers and the page draws it, and the steps shared by
// the ways of making it (see io-series.ts for the worker's query, io-recorded.ts for the tap's
// buckets). Light on imports: the page bundles it.
import { portClass } from '../net/port-class';
import { IoBins } from './io-bins';
import { AUTO_MAX_POINTS, MAX_POINTS, humanStep, pointsOver } from './io-interval';

export const IO_METRICS = ['bytes', 'bits', 'packets', 'flows'] as const;
/** bytes/s, bits/s, packets/s, or flows started per interval. */
export type IoMetric = (typeof IO_METRICS)[number];
export const IO_STACKS = ['class', 'service'] as const;
export type IoStackBy = (typeof IO_STACKS)[number];

/** Services stacked one by one; the rest is "other". */
export const TOP_SERVICES = 8;

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

/** The time range binned; `inclusive` when `to` is a timestamp that must fall inside. */
export interface IoRange { from: number; to: number; fromFilter: boolean; inclusive: boolean }

/** The name of a service port, if it has one ("https"). */
export type ServiceName = (proto: 'tcp' | 'udp', port: number) => string | null | undefined;

export const CLASS_IDS = ['well-known', 'registered', 'ephemeral', 'no-ports'] as const;
export const CLASS_LABELS = ['well-known', 'registered', 'ephemeral', 'IP without ports'] as const;

export type Shape = Omit<IoSeries, 'metric' | 'stackBy' | 'requested' | 'flows' | 'untimedFlows'> & { untimedFlows?: number };

export function emptyShape(): Shape {
  return { basis: 'exact', intervalSec: 1, adjusted: null, recordedSec: null, start: 0, count: 0, range: null, stacks: [], values: [], includesNoPorts: false };
}

export function serviceStack(key: number, nameOf: ServiceName): Omit<IoStack, 'total'> {
  const proto = key >= 65536 ? 'udp' : 'tcp';
  const port = key & 0xffff;
  const name = nameOf(proto, port);
  return { id: `${proto}/${port}`, label: `${port}/${proto}${name ? ` ${name}` : ''}`, cls: portClass(port) };
}

/** Interval to draw: the one asked for, unless finer than the data allow or too many points. */
export function pickInterval(requested: number | 'auto', range: IoRange, minSec: number, autoMinSec = minSec): { sec: number; adjusted: IoSeries['adjusted'] } {
  if (requested === 'auto') return { sec: humanStep(range.from, range.to, autoMinSec, AUTO_MAX_POINTS), adjusted: null };
  if (requested < minSec * (1 - 1e-9)) return { sec: humanStep(range.from, range.to, minSec, MAX_POINTS), adjusted: 'finer-than-recorded' };
  if (pointsOver(range.from, range.to, requested) > MAX_POINTS) return { sec: humanStep(range.from, range.to, requested, MAX_POINTS), adjusted: 'too-many-points' };
  return { sec: requested, adjusted: null };
}

export function binsOver(range: IoRange, sec: number, stacks: number): IoBins {
  const t0 = Math.floor(range.from / sec) * sec;
  const count = range.inclusive ? Math.floor((range.to - t0) / sec) + 1 : Math.max(1, Math.ceil((range.to - t0) / sec));
  return new IoBins(t0, sec, count, stacks);
}

export function finish(bins: IoBins, stacks: Omit<IoStack, 'total'>[], metric: IoMetric,
  rest: Pick<IoSeries, 'basis' | 'adjusted' | 'recordedSec' | 'includesNoPorts'> & { range: IoRange }): Shape {
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

