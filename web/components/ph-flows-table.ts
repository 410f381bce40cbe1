import '@lit-labs/virtualizer';
import { html, LitElement, css, type TemplateResult } from 'lit';
import type { FlowRecord, RoleRule } from '../../src/schema/report';
import type { UserLabel } from '../../src/storage/schema';
import { ROLE_RULE_TEXT } from '../../src/schema/report';
import { tcpFlagLetters } from '../../src/net/tcp-flags';
import { bitRate, bytes, count, duration, endpoint, time } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';
import { flowFilter } from '../lib/row-filters';
import { TableRowsController, type RowSource } from '../controllers/table-rows';
import { nextSort, type Column } from './sortable';
import './ph-row-actions';

const clientEnd = (f: FlowRecord) => (f.server === 'a' ? { addr: f.b, port: f.bPort } : { addr: f.a, port: f.aPort });
const serverEnd = (f: FlowRecord) => (f.server === 'a' ? { addr: f.a, port: f.aPort } : { addr: f.b, port: f.bPort });
const toServer = (f: FlowRecord) => (f.server === 'a' ? [f.packetsBA, f.bytesBA] : [f.packetsAB, f.bytesAB]);
const toClient = (f: FlowRecord) => (f.server === 'a' ? [f.packetsAB, f.bytesAB] : [f.packetsBA, f.bytesBA]);
const flags = (f: FlowRecord) => (f.proto === 'tcp' ? `${tcpFlagLetters(f.server === 'a' ? f.tcpFlagsBA : f.tcpFlagsAB)} / ${tcpFlagLetters(f.server === 'a' ? f.tcpFlagsAB : f.tcpFlagsBA)}` : '');

/** How the server end was decided, in words a user knows (the full rule is the cell's title). */
export const ROLE_WORDS: Record<RoleRule, string> = {
  'syn': 'SYN', 'syn-ack': 'SYN+ACK', 'service-name': 'IANA name', 'port-class': 'port class', 'peer-count': 'peer count', 'lower-port': 'lower port',
};

interface FlowColumn extends Column {
  /** CSS grid track. */
  width: string;
  cell: (f: FlowRecord, t: PhFlowsTable) => TemplateResult | string;
  /** The value copied with the row (raw numbers, ISO times). */
  raw: (f: FlowRecord, t: PhFlowsTable) => string | number | null;
  hiddenByDefault?: boolean;
}

const COLUMNS: FlowColumn[] = [
  { key: 'client', raw: (f) => endpoint(clientEnd(f).addr, clientEnd(f).port), label: 'Client', width: 'minmax(170px,1.4fr)', cell: (f) => html`<span class="mono" title=${`client port ${f.clientPort}: ${f.clientPortClass}; fits ${f.clientPortRanges.join(', ') || 'no OS ephemeral range'}`}>${endpoint(clientEnd(f).addr, clientEnd(f).port)}</span>` },
  { key: 'server', raw: (f) => endpoint(serverEnd(f).addr, serverEnd(f).port), label: 'Server', width: 'minmax(170px,1.4fr)', cell: (f) => html`<span class="mono">${endpoint(serverEnd(f).addr, serverEnd(f).port)}</span>` },
  { key: 'proto', raw: (f) => f.proto, label: 'Proto', width: '52px', cell: (f) => f.proto },
  { key: 'service', raw: (f) => f.service, label: 'Service', width: 'minmax(110px,1fr)', cell: (f, t) => html`<span title=${f.serviceDescription ? `${f.serviceDescription} (IANA, by port number)` : ''}>${t.labelFor(f) ? html`<strong title="your label">${t.labelFor(f)}</strong> ` : null}${f.service ?? '–'}</span>` },
  { key: 'class', raw: (f) => f.class, label: 'Class', width: '96px', cell: (f) => html`<span class="badge ${f.class}">${f.class}</span>` },
  { key: 'role', raw: (f) => f.role, label: 'Server by', width: '92px', title: 'How the server end was decided', cell: (f) => html`<span title=${ROLE_RULE_TEXT[f.role]}>${ROLE_WORDS[f.role]}</span>` },
  { key: 'packets', raw: (f) => f.packets, label: 'Packets', numeric: true, width: '76px', cell: (f) => count(f.packets) },
  { key: 'bytes', raw: (f) => f.bytes, label: 'Bytes', numeric: true, width: '86px', cell: (f) => html`<span title="${f.bytes} bytes">${bytes(f.bytes)}</span>` },
  { key: 'pcs', raw: (f) => toServer(f)[0]!, label: 'Pkts →', numeric: true, width: '70px', title: 'Packets client → server', cell: (f) => count(toServer(f)[0]!) },
  { key: 'bcs', raw: (f) => toServer(f)[1]!, label: 'Bytes →', numeric: true, width: '84px', title: 'Bytes client → server', cell: (f) => html`<span title="${toServer(f)[1]} bytes">${bytes(toServer(f)[1]!)}</span>` },
  { key: 'psc', raw: (f) => toClient(f)[0]!, label: 'Pkts ←', numeric: true, width: '70px', title: 'Packets server → client', cell: (f) => count(toClient(f)[0]!) },
  { key: 'bsc', raw: (f) => toClient(f)[1]!, label: 'Bytes ←', numeric: true, width: '84px', title: 'Bytes server → client', cell: (f) => html`<span title="${toClient(f)[1]} bytes">${bytes(toClient(f)[1]!)}</span>` },
  { key: 'start', raw: (f, t) => (f.start === null ? null : +(f.start - t.origin).toFixed(9)), label: 'Start', numeric: true, ascending: true, width: '96px', title: 'Seconds after the capture\'s first packet', cell: (f, t) => html`<span title=${time(f.start)}>${f.start === null ? '–' : `+${(f.start - t.origin).toFixed(3)} s`}</span>` },
  { key: 'date', raw: (f) => (f.start === null ? null : new Date(f.start * 1000).toISOString()), label: 'Start (UTC)', numeric: true, ascending: true, width: '190px', hiddenByDefault: true, cell: (f) => time(f.start).replace(' UTC', '') },
  { key: 'duration', raw: (f) => f.duration, label: 'Duration', numeric: true, width: '84px', cell: (f) => duration(f.duration) },
  { key: 'bpsCs', raw: (f) => (f.duration > 0 ? Math.round((toServer(f)[1]! * 8) / f.duration) : null), label: 'bit/s →', numeric: true, width: '86px', title: 'Bits per second client → server (over the flow\'s duration)', cell: (f) => bitRate(toServer(f)[1]!, f.duration) },
  { key: 'bpsSc', raw: (f) => (f.duration > 0 ? Math.round((toClient(f)[1]! * 8) / f.duration) : null), label: 'bit/s ←', numeric: true, width: '86px', title: 'Bits per second server → client', cell: (f) => bitRate(toClient(f)[1]!, f.duration) },
  { key: 'flags', raw: (f) => flags(f), label: 'TCP flags', width: '130px', title: 'TCP flags sent by the client / by the server', cell: (f) => html`<span class="mono">${flags(f)}</span>` },
  { key: 'payload', raw: (f) => (f.app ? `${f.app}${f.appName ? ` ${f.appName}` : ''}` : null), label: 'Payload', width: 'minmax(150px,1.3fr)', title: 'What the first payload bytes show, against the port\'s service', cell: (f) => html`<span class="verdict ${f.appVerdict}" title=${f.app ? `${f.app}${f.appName ? `: ${f.appName}` : ''} (${f.appVerdict === 'confirmed' ? 'matches the port' : f.appVerdict === 'different' ? 'differs from the port\'s service' : 'nothing to compare with'})` : 'no recognized payload'}>${f.app ? `${f.appVerdict === 'different' ? '⚠ ' : f.appVerdict === 'confirmed' ? '✓ ' : ''}${f.app}${f.appName ? ` ${f.appName}` : ''}` : '–'}</span>` },
];

/** Conversation kinds, like the tabs of Wireshark's Conversations window. */
const TABS = [
  { key: 'all', label: 'All', clause: null },
  { key: 'tcp', label: 'TCP', clause: 'tcp' },
  { key: 'udp', label: 'UDP', clause: 'udp' },
  { key: 'ip4', label: 'IPv4', clause: 'ip' },
  { key: 'ip6', label: 'IPv6', clause: 'ip6' },
] as const;

const COLUMNS_KEY = 'porthole.flows.hidden-columns';

function storedHidden(): Set<string> {
  try {
    const v = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null') as unknown;
    if (Array.isArray(v)) return new Set(v.filter((x): x is string => typeof x === 'string'));
  } catch {
    // Unreadable: defaults.
  }
  return new Set(COLUMNS.filter((c) => c.hiddenByDefault).map((c) => c.key));
}

/**
 * All flows under the filter, sorted in the worker and fetched a page at a time as the
 * virtualized list scrolls: a million rows never come to this thread. Columns can be hidden
 * (remembered), a tab narrows to TCP/UDP/IPv4/IPv6, and a selected row offers actions.
 */
export class PhFlowsTable extends LitElement {
  static override properties = {
    source: { attribute: false }, labels: { attribute: false }, total: { type: Number }, origin: { type: Number },
    tab: { state: true }, hiddenColumns: { state: true }, selected: { state: true },
  };
  declare source: RowSource | null;
  declare labels: Map<string, UserLabel>;
  /** Flows in the capture, whatever the filter. */
  declare total: number;
  /** Epoch seconds of the capture's first packet (relative start times count from it). */
  declare origin: number;
  declare tab: (typeof TABS)[number]['key'];
  declare hiddenColumns: Set<string>;
  /** Index of the selected row in the current order, -1 for none. */
  declare selected: number;
  private readonly rows = new TableRowsController(this, 'flows', { key: 'bytes', descending: true });
  /** Placeholder items for the virtualizer: it needs only the length. */
  private items: unknown[] = [];

  constructor() {
    super();
    this.source = null;
    this.labels = new Map();
    this.total = 0;
    this.origin = 0;
    this.tab = 'all';
    this.hiddenColumns = storedHidden();
    this.selected = -1;
  }

  /** The source narrowed by the tab. */
  private tabSource(): RowSource | null {
    const clause = TABS.find((t) => t.key === this.tab)?.clause ?? null;
    if (!this.source || !clause) return this.source;
    const f = this.source.filter;
    return { session: this.source.session, filter: f ? `(${f}) and ${clause}` : clause };
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('source') || changed.has('tab')) {
      this.rows.set(this.tabSource());
      if (changed.has('source') || changed.has('tab')) this.selected = -1;
    }
    if (this.items.length !== this.rows.total) this.items = new Array(this.rows.total);
  }

  override updated() {
    // Pages arrive without the items changing: have the list render its visible rows again.
    (this.renderRoot.querySelector('lit-virtualizer') as LitElement | null)?.requestUpdate();
  }

  static override styles = [sharedStyles, css`
    .table { overflow-x: auto; }
    .row { display: grid; align-items: center; border-bottom: 1px solid var(--border); min-height: 28px; }
    .row > * { padding: 4px 6px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .head { font-weight: 600; color: var(--muted); font-size: 12px; background: var(--panel); }
    .head button { all: unset; cursor: pointer; }
    .head button:focus-visible { outline: 2px solid var(--focus); }
    lit-virtualizer { height: 420px; overflow: auto; display: block; }
    .body .row { width: 100%; box-sizing: border-box; cursor: pointer; }
    .body .row[aria-selected='true'] { background: color-mix(in srgb, var(--accent) 18%, transparent); }
    .body .row:focus-visible { outline: 2px solid var(--focus); outline-offset: -2px; }
    .verdict.different { color: var(--danger); font-weight: 600; }
    .verdict.confirmed { color: var(--wk); }
    .body .row:nth-child(even):not([aria-selected='true']) { background: var(--row-alt); }
    .bar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; justify-content: space-between; margin-bottom: 6px; }
    [role=tablist] { display: flex; gap: 4px; flex-wrap: wrap; }
    [role=tab][aria-selected='true'] { background: var(--accent); color: var(--accent-text); border-color: var(--accent); }
    details.columns { position: relative; }
    details.columns > div { position: absolute; right: 0; z-index: 3; background: var(--panel); border: 1px solid var(--border); border-radius: 8px;
      padding: 8px 10px; display: grid; gap: 4px; min-width: 180px; box-shadow: 0 4px 16px rgb(0 0 0 / 0.2); }
    summary { cursor: pointer; }
  `];

  private get visible(): FlowColumn[] {
    return COLUMNS.filter((c) => !this.hiddenColumns.has(c.key));
  }

  labelFor(f: FlowRecord): string | null {
    if (this.labels.size === 0) return null;
    const s = serverEnd(f);
    return this.labels.get(`${s.addr}|${f.proto}|${s.port}`)?.label ?? null;
  }

  private setHidden(key: string, hide: boolean) {
    const next = new Set(this.hiddenColumns);
    if (hide) next.add(key);
    else next.delete(key);
    if (next.size >= COLUMNS.length) return;
    this.hiddenColumns = next;
    try {
      localStorage.setItem(COLUMNS_KEY, JSON.stringify([...next]));
    } catch {
      // Storage unavailable: the choice lasts for this page.
    }
  }

  private header(grid: string) {
    const sort = this.rows.currentSort;
    const onSort = (c: FlowColumn) => this.rows.set(this.tabSource(), nextSort(sort, c.key, c.numeric === true && !c.ascending));
    return html`<div class="row head" role="row" style="grid-template-columns:${grid}">${this.visible.map((c) => {
      const active = sort.key === c.key;
      return html`<div role="columnheader" class=${c.numeric ? 'num' : ''} title=${c.title ?? ''} aria-sort=${active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button @click=${() => onSort(c)}>${c.label}${active ? (sort.descending ? ' ▾' : ' ▴') : ''}</button></div>`;
    })}</div>`;
  }

  private row = (_: unknown, i: number) => {
    const f = this.rows.row(i);
    const grid = this.grid();
    if (!f) return html`<div class="row" role="row" aria-busy="true" style="grid-template-columns:${grid}"><div role="cell" class="muted">…</div></div>`;
    return html`<div class="row" role="row" data-testid="flow-row" style="grid-template-columns:${grid}" tabindex=${this.selected === i || (this.selected < 0 && i === 0) ? 0 : -1}
      aria-selected=${this.selected === i ? 'true' : 'false'} @click=${() => { this.selected = i; }}
      @keydown=${(e: KeyboardEvent) => this.onRowKey(e, i)}>
      ${this.visible.map((c) => html`<div role="cell" class=${c.numeric ? 'num' : ''}>${c.cell(f, this)}</div>`)}
    </div>`;
  };

  private onRowKey(e: KeyboardEvent, i: number) {
    const go = (j: number) => {
      e.preventDefault();
      this.selected = Math.max(0, Math.min(this.rows.total - 1, j));
      void this.updateComplete.then(() => (this.renderRoot.querySelector('[role=row][aria-selected=true]') as HTMLElement | null)?.focus());
    };
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Enter' || e.key === ' ') go(i);
  }

  private grid(): string {
    return this.visible.map((c) => c.width).join(' ');
  }

  private actions() {
    const f = this.selected >= 0 ? this.rows.row(this.selected) : undefined;
    if (!f) return html`<p class="muted small">Select a flow (click, or arrow keys) for actions: filter to it, exclude it, copy a Wireshark filter or the row.</p>`;
    const cells = this.visible.map((c) => c.raw(f, this));
    return html`<ph-row-actions .what=${`${f.proto} ${endpoint(clientEnd(f).addr, clientEnd(f).port)} → ${endpoint(serverEnd(f).addr, serverEnd(f).port)}`}
      .rowFilter=${flowFilter(f)} .current=${this.source?.filter ?? null} .header=${this.visible.map((c) => c.label)} .cells=${cells}></ph-row-actions>`;
  }

  override render() {
    const n = this.rows.total;
    const grid = this.grid();
    return html`<section class="panel" aria-label="Flows">
      <div class="bar">
        <h2>Flows <span class="muted" data-testid="flow-count">(${count(n)}${this.total !== n ? ` of ${count(this.total)}` : ''})</span></h2>
        <div role="tablist" aria-label="Conversation kind">${TABS.map((t) => html`<button role="tab" aria-selected=${this.tab === t.key ? 'true' : 'false'}
          @click=${() => { this.tab = t.key; }}>${t.label}</button>`)}</div>
        <details class="columns"><summary>Columns</summary><div role="group" aria-label="Columns shown">
          ${COLUMNS.map((c) => html`<label><input type="checkbox" .checked=${!this.hiddenColumns.has(c.key)} @change=${(e: Event) => this.setHidden(c.key, !(e.target as HTMLInputElement).checked)} /> ${c.label}</label>`)}
        </div></details>
      </div>
      ${this.rows.error ? html`<p class="error" role="alert">${this.rows.error}</p>` : null}
      ${this.actions()}
      <div class="table" role="table" aria-label="Flows, client to server" aria-rowcount=${n + 1}>
        <div class="inner" style="min-width:${this.visible.length * 90}px">
          <div role="rowgroup">${this.header(grid)}</div>
          <div class="body">
            ${n ? html`<lit-virtualizer role="rowgroup" scroller tabindex="0" aria-label="Flow rows (scroll with the arrow keys)" .items=${this.items} .renderItem=${this.row}></lit-virtualizer>`
              : html`<p class="muted">${this.rows.ready || !this.source ? 'No flows match.' : 'Loading…'}</p>`}
          </div>
        </div>
      </div>
    </section>`;
  }
}
customElements.define('ph-flows-table', PhFlowsTable);

