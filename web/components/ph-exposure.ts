import { html, LitElement, css } from 'lit';
import type { ExposedService } from '../../src/analysis/intel/exposure';
import type { UserLabel } from '../../src/storage/schema';
import { FilterChangeEvent } from '../lib/events';
import { count, time } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';

/** What is listening where: per host and port, accepted / refused / unanswered, with clients. */
export class PhExposure extends LitElement {
  static override properties = { services: { attribute: false }, labels: { attribute: false }, showAll: { state: true } };
  declare services: ExposedService[];
  declare labels: Map<string, UserLabel>;
  declare showAll: boolean;

  constructor() {
    super();
    this.services = [];
    this.labels = new Map();
    this.showAll = false;
  }

  static override styles = [sharedStyles, css`
    .scroll { max-height: 360px; overflow: auto; }
    .state { font-weight: 600; }
    .state.open { color: var(--wk); }
    .state.refused { color: var(--danger); }
    .state.unanswered { color: var(--muted); }
    button.link { all: unset; cursor: pointer; color: var(--accent); }
    button.link:focus-visible { outline: 2px solid var(--focus); }
    .label { font-size: 12px; background: var(--warn-bg); border-radius: 4px; padding: 0 6px; }
  `];

  override render() {
    const open = this.services.filter((s) => s.state === 'open');
    const shown = this.showAll ? this.services : open;
    return html`<section class="panel" aria-label="Exposed services">
      <h2>Exposed services <span class="muted">(${count(open.length)} open, ${count(this.services.filter((s) => s.state === 'refused').length)} refused,
        ${count(this.services.filter((s) => s.state === 'unanswered').length)} unanswered)</span></h2>
      <label class="muted"><input type="checkbox" .checked=${this.showAll} @change=${(e: Event) => { this.showAll = (e.target as HTMLInputElement).checked; }} /> also show refused and unanswered ports</label>
      <div class="scroll">
        <table data-testid="exposure-table">
          <thead><tr><th scope="col">Host</th><th scope="col" class="num">Port</th><th scope="col">Service</th><th scope="col">State</th>
            <th scope="col" class="num">Flows</th><th scope="col" class="num">Clients</th><th scope="col">Payload</th><th scope="col">First seen</th><th scope="col">Last seen</th></tr></thead>
          <tbody>${shown.slice(0, 1000).map((s) => {
            const label = this.labels.get(`${s.host}|${s.proto}|${s.port}`);
            return html`<tr>
              <td class="mono">${s.host}</td>
              <td class="num"><button class="link" title="Show these flows" @click=${() => this.dispatchEvent(new FilterChangeEvent(`${s.proto} and server port ${s.port} and host ${s.host}`))}>${s.port}/${s.proto}</button></td>
              <td>${s.service ?? '–'} ${label ? html`<span class="label" title="your label">${label.label}</span>` : null}</td>
              <td><span class="state ${s.state}">${s.state}</span></td>
              <td class="num">${count(s.flows)}</td>
              <td class="num" title=${s.clientList.join(', ')}>${count(s.clients)}</td>
              <td>${s.apps.join(', ') || '–'}</td>
              <td>${time(s.firstSeen).slice(11, 23)}</td><td>${time(s.lastSeen).slice(11, 23)}</td>
            </tr>`;
          })}</tbody>
        </table>
      </div>
    </section>`;
  }
}
customElements.define('ph-exposure', PhExposure);
