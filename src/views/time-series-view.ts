import { serviceFor } from '../net/services';
import { SERIES_CLASS_NAMES, type TimeSeriesReport } from '../schema/report';
import { PORTS_PER_BUCKET, SERIES_CLASSES, type TimeSeries } from '../tap/time-series';

const TOP_PORT_SERIES = 8;

/** The time series as the report carries it: per bucket and class, sparse port cells, top-port series. */
export function timeSeriesReport(ts: TimeSeries): TimeSeriesReport {
  const packets: number[][] = [];
  const bytes: number[][] = [];
  const portCells: number[][] = [];
  for (let slot = 0; slot < ts.slots; slot++) {
    const p: number[] = [];
    const b: number[] = [];
    for (let c = 0; c < SERIES_CLASSES; c++) {
      p.push(ts.classPackets[slot * SERIES_CLASSES + c]!);
      b.push(ts.classBytes[slot * SERIES_CLASSES + c]!);
    }
    packets.push(p);
    bytes.push(b);
    for (let i = 0; i < PORTS_PER_BUCKET; i++) {
      const k = ts.portKeys[slot * PORTS_PER_BUCKET + i]!;
      if (k >= 0) portCells.push([slot, k, ts.portPackets[slot * PORTS_PER_BUCKET + i]!, ts.portBytes[slot * PORTS_PER_BUCKET + i]!]);
    }
  }
  portCells.sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
  const bucketSeconds = 2 ** ts.widthExp;
  return {
    widthExp: ts.widthExp, bucketSeconds, startIndex: ts.used ? ts.startIndex : 0, start: ts.used ? ts.startIndex * bucketSeconds : 0,
    classes: [...SERIES_CLASS_NAMES], packets, bytes, portCells, topPorts: topPortSeries(packets.length, portCells),
  };
}

/** Series of the ports that carried the most bytes. */
function topPortSeries(buckets: number, cells: number[][]): TimeSeriesReport['topPorts'] {
  const totals = new Map<number, number>();
  for (const [, key, , b] of cells) totals.set(key!, (totals.get(key!) ?? 0) + b!);
  const top = [...totals.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, TOP_PORT_SERIES).map(([k]) => k);
  return top.map((key) => {
    // Cells carry proto << 16 | port.
    const proto = key >>> 16 === 17 ? 'udp' : 'tcp';
    const port = key & 0xffff;
    const packets = new Array<number>(buckets).fill(0);
    const bytes = new Array<number>(buckets).fill(0);
    for (const [slot, k, p, b] of cells) {
      if (k === key) {
        packets[slot!] = p!;
        bytes[slot!] = b!;
      }
    }
    return { proto, port, service: serviceFor(proto, port)?.name ?? null, packets, bytes };
  });
}
