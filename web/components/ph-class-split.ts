import { html, css, svg } from 'lit';
import type { PortClassName } from '../../src/net/port-class';
import type { ClassCounts } from '../../src/schema/report';
import { bytes, count, percent } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';
import { SummaryView } from './summary-view';

const CLASSES: Array<[PortClassName, string, string]> = [
  ['well-known', 'Well-known', '0–1023'],
  ['registered', 'Registered', '1024–49151'],
  ['ephemeral', 'Ephemeral', '49152–65535'],
];

/** Traffic by IANA port class, by server port and by every port: numbers and stacked bars. */
export class PhClassSplit extends SummaryView {

  static override styles = [sharedStyles, css`
    .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
    @media (max-width: 720px) { .grid { grid-template-columns: 1fr; } }
    h3 { font-size: 13px; margin: 0 0 6px; font-weight: 600; }
    svg { width: 100%; height: 18px; display: block; margin: 4px 0 8px; border-radius: 4px; overflow: hidden; }
    .wk { fill: var(--wk); } .reg { fill: var(--reg); } .eph { fill: var(--eph); }
    td:first-child { white-space: nowrap; }
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

  private table(title: string, split: Record<PortClassName, ClassCounts>, id: string) {
    const totalBytes = CLASSES.reduce((n, [c]) => n + split[c].bytes, 0);
    return html`<div>
      <h3>${title}</h3>
      ${this.bar(split)}
      <table data-testid=${id}>
        <thead><tr><th scope="col">Class</th><th scope="col" class="num">Flows</th><th scope="col" class="num">Packets</th><th scope="col" class="num">Bytes</th><th scope="col" class="num">Share</th></tr></thead>
        <tbody>${CLASSES.map(([c, label, range]) => html`<tr data-class=${c}>
          <td><span class="badge ${c}">${label}</span> <span class="muted">${range}</span></td>
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
        ${this.table('By server port (each flow once)', r.classes.byServerPort, 'class-by-server')}
        ${this.table('By every port seen', r.classes.byPort, 'class-by-port')}
      </div>
    </section>`;
  }
}
customElements.define('ph-class-split', PhClassSplit);
