import { html, LitElement, css } from 'lit';
import { TableRowsController, type RowSource } from '../controllers/table-rows';
import { PortSelectEvent } from '../lib/events';
import { bytes, count } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';
import { nextSort, sortHeader, type Column } from './sortable';

/** Rows shown at first and added by each "Show more": the DOM stays small however many ports there are. */
const PAGE_ROWS = 50;

const COLUMNS: Column[] = [
  { key: 'port', label: 'Port', numeric: true, ascending: true },
  { key: 'proto', label: 'Proto' },
  { key: 'service', label: 'Service', title: 'IANA service name by port number (not from the payload)' },
  { key: 'class', label: 'Class' },
  { key: 'packets', label: 'Packets', numeric: true },
  { key: 'bytes', label: 'Bytes', numeric: true },
  { key: 'flows', label: 'Flows', numeric: true },
  { key: 'server', label: 'As server', numeric: true, title: 'Flows where this port was the server end' },
  { key: 'src', label: 'As source', numeric: true, title: 'Packets / bytes sent from this port' },
  { key: 'dst', label: 'As destination', numeric: true, title: 'Packets / bytes sent to this port' },
  { key: 'peers', label: 'Peers', numeric: true, title: 'Distinct addresses on the other end' },
];

/** Every (protocol, port): service, class, traffic, roles. Click a port to filter the flows to it. */
export class PhPortsTable extends LitElement {
  static override properties = { source: { attribute: false }, limit: { state: true } };
  declare source: RowSource | null;
  declare limit: number;
  private readonly rows = new TableRowsController(this, 'ports', { key: 'bytes', descending: true });

  constructor() {
    super();
    this.source = null;
    this.limit = PAGE_ROWS;
  }

  /** The port whose button had focus when it filtered the page: focus returns to it (or to the table). */
  private refocus: string | null = null;
  /** Row whose port button is the table's one tab stop (arrow keys move it). */
  private active = 0;

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('source')) {
      this.rows.set(this.source);
      this.limit = PAGE_ROWS;
    }
  }

  override updated() {
    if (!this.refocus || !this.rows.ready) return;
    const button = this.renderRoot.querySelector<HTMLElement>(`button.port[data-key="${this.refocus}"]`) ?? this.renderRoot.querySelector<HTMLElement>('button.port');
    if (button) {
      button.focus();
      this.refocus = null;
    }
  }

  private select(proto: 'tcp' | 'udp', port: number) {
    this.refocus = `${proto}/${port}`;
    this.dispatchEvent(new PortSelectEvent(proto, port));
  }

  /** Up and down arrows move between ports, so the table is one tab stop, not hundreds. */
  private onKey(e: KeyboardEvent, i: number, n: number) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    this.active = Math.max(0, Math.min(n - 1, i + (e.key === 'ArrowDown' ? 1 : -1)));
    this.requestUpdate();
    void this.updateComplete.then(() => this.renderRoot.querySelectorAll<HTMLElement>('button.port')[this.active]?.focus());
  }

  static override styles = [sharedStyles, css`
    .scroll { max-height: 460px; overflow: auto; }
    thead th { position: sticky; top: 0; background: var(--panel); z-index: 1; }
    tbody tr:nth-child(even) { background: var(--row-alt); }
    button.port { all: unset; cursor: pointer; color: var(--accent); font-weight: 600; text-decoration: underline dotted; }
    button.port:focus-visible { outline: 2px solid var(--focus); }
    .by { font-size: 11px; color: var(--muted); }
    td.bytes { position: relative; z-index: 0; }
    td.bytes .bar { position: absolute; left: 0; top: 3px; bottom: 3px; background: color-mix(in srgb, var(--accent) 18%, transparent); border-radius: 2px; z-index: -1; }
  `];

  override render() {
    const total = this.rows.total;
    const shown = this.rows.firstRows(this.limit);
    const maxBytes = shown.reduce((m, p) => Math.max(m, p.bytes), 0) || 1;
    const sort = this.rows.currentSort;
    const onSort = (key: string) => { const c = COLUMNS.find((x) => x.key === key)!; this.rows.set(this.source, nextSort(sort, key, c.numeric === true && !c.ascending)); };
    return html`<section class="panel" aria-label="Ports">
      <h2>Ports <span class="muted">(${count(total)})</span></h2>
      <div class="scroll">
        <table data-testid="ports-table">
          <caption class="sr-only">Ports, sortable by every column; activate a port to filter the flows to it</caption>
          <thead><tr>${COLUMNS.map((c) => sortHeader(c, sort, onSort))}</tr></thead>
          <tbody>${shown.map((p, i) => html`<tr data-port=${p.port} data-proto=${p.proto}>
            <td class="num"><button class="port" data-key="${p.proto}/${p.port}${p.tunnel ? `/${p.tunnel}` : ''}" tabindex=${i === Math.min(this.active, shown.length - 1) ? 0 : -1}
              title="Show flows on ${p.proto} port ${p.port} (arrow keys: other ports)" @click=${() => this.select(p.proto, p.port)}
              @keydown=${(e: KeyboardEvent) => this.onKey(e, i, shown.length)}>${p.port}</button></td>
            <td>${p.proto}${p.tunnel ? html` <span class="by" title="Seen in flows inside ${p.tunnel} tunnels (their frames also count in the carrier's ports)">in ${p.tunnel}</span>` : null}</td>
            <td title=${p.serviceDescription ? `${p.serviceDescription} (IANA, by port number)` : 'No IANA service name for this port'}>${p.service ?? html`<span class="muted">–</span>`}${p.service ? html` <span class="by">by port</span>` : null}</td>
            <td><span class="badge ${p.class}">${p.class}</span></td>
            <td class="num">${count(p.packets)}</td>
            <td class="num bytes" title="${p.bytes} bytes"><span class="bar" style="width:${((100 * p.bytes) / maxBytes).toFixed(1)}%" aria-hidden="true"></span>${bytes(p.bytes)}</td>
            <td class="num">${count(p.flows)}</td>
            <td class="num">${count(p.asServer.flows)}</td>
            <td class="num">${count(p.asSource.packets)} / ${bytes(p.asSource.bytes)}</td>
            <td class="num">${count(p.asDestination.packets)} / ${bytes(p.asDestination.bytes)}</td>
            <td class="num">${count(p.peers)}</td>
          </tr>`)}</tbody>
        </table>
      </div>
      ${total > this.limit ? html`<button @click=${() => { this.limit += PAGE_ROWS; }}>Show more (${count(total - Math.min(total, this.limit))} hidden)</button>` : null}
    </section>`;
  }
}
customElements.define('ph-ports-table', PhPortsTable);
