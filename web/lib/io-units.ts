// Values of the I/O graph for people: rates with decimal units (kB/s, Mbit/s, k pkt/s) and counts.
import type { IoMetric } from '../../src/views/io-series';
import { intervalLabel } from '../../src/views/io-interval';

const PREFIXES = ['', 'k', 'M', 'G', 'T', 'P'];

/** 1234567 → ["1.23", "M"], 999 → ["999", ""], 0.25 → ["0.25", ""]. */
export function si(v: number): [string, string] {
  if (!Number.isFinite(v)) return ['–', ''];
  let u = 0;
  let x = Math.abs(v);
  while (x >= 999.5 && u < PREFIXES.length - 1) {
    x /= 1000;
    u++;
  }
  const digits = x >= 100 ? 0 : x >= 10 ? 1 : 2;
  const text = (x > 0 && x < 1 ? x.toPrecision(2) : x.toFixed(digits)).replace(/\.0+$|(\.\d*?)0+$/, '$1');
  return [`${v < 0 ? '-' : ''}${text}`, PREFIXES[u]!];
}

/** A value of the metric with its unit: "1.2 MB/s", "9.6 Mbit/s", "120 pkt/s", "1.5k pkt/s", "35 flows". */
export function metricValue(metric: IoMetric, v: number): string {
  const [n, p] = si(v);
  switch (metric) {
    case 'bytes': return `${n} ${p}B/s`;
    case 'bits': return `${n} ${p}bit/s`;
    case 'packets': return `${n}${p} pkt/s`;
    case 'flows': return `${n}${p} ${v === 1 ? 'flow' : 'flows'}`;
  }
}

/** The y axis's title. */
export function metricTitle(metric: IoMetric, intervalSec: number): string {
  switch (metric) {
    case 'bytes': return 'Bytes per second';
    case 'bits': return 'Bits per second';
    case 'packets': return 'Packets per second';
    case 'flows': return `Flows started per ${intervalLabel(intervalSec)}`;
  }
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A total over the range, from the base amount (bytes for bytes and bits): "1.23 MB", "9.84 Mbit", "1,234 packets". */
export function metricTotal(metric: IoMetric, amount: number): string {
  switch (metric) {
    case 'bytes': { const [n, p] = si(amount); return `${n} ${p}B`; }
    case 'bits': { const [n, p] = si(amount * 8); return `${n} ${p}bit`; }
    case 'packets': return `${count.format(amount)} packets`;
    case 'flows': return `${count.format(amount)} flows`;
  }
}

/** A duration that is not a human step (the recorded resolution, e.g. 2^-7 s): "about 7.8 ms", "2 s". */
export function aboutDuration(sec: number): string {
  if (sec >= 1) return Number.isInteger(sec) ? `${sec} s` : `about ${sec.toPrecision(2)} s`;
  const ms = sec * 1000;
  return Number.isInteger(ms) ? `${ms} ms` : `about ${ms.toPrecision(2)} ms`;
}
