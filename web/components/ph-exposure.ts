import { html, LitElement, css } from 'lit';
import type { UserLabel } from '../../src/storage/schema';
import type { AnalysisSummary } from '../../src/views/summary';
import { TableRowsController, type RowSource } from '../controllers/table-rows';
import { FilterChangeEvent } from '../lib/events';
import { count, time } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';

const PAGE_ROWS = 30;

/** What is listening where: per host and port, accepted / refused / unanswered, with clients. */
export class PhExposure extends LitElement {
  static override properties = { source: { attribute: false }, counts: { attribute: false }, labels: { attribute: false }, showAll: { state: true }, limit: { state: true } };
  /** Rows shown; "Show more" adds PAGE_ROWS (the DOM stays small for a scan of a million ports). */
  declare limit: number;
  declare source: RowSource | null;
  declare counts: AnalysisSummary['exposure'];
  declare labels: Map<string, UserLabel>;
  declare showAll: boolean;
  /** Open services first (by host, protocol, port), then the refused and unanswered ones. */
  private readonly rows = new TableRowsController(this, 'exposure', { key: 'state', descending: true });

  constructor() {
    super();
    this.source = null;
    this.counts = { open: 0, refused: 0, unanswered: 0 };
    this.labels = new Map();
    this.showAll = false;
    this.limit = PAGE_ROWS;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('source')) {
      this.rows.set(this.source);
      this.limit = PAGE_ROWS;
    }
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
    const c = this.counts;
    const available = this.showAll ? c.open + c.refused + c.unanswered : c.open;
    const shown = this.rows.firstRows(Math.min(this.limit, available));
    return html`<section class="panel" aria-label="Exposed services">
      <h2>Exposed services <span class="muted">(${count(c.open)} open, ${count(c.refused)} refused, ${count(c.unanswered)} unanswered)</span></h2>
      <label class="muted"><input type="checkbox" .checked=${this.showAll} @change=${(e: Event) => { this.showAll = (e.target as HTMLInputElement).checked; }} /> also show refused and unanswered ports</label>
      <div class="scroll">
        <table data-testid="exposure-table">
          <thead><tr><th scope="col">Host</th><th scope="col" class="num">Port</th><th scope="col">Service</th><th scope="col">State</th>
            <th scope="col" class="num">Flows</th><th scope="col" class="num">Clients</th><th scope="col">Payload</th><th scope="col">First seen</th><th scope="col">Last seen</th></tr></thead>
          <tbody>${shown.map((s) => {
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
      ${available > this.limit ? html`<button @click=${() => { this.limit += PAGE_ROWS; }}>Show more (${count(available - this.limit)} hidden)</button>` : null}
    </section>`;
  }
}
customElements.define('ph-exposure', PhExposure);
