import { html, css, svg } from 'lit';
import type { PortRecord } from '../../src/schema/report';
import { PortSelectEvent } from '../lib/events';
import { bytes, time } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';
import { SummaryView } from './summary-view';

const CLASS_VARS = ['var(--wk)', 'var(--reg)', 'var(--eph)', 'var(--other)'];
const CLASS_LABELS = ['well-known', 'registered', 'ephemeral', 'IP without ports'];

/** Top ports by bytes (bars, click to filter) and traffic over time by class (stacked columns). Plain SVG. */
export class PhCharts extends SummaryView {

  static override styles = [sharedStyles, css`
    .grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr); gap: 16px; }
    @media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
    .bars { display: grid; grid-template-columns: auto 1fr auto; gap: 4px 8px; align-items: center; }
    .bars button { all: unset; cursor: pointer; font-size: 12.5px; white-space: nowrap; }
    .bars button:focus-visible { outline: 2px solid var(--focus); }
    .bar { height: 12px; border-radius: 3px; background: var(--accent); min-width: 2px; }
    .timeline svg { width: 100%; height: 160px; display: block; }
    .legend { display: flex; gap: 12px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin-top: 6px; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
    .axis { font-size: 11px; color: var(--muted); display: flex; justify-content: space-between; }
  `];

  private topPorts() {
    const ports = this.summary?.topPorts ?? [];
    const max = ports[0]?.bytes || 1;
    const pick = (p: PortRecord) => this.dispatchEvent(new PortSelectEvent(p.proto, p.port));
    return html`<div>
      <h2>Top ports by bytes</h2>
      ${ports.length === 0 ? html`<p class="muted">No TCP or UDP traffic.</p>` : html`<div class="bars">${ports.map((p) => html`
        <button title="Filter flows to ${p.proto} port ${p.port}" @click=${() => pick(p)}>${p.port}/${p.proto} <span class="muted">${p.service ?? ''}</span></button>
        <div class="bar" style="width:${Math.max(1, (100 * p.bytes) / max)}%" aria-hidden="true"></div>
        <span class="num">${bytes(p.bytes)}</span>`)}</div>`}
    </div>`;
  }

  private timeline() {
    const ts = this.summary!.timeSeries;
    if (ts.bytes.length === 0) return html`<div class="timeline"><h2>Traffic over time</h2><p class="muted">No timestamps.</p></div>`;
    // Show at most ~120 columns: join neighbouring buckets (widths stay powers of two).
    let group = 1;
    while (ts.bytes.length / group > 120) group *= 2;
    const binned: number[][] = [];
    for (let i = 0; i < ts.bytes.length; i++) {
      const g = Math.floor(i / group);
      binned[g] ??= [0, 0, 0, 0];
      ts.bytes[i]!.forEach((v, c) => { binned[g]![c] += v; });
    }
    const n = binned.length;
    const bucketSeconds = ts.bucketSeconds * group;
    const totals = binned.map((b) => b.reduce((x, y) => x + y, 0));
    const max = Math.max(...totals) || 1;
    const w = 1000 / n;
    const cols = binned.map((b, i) => {
      let y = 100;
      return b.map((v, c) => {
        const h = (100 * v) / max;
        y -= h;
        return v > 0 ? svg`<rect x=${i * w} y=${y} width=${Math.max(w, 0.8)} height=${h} fill=${CLASS_VARS[c]}><title>${CLASS_LABELS[c]}: ${bytes(v)}</title></rect>` : null;
      });
    });
    return html`<div class="timeline">
      <h2>Traffic over time by class <span class="muted">(bytes per ${bucketSeconds >= 1 ? `${bucketSeconds} s` : `${(bucketSeconds * 1000).toFixed(2)} ms`})</span></h2>
      <svg viewBox="0 0 1000 100" preserveAspectRatio="none" role="img" aria-label="Bytes over time, stacked by port class">${cols}</svg>
      <div class="axis"><span>${time(ts.start)}</span><span>${time(ts.start + n * bucketSeconds)}</span></div>
      <div class="legend">${CLASS_LABELS.map((l, c) => html`<span><span class="swatch" style="background:${CLASS_VARS[c]}"></span>${l}</span>`)}</div>
    </div>`;
  }

  override render() {
    if (!this.summary) return null;
    return html`<section class="panel grid" aria-label="Charts">${this.topPorts()}${this.timeline()}</section>`;
  }
}
customElements.define('ph-charts', PhCharts);
