import { html, css } from 'lit';
import type { PortRecord } from '../../src/schema/report';
import { PortSelectEvent } from '../lib/events';
import { bytes } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';
import { SummaryView } from './summary-view';

/** Top ports by bytes (bars, click to filter); traffic over time is ph-io-graph. */
export class PhCharts extends SummaryView {

  static override styles = [sharedStyles, css`
    .bars { display: grid; grid-template-columns: auto 1fr auto; gap: 4px 8px; align-items: center; }
    .bars button { all: unset; cursor: pointer; font-size: 12.5px; white-space: nowrap; }
    .bars button:focus-visible { outline: 2px solid var(--focus); }
    .bar { height: 12px; border-radius: 3px; background: var(--accent); min-width: 2px; }
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

  override render() {
    if (!this.summary) return null;
    return html`<section class="panel" aria-label="Top ports">${this.topPorts()}</section>`;
  }
}
customElements.define('ph-charts', PhCharts);
