import { html, css } from 'lit';
import { FilterChangeEvent } from '../lib/events';
import { count, time } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';
import { SummaryView } from './summary-view';

/** Findings (scans, risky services, unexpected protocols) with links that filter the flows to the evidence. */
export class PhFindings extends SummaryView {

  static override styles = [sharedStyles, css`
    ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
    li { border-left: 4px solid var(--border); padding: 6px 10px; background: var(--bg); border-radius: 4px; }
    li.high { border-left-color: var(--danger); }
    li.medium { border-left-color: var(--eph); }
    li.low { border-left-color: var(--wk); }
    .title { font-weight: 600; }
    .why { color: var(--muted); font-size: 13px; margin: 2px 0 4px; }
    .sev { font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; margin-right: 6px; color: var(--muted); }
    button.link { all: unset; cursor: pointer; color: var(--accent); text-decoration: underline; font-size: 13px; }
    button.link:focus-visible { outline: 2px solid var(--focus); }
    .open { font-size: 12.5px; }
  `];

  /** A finding of a filtered view counts flows within that filter: its link keeps the filter. */
  private scoped(filter: string): string {
    const current = this.summary?.filter;
    return current ? `(${current}) and ${filter}` : filter;
  }

  override render() {
    const r = this.summary;
    if (!r) return null;
    const findings = r.findings;
    return html`<section class="panel" aria-label="Findings">
      <h2>Findings <span class="muted">(${findings.length})</span></h2>
      ${findings.length === 0 ? html`<p class="muted">No port scans, risky services or unexpected protocols in these flows.</p>` : html`<ul data-testid="findings">
        ${findings.map((f) => html`<li class=${f.severity} data-kind=${f.kind}>
          <div><span class="sev">${f.severity}</span><span class="title">${f.title}</span></div>
          <div class="why">${f.why}</div>
          ${f.kind === 'port-scan' ? html`<div class="open">${time(f.details.start as number)} – ${(f.details.portStates as string[] | undefined)?.join(', ') ?? ''}${(f.details.openPorts as string[]).length
            ? html`; open: ${(f.details.openPorts as string[]).slice(0, 12).join(', ')}` : ''}</div>` : null}
          <button class="link" @click=${() => this.dispatchEvent(new FilterChangeEvent(this.scoped(f.filter)))}>Show ${f.flows === 1 ? 'the flow' : `the ${count(f.flows)} flows`}</button>
        </li>`)}
      </ul>`}
    </section>`;
  }
}
customElements.define('ph-findings', PhFindings);
