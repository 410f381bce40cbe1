import { html, css, svg } from 'lit';
import type { PortClassName } from '../../src/net/port-class';
import type { ClassCounts } from '../../src/schema/report';
import { CLIENT_RANGES, type ClientRangeCounts } from '../../src/views/class-split';
import { FilterChangeEvent } from '../lib/events';
import { bytes, count, percent } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';
import { SummaryView } from './summary-view';

const CLASSES: Array<[PortClassName, string, string, string]> = [
  ['well-known', 'Well-known', '0–1023', '0-1023'],
  ['registered', 'Registered', '1024–49151', '1024-49151'],
  ['ephemeral', 'Ephemeral', '49152–65535', '49152-65535'],
];

/** Traffic by IANA port class, by server port and by every port: numbers and stacked bars. */
export class PhClassSplit extends SummaryView {

  static override styles = [sharedStyles, css`
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
    button.plain { text-decoration: none; }
    h3 { font-size: 13px; margin: 0 0 6px; font-weight: 600; }
    svg { width: 100%; height: 18px; display: block; margin: 4px 0 8px; border-radius: 4px; overflow: hidden; }
    .wk { fill: var(--wk); } .reg { fill: var(--reg); } .eph { fill: var(--eph); }
    td:first-child { white-space: nowrap; }
    /* The client ranges have long names: they wrap, and a column too narrow scrolls inside itself. */
    .grid > div { min-width: 0; overflow-x: auto; }
    [data-testid=class-by-client] td:first-child { white-space: normal; }
  `];

  private bar(split: Record<PortClassName, ClassCounts>) {
    const total = CLASSES.reduce((n, [c]) => n + split[c].bytes, 0) || 1;
    let x = 0;
    const cls = { 'well-known': 'wk', registered: 'reg', ephemeral: 'eph' } as const;
    return svg`<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="bytes by class">${CLASSES.map(([c]) => {
      const w = (100 * split[c].bytes) / total;
      const r = svg`<rect class=${cls[c]} x=${x} y="0" width=${w} height="10"><title>${c}: ${percent(split[c].bytes, total)} of bytes</title></rect>`;
      x += w;
      return r;
    })}</svg>`;
  }

  /** Clicking a class filters everything to it: by server port, or by any port. */
  private pick(filter: string) {
    this.dispatchEvent(new FilterChangeEvent(filter));
  }

  private clientTable(split: ClientRangeCounts) {
    const total = CLIENT_RANGES.reduce((n, r) => n + split[r.id].flows, 0);
    return html`<div>
      <h3>Client ports by OS ephemeral range</h3>
      <p class="muted small">Where client ports fall answers "which registered ports are really services": Linux clients use 32768–60999.</p>
      <table data-testid="class-by-client">
        <thead><tr><th scope="col">Client port</th><th scope="col" class="num">Flows</th><th scope="col" class="num">Bytes</th><th scope="col" class="num">Share</th></tr></thead>
        <tbody>${CLIENT_RANGES.map((r) => html`<tr data-range=${r.id}>
          <td><button class="link" title="Filter to flows whose client port is in ${r.first}–${r.last}" @click=${() => this.pick(`client portrange ${r.first}-${r.last}`)}>${r.label}</button></td>
          <td class="num">${count(split[r.id].flows)}</td><td class="num" title="${split[r.id].bytes} bytes">${bytes(split[r.id].bytes)}</td>
          <td class="num">${percent(split[r.id].flows, total)}</td>
        </tr>`)}</tbody>
      </table>
    </div>`;
  }

  private table(title: string, split: Record<PortClassName, ClassCounts>, id: string, byServer: boolean) {
    const totalBytes = CLASSES.reduce((n, [c]) => n + split[c].bytes, 0);
    return html`<div>
      <h3>${title}</h3>
      ${this.bar(split)}
      <table data-testid=${id}>
        <thead><tr><th scope="col">Class</th><th scope="col" class="num">Flows</th><th scope="col" class="num">Packets</th><th scope="col" class="num">Bytes</th><th scope="col" class="num">Share</th></tr></thead>
        <tbody>${CLASSES.map(([c, label, range, words]) => html`<tr data-class=${c}>
          <td><button class="link plain" title=${byServer ? `Filter to flows whose server port is ${label.toLowerCase()}` : `Filter to flows with a ${label.toLowerCase()} port`}
            @click=${() => this.pick(byServer ? `server portrange ${words}` : c)}><span class="badge ${c}">${label}</span></button> <span class="muted">${range}</span></td>
          <td class="num">${count(split[c].flows)}</td><td class="num">${count(split[c].packets)}</td>
          <td class="num" title="${split[c].bytes} bytes">${bytes(split[c].bytes)}</td><td class="num">${percent(split[c].bytes, totalBytes)}</td>
        </tr>`)}</tbody>
      </table>
    </div>`;
  }

  override render() {
    const r = this.summary;
    if (!r) return null;
    return html`<section class="panel" aria-label="Traffic by port class">
      <h2>Traffic by port class</h2>
      <div class="grid">
        ${this.table('By server port (each flow once)', r.classes.byServerPort, 'class-by-server', true)}
        ${this.table('By every port seen', r.classes.byPort, 'class-by-port', false)}
        ${this.clientTable(r.classes.byClientRange)}
      </div>
    </section>`;
  }
}
customElements.define('ph-class-split', PhClassSplit);
