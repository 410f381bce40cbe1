import { html, css } from 'lit';
import { bytes, count, duration, time } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';
import { SummaryView } from './summary-view';

/** File, format, link types, interfaces, totals, times and decode warnings. Capture strings are text only. */
export class PhSummary extends SummaryView {

  static override styles = [sharedStyles, css`
    dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px 18px; margin: 0; }
    dt { color: var(--muted); font-size: 12px; }
    dd { margin: 0; font-size: 16px; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    dd small { font-weight: 400; font-size: 12px; color: var(--muted); }
    .details { margin-top: 10px; font-size: 12.5px; color: var(--muted); }
    .details li { margin: 2px 0; }
    .warnings { margin-top: 10px; background: var(--warn-bg); border-radius: 6px; padding: 8px 10px; }
    .warnings ul { margin: 4px 0 0; padding-left: 18px; }
  `];

  override render() {
    const r = this.summary;
    if (!r) return null;
    const c = r.capture;
    const t = r.totals;
    const format = `${c.format ?? 'unknown'}${c.format === 'pcap' ? ` ${c.version ?? ''}` : ''}${c.gzip ? ' + gzip' : ''}`;
    const links = r.decode.linkTypes.map((l) => `${l.name} (${l.linkType})`).join(', ') || '–';
    return html`<section class="panel" aria-label="Capture summary">
      <h2>Capture</h2>
      <dl>
        <div><dt>File</dt><dd class="mono" data-testid="file-name">${r.source.name}</dd></div>
        <div><dt>Format</dt><dd>${format} <small>${c.byteOrder ?? ''}</small></dd></div>
        <div><dt>Packets</dt><dd data-testid="total-packets">${count(t.packets)}</dd></div>
        <div><dt>Bytes (wire)</dt><dd data-testid="total-bytes" title="${t.bytes} bytes">${count(t.bytes)} <small>${bytes(t.bytes)}</small></dd></div>
        <div><dt>TCP / UDP flows</dt><dd data-testid="total-flows">${count(r.allFlows.tcp)} / ${count(r.allFlows.udp)}${r.allFlows.tunnelled ? html` <small data-testid="tunnelled-flows">+ ${count(r.allFlows.tunnelled)} inside tunnels</small>` : null}</dd></div>
        <div><dt>Duration</dt><dd>${duration(t.duration)}</dd></div>
        <div><dt>First packet</dt><dd><small>${time(t.firstTime)}</small></dd></div>
        <div><dt>Last packet</dt><dd><small>${time(t.lastTime)}</small></dd></div>
      </dl>
      <ul class="details">
        <li>Link types: ${links}</li>
        <li>Interfaces: ${c.interfaces.length === 0 ? '–' : c.interfaces.map((i) => html`<span>${i.name ?? `#${i.id}`} (${i.linkTypeName}${i.description ? `, ${i.description}` : ''}) </span>`)}</li>
        ${c.sections.flatMap((s) => s.comments).map((cm) => html`<li>Comment: <span class="comment">${cm}</span></li>`)}
        ${c.sections.filter((s) => s.application || s.os).map((s) => html`<li>Written by: ${[s.application, s.os, s.hardware].filter(Boolean).join(' · ')}</li>`)}
        <li>IPv4 ${count(r.decode.ipVersions['4'].packets)} · IPv6 ${count(r.decode.ipVersions['6'].packets)} · without IP ${count(r.decode.noIp.reduce((n, x) => n + x.packets, 0))} packets</li>
      </ul>
      ${r.warnings.length ? html`<div class="warnings" role="note"><strong>Decode warnings</strong><ul>${r.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>` : null}
    </section>`;
  }
}
customElements.define('ph-summary', PhSummary);
