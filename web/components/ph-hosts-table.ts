import { html, LitElement, css } from 'lit';
import type { HostRecord } from '../../src/schema/report';
import type { UserLabel } from '../../src/storage/schema';
import { TableRowsController, type RowSource } from '../controllers/table-rows';
import { FilterChangeEvent } from '../lib/events';
import { bytes, count } from '../lib/format';
import { hostFilter } from '../lib/row-filters';
import { sharedStyles } from '../lib/shared-styles';
import { nextSort, sortHeader, type Column } from './sortable';
import './ph-row-actions';

const PAGE_ROWS = 50;

const COLUMNS: Column[] = [
  { key: 'address', label: 'Address' },
  { key: 'role', label: 'Acted as', title: 'Server (offered a service), client, or both' },
  { key: 'psent', label: 'Pkts sent', numeric: true },
  { key: 'sent', label: 'Bytes sent', numeric: true },
  { key: 'preceived', label: 'Pkts received', numeric: true },
  { key: 'received', label: 'Bytes received', numeric: true },
  { key: 'flows', label: 'Flows', numeric: true },
  { key: 'peers', label: 'Peers', numeric: true, title: 'Distinct addresses it talked to' },
  { key: 'services', label: 'Services offered', title: 'Ports where it was the server end, with their IANA service' },
];

/**
 * Endpoints, like Wireshark's Endpoints window: per address the traffic it sent and received,
 * its flows and peers, whether it acted as server, client or both, and the services it
 * offered (with your labels). Sorted and paged in the worker.
 */
export class PhHostsTable extends LitElement {
  static override properties = { source: { attribute: false }, labels: { attribute: false }, limit: { state: true }, selected: { state: true } };
  declare source: RowSource | null;
  declare labels: Map<string, UserLabel>;
  declare limit: number;
  declare selected: number;
  private readonly rows = new TableRowsController(this, 'hosts', { key: 'bytes', descending: true });

  constructor() {
    super();
    this.source = null;
    this.labels = new Map();
    this.limit = PAGE_ROWS;
    this.selected = -1;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('source')) {
      this.rows.set(this.source);
      this.limit = PAGE_ROWS;
      this.selected = -1;
    }
  }

  static override styles = [sharedStyles, css`
    .scroll { max-height: 460px; overflow: auto; }
    thead th { position: sticky; top: 0; background: var(--panel); z-index: 1; }
    tbody tr { cursor: pointer; }
    tbody tr:nth-child(even) { background: var(--row-alt); }
    tbody tr[aria-selected='true'] { background: color-mix(in srgb, var(--accent) 18%, transparent); }
    .svc { font-size: 12px; }
    .label { font-size: 12px; background: var(--warn-bg); border-radius: 4px; padding: 0 4px; }
  `];

  private services(h: HostRecord) {
    const shown = h.services.slice(0, 6);
    return html`${shown.map((s, i) => {
      const label = this.labels.get(`${h.address}|${s.proto}|${s.port}`);
      return html`${i ? ', ' : ''}<span class="svc" title="${s.flows} flows from ${s.clients} clients">${s.port}/${s.proto}${s.service ? ` ${s.service}` : ''}${label ? html` <span class="label">${label.label}</span>` : null}</span>`;
    })}${h.services.length > shown.length ? html` <span class="muted">+${h.services.length - shown.length} more</span>` : null}`;
  }

  override render() {
    const total = this.rows.total;
    const shown = this.rows.firstRows(this.limit);
    const sort = this.rows.currentSort;
    const onSort = (key: string) => this.rows.set(this.source, nextSort(sort, key, COLUMNS.find((c) => c.key === key)!.numeric === true));
    const h = this.selected >= 0 ? shown[this.selected] : undefined;
    return html`<section class="panel" aria-label="Endpoints">
      <h2>Endpoints <span class="muted" data-testid="host-count">(${count(total)})</span></h2>
      ${h ? html`<ph-row-actions .what=${h.address} .rowFilter=${hostFilter(h)} .current=${this.source?.filter ?? null}
          .header=${['address', 'role', 'packetsSent', 'bytesSent', 'packetsReceived', 'bytesReceived', 'flows', 'peers', 'services']}
          .cells=${[h.address, h.role ?? '', h.packetsSent, h.bytesSent, h.packetsReceived, h.bytesReceived, h.flows, h.peers ?? null, h.services.map((s) => `${s.port}/${s.proto}`).join(' ')]}></ph-row-actions>`
        : html`<p class="muted small">Select an address for actions: filter to it, exclude it, copy a Wireshark filter.</p>`}
      <div class="scroll">
        <table data-testid="hosts-table">
          <caption class="sr-only">Endpoints, sortable by every column; select a row for actions</caption>
          <thead><tr>${COLUMNS.map((c) => sortHeader(c, sort, onSort))}</tr></thead>
          <tbody>${shown.map((r, i) => html`<tr aria-selected=${this.selected === i ? 'true' : 'false'} tabindex=${i === Math.max(0, this.selected) ? 0 : -1}
              @click=${() => { this.selected = i; }} @keydown=${(e: KeyboardEvent) => this.onKey(e, i, shown.length)}>
            <td class="mono"><button class="link" title="Filter to ${r.address}" @click=${(e: Event) => { e.stopPropagation(); this.dispatchEvent(new FilterChangeEvent(hostFilter(r).porthole)); }}>${r.address}</button></td>
            <td>${r.role ?? ''}</td>
            <td class="num">${count(r.packetsSent)}</td><td class="num" title="${r.bytesSent} bytes">${bytes(r.bytesSent)}</td>
            <td class="num">${count(r.packetsReceived)}</td><td class="num" title="${r.bytesReceived} bytes">${bytes(r.bytesReceived)}</td>
            <td class="num">${count(r.flows)}</td><td class="num">${count(r.peers ?? 0)}</td>
            <td>${r.services.length ? this.services(r) : html`<span class="muted">–</span>`}</td>
          </tr>`)}</tbody>
        </table>
      </div>
      ${total > this.limit ? html`<button @click=${() => { this.limit += PAGE_ROWS; }}>Show more (${count(total - this.limit)} hidden)</button>` : null}
    </section>`;
  }

  private onKey(e: KeyboardEvent, i: number, n: number) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Enter') return;
    e.preventDefault();
    this.selected = e.key === 'Enter' ? i : Math.max(0, Math.min(n - 1, i + (e.key === 'ArrowDown' ? 1 : -1)));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('tbody tr[aria-selected=true]')?.focus());
  }
}
customElements.define('ph-hosts-table', PhHostsTable);
