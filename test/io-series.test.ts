// The I/O graph's series: exact from the tap unfiltered, estimated from flows under a filter;
// totals conserved by every interval and stacking; human intervals; linear in the selection.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisState } from '../src/tap/analysis-state';
import { timeSeriesReport } from '../src/views/time-series-view';
import { AnalysisView } from '../src/views/analysis-view';
import { IoBins } from '../src/views/io-bins';
import { HUMAN_STEPS, INTERVAL_CHOICES, intervalLabel } from '../src/views/io-interval';
import { ioSeriesOfRecorded, recordedOf, recordedOfReport } from '../src/views/io-recorded';
import { ioSeries, type IoMetric, type IoSeries, type IoSeriesOptions } from '../src/views/io-series';
import { serviceFor } from '../src/net/services';
import { Engine } from '../src/workers/engine';
import { analyzeFile } from './helpers/analyze';
import { CAPTURES } from './helpers/fixtures';
import { reportOf } from './helpers/analyze';

const local = (n: string) => join(CAPTURES, 'local', n);

/** Amount over the series: bytes, packets or flows (undoing the per-second scale and bits). */
function amount(s: IoSeries): number {
  const scale = s.metric === 'flows' ? 1 : s.intervalSec / (s.metric === 'bits' ? 8 : 1);
  let total = 0;
  for (const v of s.values) for (let i = 0; i < v.length; i++) total += v[i]! * scale;
  return total;
}

const opts = (metric: IoMetric, intervalSec: number | 'auto' = 'auto', stackBy: 'class' | 'service' = 'class'): IoSeriesOptions => ({ metric, intervalSec, stackBy });

/** A state built flow by flow: [first ts, last ts, packets, bytes per packet, port a, port b, l4]. */
function stateOf(flows: Array<[number, number, number, number, number, number, number?]>): AnalysisState {
  const state = new AnalysisState({ name: 'synthetic', size: null });
  const p = { ipVersion: 4, addr: new Uint32Array(8), l4: 6, sport: 0, dport: 0, tcpFlags: 0 };
  let frame = 1;
  flows.forEach(([first, last, packets, size, a, b, l4], i) => {
    p.addr[0] = 0x0a000001;
    p.addr[4] = 0x0a010000 + i;
    p.l4 = l4 ?? 6;
    p.sport = a;
    p.dport = b;
    for (let k = 0; k < packets; k++) {
      const ts = packets === 1 ? first : first + ((last - first) * k) / (packets - 1);
      state.flows.add(p, 0, size, ts, true, frame++);
      state.series.add(ts, size, p.l4, a < b ? a : b);
    }
  });
  return state;
}

describe('interval bins', () => {
  it('an instant goes into one interval; a span shares itself by time; whole intervals inside a span get equal shares', () => {
    const b = new IoBins(10, 1, 5, 2);
    b.point(0, 10.5, 7);
    b.span(1, 10.5, 12.5, 4); // 0.5 s in [10, 11), 1 s in [11, 12), 0.5 s in [12, 13)
    b.span(1, 13, 15, 10); // ends on the edge of the last interval: nothing beyond it
    const [a0, a1] = b.amounts();
    expect([...a0!]).toEqual([7, 0, 0, 0, 0]);
    expect([...a1!]).toEqual([1, 2, 1, 5, 5]);
  });

  it('spans and instants outside the intervals are left out, partly outside: the part inside stays', () => {
    const b = new IoBins(0, 2, 3, 1);
    b.point(0, -0.1, 1);
    b.point(0, 6, 1);
    b.span(0, -2, 2, 8); // half before 0
    b.span(0, 4, 8, 8); // half after 6
    expect([...b.amounts()[0]!]).toEqual([4, 0, 4]);
  });

  it('where every span has ended, exactly 0 (no rounding residue from the running sum)', () => {
    const b = new IoBins(0, 0.05, 200, 1);
    for (let i = 0; i < 50; i++) b.span(0, i * 0.0371, i * 0.0371 + 1.3 + (i % 7) * 0.11, 1e6 + i * 12345.678);
    const a = b.amounts()[0]!;
    const last = Math.ceil((49 * 0.0371 + 1.3 + 6 * 0.11) / 0.05);
    for (let i = last + 1; i < 200; i++) expect(a[i]).toBe(0);
    expect(a.reduce((x, y) => x + y, 0)).toBeCloseTo(50 * 1e6 + 12345.678 * 1225, 3);
  });

  it('a span ending exactly on an interval edge adds nothing to the next interval (no float sliver)', () => {
    const w = 2 ** -10;
    const b = new IoBins(1700000000, 1, 3, 1);
    for (let i = 0; i < 1024; i++) b.span(0, 1700000000 + i * w, 1700000000 + (i + 1) * w, 1);
    expect([...b.amounts()[0]!]).toEqual([1024, 0, 0]);
  });
});

describe('human intervals', () => {
  it('labels are whole human units, never 7.81 ms', () => {
    expect(INTERVAL_CHOICES.map(intervalLabel)).toEqual(['1 ms', '10 ms', '100 ms', '1 s', '10 s', '1 min', '10 min', '1 h']);
    for (const s of HUMAN_STEPS) expect(intervalLabel(s)).toMatch(/^\d+ (ms|s|min|h|d)$/);
    for (let i = 1; i < HUMAN_STEPS.length; i++) expect(HUMAN_STEPS[i]! / HUMAN_STEPS[i - 1]!).toBeLessThanOrEqual(3);
  });
});

describe('the I/O series of a capture', () => {
  let state: AnalysisState;
  let view: AnalysisView;
  let ipBytes: number;
  let ipPackets: number;
  beforeAll(async () => {
    ({ state } = await analyzeFile(local('a-lo-any-dumpcap.pcapng')));
    view = new AnalysisView(state);
    const report = reportOf(state);
    ipBytes = report.totals.ipBytes;
    ipPackets = report.totals.ipPackets;
  });

  it('unfiltered: exact, and the sum over intervals is the capture\'s IP bytes and packets, whatever the interval and stacking', () => {
    const all = view.select(null);
    for (const interval of ['auto', ...INTERVAL_CHOICES] as const) {
      for (const stackBy of ['class', 'service'] as const) {
        const bytes = ioSeries(all, opts('bytes', interval, stackBy));
        expect(bytes.basis).toBe('exact');
        expect(amount(bytes)).toBeCloseTo(ipBytes, 6);
        expect(bytes.stacks.reduce((n, s) => n + s.total, 0)).toBeCloseTo(ipBytes, 6);
        expect(amount(ioSeries(all, opts('packets', interval, stackBy)))).toBeCloseTo(ipPackets, 6);
        expect(amount(ioSeries(all, opts('bits', interval, stackBy)))).toBeCloseTo(ipBytes, 6);
      }
    }
  });

  it('bits/s is bytes/s times 8, interval by interval', () => {
    const all = view.select(null);
    const bytes = ioSeries(all, opts('bytes'));
    const bits = ioSeries(all, opts('bits'));
    expect(bits.count).toBe(bytes.count);
    bytes.values.forEach((v, s) => v.forEach((x, i) => expect(bits.values[s]![i]).toBeCloseTo(8 * x, 6)));
  });

  it('re-binning is exact: an interval that is a multiple of the recorded buckets is the sum of the buckets inside it', () => {
    const rec = recordedOf(state.series)!;
    expect(rec.bucketSec).toBeLessThanOrEqual(1);
    const s = ioSeries(view.select(null), opts('bytes', 1));
    expect(s.intervalSec).toBe(1);
    for (let i = 0; i < s.count; i++) {
      for (let c = 0; c < 4; c++) {
        let want = 0;
        for (let k = 0; k < rec.slots; k++) {
          const t = rec.start + k * rec.bucketSec;
          if (t >= s.start + i && t < s.start + i + 1) want += rec.classBytes[k * 4 + c]!;
        }
        expect(s.values[c]![i]).toBe(want);
      }
    }
  });

  it('the page\'s series of the report (while reading) is the worker\'s unfiltered one', () => {
    const all = ioSeries(view.select(null), opts('bytes', 'auto', 'service'));
    const page = ioSeriesOfRecorded(recordedOfReport(timeSeriesReport(state.series)), opts('bytes', 'auto', 'service'), (proto, port) => serviceFor(proto, port)?.name);
    expect(page.stacks).toEqual(all.stacks);
    expect(page.values).toEqual(all.values);
  });

  it('filtered: flows started counts each selected flow once, in the interval of its first packet', () => {
    for (const filter of ['tcp', 'udp', 'port 53', 'tcp or udp']) {
      const sel = view.select(filter);
      for (const stackBy of ['class', 'service'] as const) {
        const s = ioSeries(sel, opts('flows', 0.01, stackBy));
        expect(s.basis).toBe('exact');
        expect(amount(s)).toBe(sel.rows.length - s.untimedFlows);
        expect(s.flows).toBe(sel.rows.length);
      }
    }
    const sel = view.select('tcp');
    const s = ioSeries(sel, opts('flows', 1));
    for (let i = 0; i < sel.rows.length; i++) {
      const bin = Math.floor(state.flows.firstTs(sel.rows[i]!) - s.start);
      expect(s.values.reduce((n, v) => n + v[bin]!, 0)).toBeGreaterThan(0);
    }
  });

  it('filtered: an estimate that conserves the selection\'s bytes and packets', () => {
    for (const filter of ['tcp', 'udp', 'tcp or udp', 'not port 53']) {
      const sel = view.select(filter);
      let bytes = 0, packets = 0;
      // Frames once: flows inside tunnels repeat their carrier's frames.
      for (const r of sel.outerRows()) {
        bytes += state.flows.bytes(r);
        packets += state.flows.packets(r);
      }
      for (const interval of ['auto', 0.001, 0.1, 10] as const) {
        const b = ioSeries(sel, opts('bytes', interval, 'service'));
        expect(b.basis).toBe('estimate');
        expect(amount(b)).toBeCloseTo(bytes, 4);
        expect(amount(ioSeries(sel, opts('packets', interval)))).toBeCloseTo(packets, 6);
      }
    }
  });

  it('all flows through a filter: the same classes as the exact series (IP traffic without ports aside)', () => {
    const exact = ioSeries(view.select(null), opts('bytes', 1));
    const est = ioSeries(view.select('tcp or udp'), opts('bytes', 1));
    for (let c = 0; c < 3; c++) expect(est.stacks[c]!.total).toBeCloseTo(exact.stacks[c]!.total, 4);
    expect(est.stacks.map((s) => s.id)).toEqual(['well-known', 'registered', 'ephemeral']);
    expect(exact.stacks[3]!.id).toBe('no-ports');
  });

  it('a filter with a bad word is a problem for the filter bar, not an exception', () => {
    const engine = new Engine(state);
    const bad = engine.series('port abc', opts('bytes'));
    expect(bad.ok).toBe(false);
    const good = engine.series(null, opts('bytes'));
    expect(good.ok && good.series.count).toBeGreaterThan(0);
  });
});

describe('time ranges and intervals', () => {
  // Ten minutes of traffic: the tap's buckets grow to 2 s (2^1) to keep 600 s in 512 buckets.
  const T = 1_700_000_000;
  const state = stateOf([
    [T, T + 600, 601, 100, 443, 50000],
    [T + 10, T + 10, 1, 60, 53, 40000, 17],
    [T + 100, T + 200, 11, 1000, 22, 51000],
  ]);
  const view = new AnalysisView(state);

  it('auto picks a human step giving 100-400 points over the range (of two recorded steps at least)', () => {
    const s = ioSeries(view.select(null), opts('bytes'));
    expect(s.intervalSec).toBeGreaterThanOrEqual(2 * s.recordedSec!);
    expect(s.count).toBeGreaterThanOrEqual(100);
    expect(s.count).toBeLessThanOrEqual(400);
    expect(HUMAN_STEPS).toContain(s.intervalSec);
    expect(s.adjusted).toBeNull();
  });

  it('asking for an interval finer than the recorded buckets: the finest human one available instead, and why', () => {
    const s = ioSeries(view.select(null), opts('bytes', 0.001));
    expect(s.recordedSec).toBe(2);
    expect(s.adjusted).toBe('finer-than-recorded');
    expect(s.intervalSec).toBe(2);
    const f = ioSeries(view.select(null), opts('bytes', 1));
    expect(f.intervalSec).toBe(2);
    expect(ioSeries(view.select(null), opts('bytes', 10)).adjusted).toBeNull();
  });

  it('too many points: a coarser interval, and why', () => {
    const s = ioSeries(view.select('tcp'), opts('bytes', 0.001));
    expect(s.adjusted).toBe('too-many-points');
    expect(s.count).toBeLessThanOrEqual(10_000);
    expect(HUMAN_STEPS).toContain(s.intervalSec);
  });

  it('a during clause is the range shown; only a time range: exact from the recorded series when fine enough', () => {
    const wide = ioSeries(view.select(`during ${T}-${T + 400}`), opts('bytes'));
    expect(wide.range).toEqual({ from: T, to: T + 400, fromFilter: true });
    expect(wide.basis).toBe('exact');
    const narrow = ioSeries(view.select(`during ${T + 100}-${T + 110}`), opts('bytes'));
    expect(narrow.basis).toBe('estimate');
    expect(narrow.start).toBeLessThanOrEqual(T + 100);
    expect(narrow.start + narrow.count * narrow.intervalSec).toBeGreaterThanOrEqual(T + 110);
    expect(narrow.count).toBeGreaterThanOrEqual(100);
    const both = ioSeries(view.select(`tcp and during ${T + 100}-${T + 300}`), opts('packets'));
    expect(both.basis).toBe('estimate');
    expect(both.range!.from).toBe(T + 100);
  });

  it('a flow with one instant puts everything in one interval; a long flow is spread evenly', () => {
    const s = ioSeries(view.select('udp'), opts('bytes', 1));
    const nonzero = [...s.values[0]!].map((v, i) => [i, v] as const).filter(([, v]) => v > 0);
    expect(nonzero).toEqual([[Math.floor(T + 10 - s.start), 60]]);
    const ssh = ioSeries(view.select('port 22'), opts('bytes', 10));
    const rates = [...ssh.values[0]!].filter((v) => v > 0);
    expect(rates).toHaveLength(10);
    for (const r of rates) expect(r).toBeCloseTo(11000 / 100, 9);
  });

  it('stacked by service: the top services by the metric, the rest as other', () => {
    const s = ioSeries(view.select('tcp or udp'), opts('bytes', 10, 'service'));
    expect(s.stacks.map((x) => x.id)).toEqual(['tcp/443', 'tcp/22', 'udp/53', 'other']);
    expect(s.stacks[0]!.label).toBe('443/tcp https');
    expect(s.stacks.map((x) => x.total)).toEqual([60100, 11000, 60, 0].map((v) => expect.closeTo(v, 6)));
    const exact = ioSeries(view.select(null), opts('bytes', 10, 'service'));
    expect(exact.basis).toBe('exact');
    expect(exact.stacks.map((x) => [x.id, x.total])).toEqual([['tcp/443', 60100], ['tcp/22', 11000], ['udp/53', 60], ['other', 0]]);
  });
});

/** CPU time of this process, ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

describe('linear in the selection', () => {
  it('bins a million flows in well under 100 ms', () => {
    const n = 1_000_000;
    const state = new AnalysisState({ name: 'million', size: null });
    const p = { ipVersion: 4, addr: new Uint32Array(8), l4: 6, sport: 0, dport: 0, tcpFlags: 0 };
    const T = 1_700_000_000;
    let t0 = performance.now();
    for (let i = 0; i < n; i++) {
      p.addr[0] = 0x0a000000 + (i >>> 8);
      p.addr[4] = 0xc0a80000 + (i & 0xff);
      p.sport = 1024 + (i % 60000);
      p.dport = [80, 443, 53, 22, 8080][i % 5]!;
      state.flows.add(p, 0, 60, T + i * 0.0006, true, 2 * i + 1);
      state.flows.add(p, 0, 1500, T + i * 0.0006 + (i % 7) * 0.5, true, 2 * i + 2);
    }
    console.log(`building 1M flows: ${Math.round(performance.now() - t0)} ms`);
    state.stats.firstTs = T;
    state.stats.lastTs = T + n * 0.0006 + 3;
    t0 = performance.now();
    const sel = new AnalysisView(state).select('tcp');
    console.log(`facts and selection of 1M flows: ${Math.round(performance.now() - t0)} ms`);
    expect(sel.rows.length).toBe(n);
    const times: Record<string, number> = {};
    for (const [metric, stackBy] of [['bytes', 'class'], ['packets', 'service'], ['flows', 'class'], ['bytes', 'service']] as const) {
      let best = Infinity;
      let s: IoSeries | null = null;
      for (let k = 0; k < 5; k++) {
        const t0 = cpuMs();
        s = ioSeries(sel, opts(metric, 'auto', stackBy));
        best = Math.min(best, cpuMs() - t0);
      }
      times[`${metric}/${stackBy}`] = Math.round(best * 10) / 10;
      expect(amount(s!)).toBeCloseTo(metric === 'flows' ? n : metric === 'packets' ? 2 * n : 1560 * n, -1);
    }
    console.log(`I/O series of 1M flows (ms of CPU, best of 5): ${JSON.stringify(times)}`);
    // CPU time, not wall time: parallel test files share the cores.
    for (const t of Object.values(times)) expect(t).toBeLessThan(100);
  }, 60_000);
});
