import type { TimeSeriesReport } from './report-types';
import { PORTS_PER_BUCKET, SERIES_CLASSES, TimeSeries } from './time-series';

/** TimeSeries (typed arrays) to its JSON form in the Report. */
export function timeSeriesReport(ts: TimeSeries): TimeSeriesReport {
  const packets: number[][] = [];
  const bytes: number[][] = [];
  const portCells: number[][] = [];
  for (let slot = 0; slot < ts.slots; slot++) {
    const p: number[] = [];
    const b: number[] = [];
    for (let c = 0; c < SERIES_CLASSES; c++) {
      p.push(ts.classPackets[slot * SERIES_CLASSES + c]);
      b.push(ts.classBytes[slot * SERIES_CLASSES + c]);
    }
    packets.push(p);
    bytes.push(b);
    for (let i = 0; i < PORTS_PER_BUCKET; i++) {
      const k = ts.portKeys[slot * PORTS_PER_BUCKET + i];
      if (k >= 0) portCells.push([slot, k, ts.portPackets[slot * PORTS_PER_BUCKET + i], ts.portBytes[slot * PORTS_PER_BUCKET + i]]);
    }
  }
  portCells.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const bucketSeconds = 2 ** ts.widthExp;
  return {
    widthExp: ts.widthExp, bucketSeconds, startIndex: ts.used ? ts.startIndex : 0, start: ts.used ? ts.startIndex * bucketSeconds : 0,
    classes: ['well-known', 'registered', 'ephemeral', 'no-ports'],
    packets, bytes, portCells, topPorts: [],
  };
}

/** The Report's JSON form back to a TimeSeries, e.g. to merge two reports. */
export function timeSeriesFromReport(r: TimeSeriesReport): TimeSeries {
  const ts = TimeSeries.withWidth(r.widthExp);
  if (r.packets.length === 0) return ts;
  ts.used = true;
  ts.startIndex = r.startIndex;
  ts.slots = r.packets.length;
  for (let s = 0; s < r.packets.length; s++) {
    for (let c = 0; c < SERIES_CLASSES; c++) {
      ts.classPackets[s * SERIES_CLASSES + c] = r.packets[s][c];
      ts.classBytes[s * SERIES_CLASSES + c] = r.bytes[s][c];
    }
  }
  for (const [slot, key, p, b] of r.portCells) ts.addPort(slot, key, p, b);
  return ts;
}
