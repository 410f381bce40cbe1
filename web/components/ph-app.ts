import { html, LitElement, css } from 'lit';
import { applyFilter } from '../../src/analysis/apply-filter';
import { flowsCsv, portsCsv } from '../../src/analysis/csv';
import type { Report } from '../../src/analysis/report-types';
import { AnalysisController, type QueuedFile } from '../controllers/analysis-controller';
import { FilesChosenEvent, FilterChangeEvent, PortSelectEvent } from '../lib/events';
import { baseName, download } from '../lib/download';
import { bytes } from '../lib/format';
import { readFilterFromHash, writeFilterToHash } from '../lib/url-state';
import { sharedStyles } from '../lib/shared-styles';
import './ph-charts';
import './ph-class-split';
import './ph-file-list';
import './ph-filter-bar';
import './ph-flows-table';
import './ph-ports-table';
import './ph-progress';
import './ph-summary';

/**
 * The app shell: owns the state (files, the shown analysis, the filter) and passes it down;
 * leaf components render their properties and send events up.
 */
export class PhApp extends LitElement {
  static override properties = {
    shown: { state: true },
    filter: { state: true },
    dragging: { state: true },
    message: { state: true },
  };
  declare shown: QueuedFile | null;
  declare filter: string;
  declare dragging: boolean;
  declare message: { kind: 'error' | 'damaged'; text: string } | null;

  private readonly analysis = new AnalysisController(this);
  private filteredCache: { report: Report; filter: string; result: Report } | null = null;
  private dragDepth = 0;

  constructor() {
    super();
    this.shown = null;
    this.filter = readFilterFromHash();
    this.dragging = false;
    this.message = null;
    const workers = Number(new URLSearchParams(location.search).get('workers'));
    if (workers > 0) this.analysis.workers = workers;
    this.analysis.onDone = (q) => this.showFile(q);
  }

  static override styles = [sharedStyles, css`
    :host { display: block; min-height: 100vh; }
    header { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; padding: 10px 18px; background: var(--panel); border-bottom: 1px solid var(--border); position: sticky; top: 0; z-index: 5; }
    .brand { display: flex; align-items: center; gap: 8px; font-weight: 700; font-size: 18px; margin-right: auto; }
    .brand small { font-weight: 400; color: var(--muted); font-size: 12px; }
    .logo { width: 22px; height: 22px; border-radius: 50%; background: radial-gradient(circle, var(--accent) 28%, var(--panel) 30% 58%, var(--accent) 60%); }
    .actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
    input[type=file] { position: absolute; width: 1px; height: 1px; opacity: 0; }
    label.button:focus-within { outline: 2px solid var(--focus); outline-offset: 2px; }
    main { padding: 14px 18px 40px; display: grid; gap: 14px; max-width: 1500px; margin: 0 auto; }
    .two { display: grid; grid-template-columns: minmax(0, 1fr); gap: 14px; }
    .empty { border: 2px dashed var(--border); border-radius: 12px; padding: 48px 24px; text-align: center; background: var(--panel); }
    .empty h1 { font-size: 22px; margin: 0 0 8px; }
    .empty p { color: var(--muted); max-width: 640px; margin: 8px auto; line-height: 1.5; }
    .banner { border-radius: 8px; padding: 10px 14px; border: 1px solid; }
    .banner.error { border-color: var(--danger); color: var(--danger); background: var(--panel); }
    .banner.damaged { border-color: var(--eph); background: var(--warn-bg); }
    .drop { position: fixed; inset: 0; background: color-mix(in srgb, var(--accent) 18%, transparent); border: 4px dashed var(--accent);
      display: flex; align-items: center; justify-content: center; font-size: 22px; font-weight: 700; z-index: 20; pointer-events: none; }
    .privacy { color: var(--muted); font-size: 12px; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('dragenter', this.onDragEnter);
    document.addEventListener('dragover', this.onDragOver);
    document.addEventListener('dragleave', this.onDragLeave);
    document.addEventListener('drop', this.onDrop);
    window.addEventListener('hashchange', this.onHash);
    this.addEventListener(PortSelectEvent.eventName, (e) => this.setFilter(`${e.proto} port ${e.port}`));
    this.addEventListener(FilterChangeEvent.eventName, (e) => this.setFilter(e.filter));
    this.addEventListener(FilesChosenEvent.eventName, (e) => this.open(e.files));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('dragenter', this.onDragEnter);
    document.removeEventListener('dragover', this.onDragOver);
    document.removeEventListener('dragleave', this.onDragLeave);
    document.removeEventListener('drop', this.onDrop);
    window.removeEventListener('hashchange', this.onHash);
  }

  private onHash = () => {
    this.filter = readFilterFromHash();
  };

  private onDragEnter = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.dragDepth++;
    this.dragging = true;
  };

  private onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  private onDragLeave = () => {
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (this.dragDepth === 0) this.dragging = false;
  };

  private onDrop = (e: DragEvent) => {
    e.preventDefault();
    this.dragDepth = 0;
    this.dragging = false;
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) this.open(files);
  };

  private open(files: File[]) {
    this.message = null;
    this.analysis.enqueue(files);
  }

  private onPick(e: Event) {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) this.open(files);
  }

  private async trySample() {
    const res = await fetch('./sample.pcapng');
    const blob = await res.blob();
    this.open([new File([blob], 'sample-loopback.pcapng', { type: 'application/octet-stream' })]);
  }

  private showFile(q: QueuedFile) {
    if (q.result && q.status !== 'error') {
      this.shown = q;
      this.message = q.status === 'damaged' ? { kind: 'damaged', text: `${q.file.name} is damaged: ${q.message}. Showing what was read before that point.` } : null;
    } else {
      this.message = { kind: 'error', text: `${q.file.name}: ${q.message}` };
    }
  }

  private setFilter(filter: string) {
    this.filter = filter;
    writeFilterToHash(filter);
  }

  /** The report under the current filter (an invalid filter in the URL shows everything). */
  private filtered(report: Report): Report {
    const c = this.filteredCache;
    if (c && c.report === report && c.filter === this.filter) return c.result;
    let result = report;
    if (this.filter) {
      try {
        result = applyFilter(report, this.filter);
      } catch {
        result = report;
      }
    }
    this.filteredCache = { report, filter: this.filter, result };
    return result;
  }

  private exportJson() {
    const r = this.shown?.result?.report;
    if (!r) return;
    const report = this.filter ? this.filtered(r) : r;
    download(`${baseName(r.source.name)}.porthole.json`, 'application/json', `${JSON.stringify(report)}\n`);
  }

  private exportCsv() {
    const r = this.shown?.result?.report;
    if (!r) return;
    const f = this.filtered(r);
    download(`${baseName(r.source.name)}.flows.csv`, 'text/csv', flowsCsv(f.flows));
    download(`${baseName(r.source.name)}.ports.csv`, 'text/csv', portsCsv(f.ports));
  }

  private renderAnalysis(report: Report, live: boolean) {
    const f = this.filtered(report);
    return html`
      <ph-summary .report=${report}></ph-summary>
      <ph-class-split .report=${f}></ph-class-split>
      <ph-charts .report=${f}></ph-charts>
      <ph-filter-bar .filter=${this.filter}></ph-filter-bar>
      <div class="two">
        <ph-ports-table .ports=${f.ports}></ph-ports-table>
        <ph-flows-table .flows=${f.flows} .total=${live ? f.flows.length : report.flows.length}></ph-flows-table>
      </div>`;
  }

  override render() {
    const active = this.analysis.active;
    const report = this.shown?.result?.report ?? null;
    const live = active ? this.analysis.partial : null;
    return html`
      <header>
        <div class="brand"><span class="logo" aria-hidden="true"></span>Porthole <small>capture analysis that stays on your machine</small></div>
        <div class="actions">
          <label class="button primary">Open capture<input type="file" aria-label="Open capture" multiple accept=".pcap,.pcapng,.cap,.gz,.dmp,application/vnd.tcpdump.pcap,application/octet-stream" @change=${this.onPick} /></label>
          <button @click=${this.trySample}>Try a sample capture</button>
          <button @click=${this.exportJson} ?disabled=${!report}>Export JSON</button>
          <button @click=${this.exportCsv} ?disabled=${!report}>Export CSV</button>
        </div>
      </header>
      ${this.dragging ? html`<div class="drop" aria-hidden="true">Drop captures to analyze them here, locally</div>` : null}
      <main @cancel=${() => this.analysis.cancel()}>
        ${this.analysis.files.length > 1 ? html`<ph-file-list .files=${this.analysis.files} .shownId=${this.shown?.id ?? null} @file-show=${(e: CustomEvent<QueuedFile>) => this.showFile(e.detail)}></ph-file-list>` : null}
        ${active ? html`<ph-progress .progress=${this.analysis.progress} .fileName=${active.file.name}></ph-progress>` : null}
        ${this.message ? html`<div class="banner ${this.message.kind}" role="alert" data-testid="message">${this.message.text}</div>` : null}
        ${live ? this.renderAnalysis(live, true) : report ? this.renderAnalysis(report, false) : active ? null : this.renderEmpty()}
      </main>`;
  }

  private renderEmpty() {
    return html`<section class="empty">
      <h1>Drop a capture anywhere on this page</h1>
      <p>Porthole reads <strong>.pcap</strong>, <strong>.pcapng</strong> and gzip-compressed captures from Wireshark, tcpdump or dumpcap, and shows
        which ports and services they talk on, who is client and who is server, and how much traffic each flow carries, split by IANA port class.</p>
      <p class="privacy">The file is read by this page's own workers; it is never uploaded. Large captures (several GiB) are fine.</p>
      <p><button class="primary" @click=${this.trySample}>Try a sample capture</button></p>
    </section>`;
  }
}
customElements.define('ph-app', PhApp);

