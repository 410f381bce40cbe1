import { css, html, LitElement, nothing, unsafeCSS, type PropertyValues } from 'lit';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { INTERVAL_CHOICES, intervalLabel, pointsOver } from '../../src/views/io-interval';
import { ioSeriesOfRecorded, recordedOfReport } from '../../src/views/io-recorded';
import type { IoMetric, IoSeries, IoSeriesOptions, IoStack, IoStackBy } from '../../src/views/io-series-model';
import type { AnalysisSummary } from '../../src/views/summary';
import type { AnalysisSession } from '../../src/workers/analysis-client';
import { FilterChangeEvent } from '../lib/events';
import { aboutDuration, metricTitle, metricTotal, metricValue } from '../lib/io-units';
import { sharedStyles } from '../lib/shared-styles';
import { parseUtc, utcRange, utcTime, withoutTimeRange, withTimeRange } from '../lib/time-range';

const METRICS: Array<[IoMetric, string]> = [['bytes', 'bytes/s'], ['bits', 'bits/s'], ['packets', 'packets/s'], ['flows', 'flows started']];
const STACKS: Array<[IoStackBy, string]> = [['class', 'port class'], ['service', 'top services']];
const CLASS_VARS = ['--wk', '--reg', '--eph', '--other'];
const SERVICE_VARS = ['--s0', '--s1', '--s2', '--s3', '--s4', '--s5', '--s6', '--s7'];
/** Rows of the text alternative's table, at most (neighbouring intervals are joined). */
const TEXT_ROWS = 24;
/** A drag narrower than this (CSS px) is a click, not a range. */
const MIN_BRUSH_PX = 4;

/** uPlot's time axis in 24-hour UTC: [tick step, label, rollover labels (year .. second), mode 1 = append]. */
const TIME_TICKS: (string | number | null)[][] = [
  [365 * 86400, '{YYYY}', null, null, null, null, null, null, 1],
  [28 * 86400, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [86400, '{MM}-{DD}', '\n{YYYY}', null, null, null, null, null, 1],
  [3600, '{HH}:{mm}', '\n{YYYY}-{MM}-{DD}', null, '\n{YYYY}-{MM}-{DD}', null, null, null, 1],
  [60, '{HH}:{mm}', '\n{YYYY}-{MM}-{DD}', null, '\n{YYYY}-{MM}-{DD}', null, null, null, 1],
  [1, '{HH}:{mm}:{ss}', '\n{YYYY}-{MM}-{DD}', null, '\n{YYYY}-{MM}-{DD}', null, null, null, 1],
  [0.001, ':{ss}.{fff}', '\n{YYYY}-{MM}-{DD} {HH}:{mm}', null, '\n{YYYY}-{MM}-{DD} {HH}:{mm}', null, '\n{HH}:{mm}', null, 1],
];

const utcDate = (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');

/**
 * The I/O graph: traffic over a real time axis (UTC), per second or flows started per
 * interval, stacked by port class or top services, following the filter. The series comes
 * from the worker (Engine.series); while a capture is being read, from the summary's
 * recorded series. Dragging across the chart puts the time range into the filter.
 */
export class PhIoGraph extends LitElement {
  static override properties = {
    session: { attribute: false },
    filter: { attribute: false },
    summary: { attribute: false },
    metric: { state: true },
    interval: { state: true },
    stackBy: { state: true },
    series: { state: true },
    pending: { state: true },
    error: { state: true },
    zoomError: { state: true },
  };
  /** The worker holding the analysis; null while reading. */
  declare session: AnalysisSession | null;
  /** The applied filter. */
  declare filter: string | null;
  declare summary: AnalysisSummary | null;
  declare metric: IoMetric;
  declare interval: number | 'auto';
  declare stackBy: IoStackBy;
  declare series: IoSeries | null;
  declare pending: boolean;
  declare error: string;
  declare zoomError: string;

  private plot: uPlot | null = null;
  /** The stacks the plot has (ids): other stacks swap its series. */
  private stackKey = '';
  private theme: Theme | null = null;
  /** The chart's width in CSS px, from the ResizeObserver; 0 until known. */
  private width = 0;
  /** The stacks drawn and their values (not stacked), for the legend. */
  private shown: Shown = { stacks: [], values: [], colors: [] };
  private request = 0;
  private resize: ResizeObserver | null = null;
  private observed: HTMLElement | null = null;
  private drawTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly scheme = matchMedia('(prefers-color-scheme: dark)');

  constructor() {
    super();
    this.session = null;
    this.filter = null;
    this.summary = null;
    this.metric = 'bytes';
    this.interval = 'auto';
    this.stackBy = 'class';
    this.series = null;
    this.pending = false;
    this.error = '';
    this.zoomError = '';
  }

  static override styles = [sharedStyles, unsafeCSS(uplotCss), css`
    :host { display: block; min-width: 0;
      --s0: #2563eb; --s1: #d97706; --s2: #059669; --s3: #7c3aed; --s4: #db2777; --s5: #0891b2; --s6: #65a30d; --s7: #dc2626; }
    @media (prefers-color-scheme: dark) {
      :host { --s0: #60a5fa; --s1: #fbbf24; --s2: #34d399; --s3: #a78bfa; --s4: #f472b6; --s5: #22d3ee; --s6: #a3e635; --s7: #f87171; }
    }
    .head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 16px; justify-content: space-between; }
    .head h2 { margin: 0; }
    .controls { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; }
    .controls label { display: inline-flex; gap: 6px; align-items: center; font-size: 12.5px; color: var(--muted); }
    select, input { font: inherit; font-size: 12.5px; color: var(--text); background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 4px 6px; }
    select:hover, input:hover { border-color: var(--accent); }
    .caption { font-size: 12px; color: var(--muted); margin: 10px 0 2px; display: flex; flex-wrap: wrap; gap: 4px 12px; justify-content: space-between; }
    .chart { position: relative; min-height: 200px; margin-top: 4px; overflow: hidden; }
    .chart[aria-busy="true"] { opacity: 0.6; transition: opacity 0.2s 0.15s; }
    .empty { display: grid; place-items: center; min-height: 200px; color: var(--muted); }
    .note { font-size: 12px; color: var(--muted); margin: 6px 0 0; line-height: 1.45; }
    .note strong { color: var(--text); font-weight: 600; }
    .range { margin: 10px 0 0; padding: 6px 10px; border-radius: 6px; background: color-mix(in srgb, var(--accent) 10%, var(--panel));
      border: 1px solid color-mix(in srgb, var(--accent) 40%, var(--border)); font-size: 12.5px; display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; }
    .range button { padding: 2px 10px; font-size: 12.5px; }
    .error { color: var(--danger); font-size: 12.5px; }
    details { margin-top: 8px; font-size: 12.5px; }
    summary { cursor: pointer; color: var(--muted); width: fit-content; }
    summary:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
    form { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin-top: 6px; }
    form label { display: inline-flex; gap: 6px; align-items: center; }
    form input { width: 23ch; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    /* uPlot, in the page's colours; the legend shows values under the cursor (series are not toggled: they are stacked). */
    .uplot { font-family: inherit; width: 100%; }
    .u-legend { font-size: 12px; color: var(--text); text-align: left; margin-top: 2px; }
    .u-legend .u-series { pointer-events: none; padding: 0 4px; }
    .u-legend .u-series > * { padding: 2px 2px; }
    .u-legend .u-label { font-weight: 400; color: var(--muted); }
    .u-legend .u-value { font-variant-numeric: tabular-nums; }
    .u-legend th { font-weight: 400; }
    .u-select { background: color-mix(in srgb, var(--accent) 22%, transparent); }
    .u-cursor-x { border-right: 1px dashed var(--muted); }
    .u-cursor-y { display: none; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.scheme.addEventListener('change', this.onScheme);
    // Back in the page after being taken out: observe (and draw) again.
    if (this.hasUpdated) this.requestUpdate('series');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.scheme.removeEventListener('change', this.onScheme);
    this.resize?.disconnect();
    this.observed = null;
    this.plot?.destroy();
    this.plot = null;
    this.width = 0;
  }

  private onScheme = () => {
    this.theme = null;
    this.plot?.destroy();
    this.plot = null;
    this.draw();
  };

  /**
   * The chart's width comes from a ResizeObserver, never from reading layout: a forced layout of
   * a page with big tables costs tens of milliseconds, on every change of the data.
   */
  private observeChart(): void {
    const el = this.chartEl;
    if (el === this.observed) return;
    this.resize?.disconnect();
    this.plot?.destroy();
    this.plot = null;
    this.width = 0;
    this.observed = el;
    if (!el) return;
    this.resize ??= new ResizeObserver((entries) => {
      const w = Math.floor(entries[entries.length - 1]!.contentRect.width);
      if (w === this.width) return;
      this.width = w;
      if (this.plot && w > 0) this.plot.setSize({ width: w, height: this.chartHeight(w) });
      else this.draw();
    });
    this.resize.observe(el);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session') || changed.has('filter') || changed.has('summary') || changed.has('metric') || changed.has('interval') || changed.has('stackBy')) {
      void this.load();
    }
  }

  override updated(changed: PropertyValues<this>): void {
    this.observeChart();
    if (changed.has('series')) this.scheduleDraw();
  }

  /**
   * Draw in a task of its own, after the one that rendered the text: two short tasks rather than
   * one longer, so the page stays responsive while data changes.
   */
  private scheduleDraw(): void {
    if (this.drawTimer !== null) return;
    this.drawTimer = setTimeout(() => {
      this.drawTimer = null;
      this.draw();
    }, 0);
  }

  private options(): IoSeriesOptions {
    return { metric: this.metric, intervalSec: this.interval, stackBy: this.stackBy };
  }

  /** Ask the worker (or, while reading, the summary's recorded series) for the series; older answers are dropped. */
  private async load(): Promise<void> {
    const request = ++this.request;
    const summary = this.summary;
    const session = this.session;
    if (!summary) return;
    if (!session) {
      // Service names the summary knows (the page does not load the IANA table).
      const names = new Map<string, string | null>();
      for (const p of [...summary.timeSeries.topPorts, ...summary.topPorts]) names.set(`${p.proto}/${p.port}`, p.service);
      this.series = ioSeriesOfRecorded(recordedOfReport(summary.timeSeries), this.options(), (proto, port) => names.get(`${proto}/${port}`));
      this.error = '';
      return;
    }
    this.pending = true;
    try {
      const answer = await session.series(this.filter, this.options());
      if (request !== this.request) return;
      if (answer.ok) {
        this.series = answer.series;
        this.error = '';
      } else this.error = `The filter does not parse: ${answer.problem.message}`;
    } catch (err) {
      if (request === this.request) this.error = err instanceof Error ? err.message : String(err);
    } finally {
      if (request === this.request) this.pending = false;
    }
  }

  private get chartEl(): HTMLElement | null {
    return this.renderRoot.querySelector('.chart');
  }

  /** Build or update the uPlot chart for the current series. */
  private draw(): void {
    const el = this.chartEl;
    const s = this.series;
    if (!el || !s || s.count === 0) {
      this.plot?.destroy();
      this.plot = null;
      return;
    }
    // Drawn when the ResizeObserver first tells the width.
    if (this.width <= 0) return;
    this.theme ??= this.readTheme();
    const shown = this.shownStacks(s, this.theme);
    const data = this.stacked(s, shown.values);
    const key = shown.stacks.map((x) => x.id).join(',');
    const changedStacks = key !== this.stackKey;
    this.shown = shown;
    this.stackKey = key;
    if (!this.plot) {
      this.plot = new uPlot(this.plotOptions(shown, this.theme, this.width), data, el);
      return;
    }
    const plot = this.plot;
    // One chart for the component's life (until the colour scheme changes): other stacks are
    // series swapped in place, which costs no layout, unlike a new chart.
    plot.batch(() => {
      if (changedStacks) {
        plot.delBand(null);
        for (let i = plot.series.length - 1; i >= 1; i--) plot.delSeries(i);
        shown.stacks.forEach((_, k) => plot.addSeries(this.stackSeries(shown, k), k + 1));
        for (const band of this.bands(shown)) plot.addBand(band);
      }
      plot.setData(data, false);
      const [min, max] = this.xRange(s);
      plot.setScale('x', { min, max });
      plot.setScale('y', { min: 0, max: this.yMax(data) });
      // The legend shows totals at rest: they changed with the data.
      plot.setLegend({}, false);
    });
  }

  private chartHeight(width: number): number {
    return width < 560 ? 190 : 240;
  }

  private xRange(s: IoSeries): [number, number] {
    const end = s.start + s.count * s.intervalSec;
    if (!s.range) return [s.start, end];
    return s.range.fromFilter ? [s.range.from, s.range.to] : [Math.max(s.start, s.range.from), Math.min(end, Math.max(s.range.to, s.range.from + s.intervalSec))];
  }

  private yMax(data: uPlot.AlignedData): number {
    const top = data[data.length - 1] as Float64Array | undefined;
    let max = 0;
    if (top && data.length > 1) for (let i = 0; i < top.length; i++) if (top[i]! > max) max = top[i]!;
    return max > 0 ? max * 1.08 : 1;
  }

  /** x (interval starts, plus the end of the last one), then each stack added onto the ones below it. */
  private stacked(s: IoSeries, values: Float64Array[]): uPlot.AlignedData {
    const n = s.count;
    const xs = new Float64Array(n + 1);
    for (let i = 0; i <= n; i++) xs[i] = s.start + i * s.intervalSec;
    const acc = new Float64Array(n + 1);
    const ys: Float64Array[] = [];
    for (const v of values) {
      const y = new Float64Array(n + 1);
      for (let i = 0; i < n; i++) y[i] = acc[i] += v[i]!;
      y[n] = y[n - 1]!;
      acc[n] = y[n]!;
      ys.push(y);
    }
    return [xs, ...ys] as uPlot.AlignedData;
  }

  /** The stacks with something in them (an empty class is only clutter in the legend), each with its colour. */
  private shownStacks(s: IoSeries, theme: Theme): Shown {
    const color = (i: number) => theme.color(s.stackBy === 'class' ? CLASS_VARS[s.stacks[i]!.cls] ?? '--other'
      : s.stacks[i]!.id === 'other' ? '--other' : SERVICE_VARS[i % SERVICE_VARS.length]!);
    let keep = s.stacks.map((_, i) => i).filter((i) => s.stacks[i]!.total > 0);
    if (keep.length === 0) keep = [0];
    return { stacks: keep.map((i) => s.stacks[i]!), values: keep.map((i) => s.values[i]!), colors: keep.map(color) };
  }

  /** The page's colours (CSS variables): read once per colour scheme (reading styles forces a style pass). */
  private readTheme(): Theme {
    const cs = getComputedStyle(this);
    const cache = new Map<string, string>();
    const color = (name: string, fallback = '#888888') => {
      let v = cache.get(name);
      if (v === undefined) cache.set(name, v = cs.getPropertyValue(name).trim() || fallback);
      return v;
    };
    for (const name of [...CLASS_VARS, ...SERVICE_VARS]) color(name);
    return { color: (name, fallback) => cache.get(name) ?? fallback ?? '#888888', text: color('--text', '#1b1f24'), muted: color('--muted', '#5b6572'), grid: color('--border', '#d8dde3') };
  }

  private stackSeries(shown: Shown, k: number): uPlot.Series {
    return {
      label: shown.stacks[k]!.label,
      stroke: shown.colors[k],
      fill: alpha(shown.colors[k]!, 0.55),
      width: 1,
      paths: uPlot.paths.stepped!({ align: 1 }),
      points: { show: false },
      value: (_u: uPlot, _v: number, _si: number, idx: number | null) => this.legendValue(idx, k),
    };
  }

  /** Each stack fills down to the one below it. */
  private bands(shown: Shown): uPlot.Band[] {
    return shown.stacks.slice(1).map((_, k) => ({ series: [k + 2, k + 1] as [number, number] }));
  }

  /** Under the cursor: the stack's own value (not the stacked sum); at rest, its total over the range. */
  private legendValue(idx: number | null | undefined, k: number): string {
    const metric = this.series?.metric ?? 'bytes';
    const st = this.shown.stacks[k];
    const raw = this.shown.values[k];
    if (!st || !raw || raw.length === 0) return '–';
    if (idx == null) return `${metricTotal(metric, st.total)} in all`;
    return metricValue(metric, raw[Math.min(idx, raw.length - 1)]!);
  }

  private plotOptions(shown: Shown, theme: Theme, width: number): uPlot.Options {
    const font = '11px system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif';
    const metric = () => this.series?.metric ?? 'bytes';
    return {
      width,
      height: this.chartHeight(width),
      tzDate: utcDate,
      scales: {
        x: { time: true, range: () => this.series ? this.xRange(this.series) : [0, 1] },
        y: { range: (u) => [0, this.yMax(u.data)] },
      },
      axes: [
        { stroke: theme.muted, font, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1, size: 4 }, values: TIME_TICKS, space: 70 },
        {
          stroke: theme.muted, font, grid: { stroke: theme.grid, width: 1 }, ticks: { show: false }, space: 36,
          values: (_u, splits) => splits.map((v) => metricValue(metric(), v)),
          size: (_u, values) => (values ? Math.max(...values.map((t) => t.length)) * 6.2 : 40) + 14,
        },
      ],
      series: [
        { label: 'Time (UTC)', value: (_u, v) => (v != null ? utcTime(v) : this.series ? utcRange(...this.xRange(this.series)).replace(/ UTC$/, '') : '–') },
        ...shown.stacks.map((_, k) => this.stackSeries(shown, k)),
      ],
      bands: this.bands(shown),
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { live: true },
      hooks: { setSelect: [(u) => this.onBrush(u)] },
    };
  }

  /** A dragged range: zoom there now, and put it into the filter (replacing an earlier range). */
  private onBrush(u: uPlot): void {
    const { left, width } = u.select;
    if (width < MIN_BRUSH_PX) return;
    const from = u.posToVal(left, 'x');
    const to = u.posToVal(left + width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.zoomTo(from, to);
  }

  private zoomTo(from: number, to: number): void {
    if (!(to > from)) return;
    this.plot?.setScale('x', { min: from, max: to });
    this.dispatchEvent(new FilterChangeEvent(withTimeRange(this.filter, from, to)));
  }

  private resetZoom(): void {
    this.dispatchEvent(new FilterChangeEvent(withoutTimeRange(this.filter)));
  }

  private onZoomForm(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const from = parseUtc((form.elements.namedItem('from') as HTMLInputElement).value);
    const to = parseUtc((form.elements.namedItem('to') as HTMLInputElement).value);
    if (from === null || to === null) this.zoomError = 'Write times as 2024-01-31 13:45:00.250 (UTC).';
    else if (!(to > from)) this.zoomError = 'The end must come after the start.';
    else {
      this.zoomError = '';
      this.zoomTo(from, to);
    }
  }

  private pick<T>(e: Event, parse: (v: string) => T): T {
    return parse((e.target as HTMLSelectElement).value);
  }

  private renderControls(s: IoSeries | null) {
    const auto = s && this.interval === 'auto' ? ` (${intervalLabel(s.intervalSec)})` : '';
    return html`<div class="controls">
      <label>Metric <select @change=${(e: Event) => { this.metric = this.pick(e, (v) => v as IoMetric); }}>
        ${METRICS.map(([m, label]) => html`<option value=${m} ?selected=${m === this.metric}>${label}</option>`)}
      </select></label>
      <label>Interval <select @change=${(e: Event) => { this.interval = this.pick(e, (v) => (v === 'auto' ? 'auto' : Number(v))); }}>
        <option value="auto" ?selected=${this.interval === 'auto'}>auto${auto}</option>
        ${INTERVAL_CHOICES.map((sec) => html`<option value=${String(sec)} ?selected=${sec === this.interval}>${intervalLabel(sec)}</option>`)}
      </select></label>
      <label>Stack by <select @change=${(e: Event) => { this.stackBy = this.pick(e, (v) => v as IoStackBy); }}>
        ${STACKS.map(([k, label]) => html`<option value=${k} ?selected=${k === this.stackBy}>${label}</option>`)}
      </select></label>
    </div>`;
  }

  /** How the series was made, and why its interval is not the one asked for. */
  private renderNotes(s: IoSeries) {
    let basis;
    if (!this.session) basis = html`<strong>Exact</strong> so far: every IP packet read until now, whatever the filter; the graph follows the filter when reading has finished.`;
    else if (s.metric === 'flows') basis = html`<strong>Exact</strong>: each TCP or UDP flow counted once, in the interval of its first packet.`;
    else if (s.basis === 'exact') {
      const shared = s.recordedSec !== null && !isMultiple(s.intervalSec, s.recordedSec);
      basis = html`<strong>Exact</strong>: every IP packet counted in its interval${shared ? html` (the capture's series is kept in steps of ${aboutDuration(s.recordedSec!)}; a step across an interval edge is shared by time)` : ''}.`;
    } else {
      basis = html`<strong>Estimate</strong>: under a filter only flows are known, so each flow's packets and bytes are spread evenly from its first to its last packet (TCP and UDP flows; IP traffic without ports is left out).`;
    }
    let adjusted = null;
    if (s.adjusted === 'finer-than-recorded' && typeof s.requested === 'number') {
      adjusted = html` <strong>${intervalLabel(s.requested)} is finer than this capture's series was recorded</strong> (steps of ${aboutDuration(s.recordedSec!)}): showing ${intervalLabel(s.intervalSec)}, the finest available.`;
    } else if (s.adjusted === 'too-many-points' && typeof s.requested === 'number' && s.range) {
      adjusted = html` <strong>${intervalLabel(s.requested)} over this time range would be ${pointsOver(s.range.from, s.range.to, s.requested).toLocaleString('en-US')} points</strong>: showing ${intervalLabel(s.intervalSec)}.`;
    }
    const untimed = s.untimedFlows > 0 ? html` ${s.untimedFlows.toLocaleString('en-US')} flows without timestamps are left out.` : null;
    return html`<p class="note" data-testid="io-basis">${basis}${adjusted}${untimed}</p>`;
  }

  private renderRange(s: IoSeries) {
    if (!s.range?.fromFilter) return null;
    return html`<p class="range" role="status" data-testid="io-range">
      <span>Time range <span class="mono">${utcRange(s.range.from, s.range.to)}</span> is part of the filter.</span>
      <button @click=${this.resetZoom}>Reset zoom</button></p>`;
  }

  private renderZoomForm(s: IoSeries) {
    if (!this.session || !s.range) return null;
    return html`<details>
      <summary>Zoom to a time range by typing it</summary>
      <form @submit=${this.onZoomForm}>
        <label>From <input name="from" .value=${utcTime(s.range.from)} spellcheck="false" autocomplete="off"></label>
        <label>to <input name="to" .value=${utcTime(s.range.to)} spellcheck="false" autocomplete="off"></label>
        <span class="muted">UTC</span>
        <button type="submit">Zoom</button>
        ${s.range.fromFilter ? html`<button type="button" @click=${this.resetZoom}>Reset zoom</button>` : null}
        ${this.zoomError ? html`<span class="error" role="alert">${this.zoomError}</span>` : null}
      </form>
    </details>`;
  }

  /** The series in words and a short table, for screen readers. */
  private renderText(s: IoSeries) {
    if (s.count === 0 || !s.range) return null;
    const total = new Float64Array(s.count);
    for (const v of s.values) for (let i = 0; i < s.count; i++) total[i] += v[i]!;
    let peak = 0;
    let sum = 0;
    for (let i = 0; i < s.count; i++) {
      sum += total[i]!;
      if (total[i]! > total[peak]!) peak = i;
    }
    const fmt = (v: number) => metricValue(s.metric, v);
    const join = Math.ceil(s.count / TEXT_ROWS);
    const rows: Array<{ from: number; values: number[]; total: number }> = [];
    for (let i = 0; i < s.count; i += join) {
      const end = Math.min(s.count, i + join);
      // Rates average over the joined intervals; flows add up.
      const div = s.metric === 'flows' ? 1 : end - i;
      const values = s.values.map((v) => { let a = 0; for (let j = i; j < end; j++) a += v[j]!; return a / div; });
      rows.push({ from: s.start + i * s.intervalSec, values, total: values.reduce((a, b) => a + b, 0) });
    }
    const per = join > 1 ? intervalLabel(s.intervalSec * join) : intervalLabel(s.intervalSec);
    return html`<div class="sr-only" data-testid="io-text">
      <p>${metricTitle(s.metric, s.intervalSec)}, ${s.basis === 'exact' ? 'exact' : 'estimated from flow start and end times'}, ${utcRange(s.range.from, s.range.to)},
        in ${intervalLabel(s.intervalSec)} intervals: highest ${fmt(total[peak]!)} at ${utcTime(s.start + peak * s.intervalSec)} UTC,
        ${s.metric === 'flows' ? `${metricTotal('flows', sum)} in all` : `average ${fmt(sum / s.count)}`}.
        Totals: ${s.stacks.map((st) => `${st.label} ${metricTotal(s.metric, st.total)}`).join('; ')}.</p>
      <table>
        <caption>${metricTitle(s.metric, s.intervalSec)} by ${per}, stacked by ${s.stackBy === 'class' ? 'port class' : 'service'}</caption>
        <thead><tr><th scope="col">From (UTC)</th>${s.stacks.map((st) => html`<th scope="col">${st.label}</th>`)}<th scope="col">All</th></tr></thead>
        <tbody>${rows.map((r) => html`<tr><th scope="row">${utcTime(r.from)}</th>${r.values.map((v) => html`<td>${fmt(v)}</td>`)}<td>${fmt(r.total)}</td></tr>`)}</tbody>
      </table>
    </div>`;
  }

  private chartLabel(s: IoSeries): string {
    if (!s.range) return 'I/O graph: no timestamps';
    return `I/O graph: ${metricTitle(s.metric, s.intervalSec).toLowerCase()}, stacked by ${s.stackBy === 'class' ? 'port class' : 'top services'}, ${utcRange(s.range.from, s.range.to)}, ${intervalLabel(s.intervalSec)} intervals. Drag across it to put a time range into the filter.`;
  }

  override render() {
    if (!this.summary) return nothing;
    const s = this.series;
    const empty = !s || s.count === 0;
    const emptyText = !s ? 'Loading…' : !this.session && this.metric === 'flows'
      ? 'Flows started is shown when reading has finished.' : 'No packets with timestamps.';
    return html`<section class="panel" aria-labelledby="io-title" data-testid="io-graph">
      <div class="head">
        <h2 id="io-title">I/O graph</h2>
        ${this.renderControls(s)}
      </div>
      ${s ? this.renderRange(s) : null}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      ${s && !empty ? html`<div class="caption"><span>${metricTitle(s.metric, s.intervalSec)} · ${intervalLabel(s.intervalSec)} intervals · times in UTC</span>
        ${this.session ? html`<span>Drag across the graph to zoom: the time range becomes part of the filter.</span>` : null}</div>` : null}
      <div class="chart" role="img" aria-label=${s ? this.chartLabel(s) : 'I/O graph'} aria-busy=${this.pending ? 'true' : 'false'} data-testid="io-chart" ?hidden=${empty}></div>
      ${empty ? html`<div class="empty">${emptyText}</div>` : null}
      ${s && !empty ? this.renderNotes(s) : null}
      ${s && !empty ? this.renderZoomForm(s) : null}
      ${s ? this.renderText(s) : null}
    </section>`;
  }
}

interface Theme {
  color(name: string, fallback?: string): string;
  text: string;
  muted: string;
  grid: string;
}

interface Shown {
  stacks: IoStack[];
  values: Float64Array[];
  colors: string[];
}

function isMultiple(interval: number, step: number): boolean {
  const q = interval / step;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

/** "#2563eb" at an opacity; other colour syntaxes through color-mix. */
function alpha(color: string, a: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return `color-mix(in srgb, ${color} ${Math.round(a * 100)}%, transparent)`;
  const n = parseInt(m[1]!, 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 0xff}, ${n & 0xff}, ${a})`;
}

customElements.define('ph-io-graph', PhIoGraph);

declare global {
  interface HTMLElementTagNameMap {
    'ph-io-graph': PhIoGraph;
  }
}
