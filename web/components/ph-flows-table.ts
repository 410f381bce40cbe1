import '@lit-labs/virtualizer';
import { html, LitElement, css, unsafeCSS } from 'lit';
import type { FlowRecord } from '../../src/schema/report';
import type { UserLabel } from '../../src/storage/schema';
import { ROLE_RULE_TEXT } from '../../src/schema/report';
import { tcpFlagLetters } from '../../src/net/tcp-flags';
import { bytes, count, duration, endpoint, time } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';
import { TableRowsController, type RowSource } from '../controllers/table-rows';
import { nextSort, type Column } from './sortable';

const clientEnd = (f: FlowRecord) => (f.server === 'a' ? { addr: f.b, port: f.bPort } : { addr: f.a, port: f.aPort });
const serverEnd = (f: FlowRecord) => (f.server === 'a' ? { addr: f.a, port: f.aPort } : { addr: f.b, port: f.bPort });
const toServer = (f: FlowRecord) => (f.server === 'a' ? [f.packetsBA, f.bytesBA] : [f.packetsAB, f.bytesAB]);
const toClient = (f: FlowRecord) => (f.server === 'a' ? [f.packetsAB, f.bytesAB] : [f.packetsBA, f.bytesBA]);

const COLUMNS: Column[] = [
  { key: 'client', label: 'Client' },
  { key: 'server', label: 'Server' },
  { key: 'proto', label: 'Proto' },
  { key: 'service', label: 'Service' },
  { key: 'class', label: 'Class' },
  { key: 'role', label: 'Server by' },
  { key: 'pcs', label: 'Pkts →', numeric: true, title: 'Packets client → server' },
  { key: 'bcs', label: 'Bytes →', numeric: true, title: 'Bytes client → server' },
  { key: 'psc', label: 'Pkts ←', numeric: true, title: 'Packets server → client' },
  { key: 'bsc', label: 'Bytes ←', numeric: true, title: 'Bytes server → client' },
  { key: 'start', label: 'Start', numeric: true },
  { key: 'duration', label: 'Duration', numeric: true },
  { key: 'flags', label: 'TCP flags' },
  { key: 'payload', label: 'Payload', title: 'What the first payload bytes show, against the port\'s service' },
];

const GRID = 'minmax(150px,1.4fr) minmax(150px,1.4fr) 48px minmax(90px,1fr) 92px 78px 64px 80px 64px 80px 150px 76px 80px minmax(130px,1.2fr)';

/**
 * All flows under the filter, sorted in the worker and fetched a page at a time as the
 * virtualized list scrolls: a million rows never come to this thread. ARIA table roles on a CSS grid.
 */
export class PhFlowsTable extends LitElement {
  static override properties = { source: { attribute: false }, labels: { attribute: false }, total: { type: Number } };
  declare source: RowSource | null;
  declare labels: Map<string, UserLabel>;
  /** Flows in the capture, whatever the filter. */
  declare total: number;
  private readonly rows = new TableRowsController(this, 'flows', { key: 'bcs', descending: true });
  /** Placeholder items for the virtualizer: it needs only the length. */
  private items: unknown[] = [];

  constructor() {
    super();
    this.source = null;
    this.labels = new Map();
    this.total = 0;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('source')) this.rows.set(this.source);
    if (this.items.length !== this.rows.total) this.items = new Array(this.rows.total);
  }

  override updated() {
    // Pages arrive without the items changing: have the list render its visible rows again.
    (this.renderRoot.querySelector('lit-virtualizer') as LitElement | null)?.requestUpdate();
  }

  static override styles = [sharedStyles, css`
    .table { overflow-x: auto; }
    .inner { min-width: 1300px; }
    .row { display: grid; grid-template-columns: ${unsafeCSS(GRID)}; align-items: center; border-bottom: 1px solid var(--border); min-height: 28px; }
    .row > * { padding: 4px 6px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .head { font-weight: 600; color: var(--muted); font-size: 12px; background: var(--panel); }
    .head button { all: unset; cursor: pointer; }
    .head button:focus-visible { outline: 2px solid var(--focus); }
    lit-virtualizer { height: 420px; overflow: auto; display: block; }
    .body .row { width: 100%; box-sizing: border-box; }
    .verdict.different { color: var(--danger); font-weight: 600; }
    .verdict.confirmed { color: var(--wk); }
    .body .row:nth-child(even) { background: var(--row-alt); }
  `];

  private header() {
    const sort = this.rows.currentSort;
    const onSort = (key: string) => this.rows.set(this.source, nextSort(sort, key, COLUMNS.find((c) => c.key === key)!.numeric === true));
    return html`<div class="row head" role="row">${COLUMNS.map((c) => {
      const active = sort.key === c.key;
      return html`<div role="columnheader" class=${c.numeric ? 'num' : ''} title=${c.title ?? ''} aria-sort=${active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button @click=${() => onSort(c.key)}>${c.label}${active ? (sort.descending ? ' ▾' : ' ▴') : ''}</button></div>`;
    })}</div>`;
  }

  private labelFor(f: FlowRecord): string | null {
    if (this.labels.size === 0) return null;
    const s = serverEnd(f);
    return this.labels.get(`${s.addr}|${f.proto}|${s.port}`)?.label ?? null;
  }

  private row = (_: unknown, i: number) => {
    const f = this.rows.row(i);
    if (!f) return html`<div class="row" role="row" aria-busy="true"><div role="cell" class="muted">…</div></div>`;
    const c = clientEnd(f), s = serverEnd(f), cs = toServer(f), sc = toClient(f);
    return html`<div class="row" role="row" data-testid="flow-row">
      <div role="cell" class="mono" title=${`client port ${f.clientPort}: ${f.clientPortClass}; fits ${f.clientPortRanges.join(', ') || 'no OS ephemeral range'}`}>${endpoint(c.addr, c.port)}</div>
      <div role="cell" class="mono">${endpoint(s.addr, s.port)}</div>
      <div role="cell">${f.proto}</div>
      <div role="cell" title=${f.serviceDescription ? `${f.serviceDescription} (IANA, by port number)` : ''}>${this.labelFor(f) ? html`<strong title="your label">${this.labelFor(f)}</strong> ` : null}${f.service ?? '–'}</div>
      <div role="cell"><span class="badge ${f.class}">${f.class}</span></div>
      <div role="cell" title=${ROLE_RULE_TEXT[f.role]}>${f.role}</div>
      <div role="cell" class="num">${count(cs[0]!)}</div>
      <div role="cell" class="num" title="${cs[1]} bytes">${bytes(cs[1]!)}</div>
      <div role="cell" class="num">${count(sc[0]!)}</div>
      <div role="cell" class="num" title="${sc[1]} bytes">${bytes(sc[1]!)}</div>
      <div role="cell" class="num" title=${time(f.start)}>${time(f.start).slice(11, 23)}</div>
      <div role="cell" class="num">${duration(f.duration)}</div>
      <div role="cell" class="mono">${f.proto === 'tcp' ? `${tcpFlagLetters(f.server === 'a' ? f.tcpFlagsBA : f.tcpFlagsAB)} / ${tcpFlagLetters(f.server === 'a' ? f.tcpFlagsAB : f.tcpFlagsBA)}` : ''}</div>
      <div role="cell" class="verdict ${f.appVerdict}" title=${f.app ? `${f.app}${f.appName ? `: ${f.appName}` : ''} (${f.appVerdict === 'confirmed' ? 'matches the port' : f.appVerdict === 'different' ? 'differs from the port\'s service' : 'nothing to compare with'})` : 'no recognized payload'}>${f.app ? `${f.appVerdict === 'different' ? '⚠ ' : f.appVerdict === 'confirmed' ? '✓ ' : ''}${f.app}${f.appName ? ` ${f.appName}` : ''}` : '–'}</div>
    </div>`;
  };

  override render() {
    const n = this.rows.total;
    return html`<section class="panel" aria-label="Flows">
      <h2>Flows <span class="muted" data-testid="flow-count">(${count(n)}${this.total !== n ? ` of ${count(this.total)}` : ''})</span></h2>
      ${this.rows.error ? html`<p class="error" role="alert">${this.rows.error}</p>` : null}
      <div class="table" role="table" aria-label="Flows, client to server" aria-rowcount=${n + 1}>
        <div class="inner">
          <div role="rowgroup">${this.header()}</div>
          <div role="rowgroup" class="body">
            ${n ? html`<lit-virtualizer scroller .items=${this.items} .renderItem=${this.row}></lit-virtualizer>`
              : html`<p class="muted">${this.rows.ready || !this.source ? 'No flows match.' : 'Loading…'}</p>`}
          </div>
        </div>
      </div>
    </section>`;
  }
}
customElements.define('ph-flows-table', PhFlowsTable);
