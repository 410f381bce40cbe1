import { html, LitElement, css } from 'lit';
import type { FilterProblem } from '../../src/workers/engine';
import { AnalysisSession } from '../../src/workers/analysis-client';
import type { AnalysisSummary } from '../../src/views/summary';
import { AnalysisController, createAnalysisWorker, fileProblem, type PickedFile, type QueuedFile } from '../controllers/analysis-controller';
import { pickedFolder, takeDrop } from '../lib/dropped-files';
import { FileAloneEvent, type CaptureFileRow } from './ph-capture-files';
import { StorageController } from '../controllers/storage-controller';
import type { SavedAnalysis } from '../../src/storage/schema';
import type { CaptureFileRecord } from '../../src/schema/report';
import { FilterChangeEvent, PortSelectEvent } from '../lib/events';
import { baseName, downloadBlob, exportName } from '../lib/download';
import { readFilterFromHash, writeFilterToHash } from '../lib/url-state';
import { sharedStyles } from '../lib/shared-styles';
import './ph-capture-files';
import './ph-charts';
import './ph-diff-view';
import './ph-class-split';
import './ph-exposure';
import './ph-file-list';
import './ph-filter-bar';
import './ph-findings';
import './ph-flows-table';
import './ph-hosts-table';
import './ph-io-graph';
import './ph-labels';
import './ph-policy';
import './ph-library';
import './ph-ports-table';
import './ph-progress';
import './ph-save-dialog';
import './ph-summary';
import type { DiffShown } from './ph-diff-view';
import type { LabelRequest } from './ph-labels';
import type { LibraryAction } from './ph-library';
import type { SaveChoice } from './ph-save-dialog';

/** The analysis on screen: fresh from a file, or opened from the library (then without the file). */
interface ShownAnalysis {
  id: string;
  /** The worker that holds the analysis and answers for it. */
  session: AnalysisSession;
  /** The summary under the current filter (the last good one while a filter is being fixed). */
  summary: AnalysisSummary;
  file: File | null;
  fingerprint: string | null;
  savedId: string | null;
  /** The queued analysis it came from (for the files of a combined analysis), null when opened from the library. */
  job: QueuedFile | null;
}

/** A folder picker where the browser has one (all current ones do, as `webkitdirectory`). */
const HAS_FOLDER_PICKER = typeof HTMLInputElement !== 'undefined' && 'webkitdirectory' in HTMLInputElement.prototype;

/**
 * The app shell: owns the state (files, the shown analysis, the filter) and passes it down;
 * leaf components render their properties and send events up.
 */
export class PhApp extends LitElement {
  static override properties = {
    shown: { state: true },
    filter: { state: true },
    filterProblem: { state: true },
    dragging: { state: true },
    message: { state: true },
    mode: { state: true },
    saving: { state: true },
    toast: { state: true },
    diff: { state: true },
  };
  declare shown: ShownAnalysis | null;
  declare filter: string;
  /** Set when the filter does not parse (typed, or read from the URL): shown with its column. */
  declare filterProblem: FilterProblem | null;
  declare dragging: boolean;
  declare message: { kind: 'error' | 'damaged' | 'info'; text: string } | null;
  declare mode: 'analysis' | 'library';
  declare saving: { duplicates: SavedAnalysis[]; busy: boolean; error: string } | null;
  declare toast: { text: string; undo: (() => Promise<void>) | null } | null;
  /** Two saved analyses compared (shown in the library). */
  declare diff: DiffShown | null;

  private readonly analysis = new AnalysisController(this);
  private readonly storage = new StorageController(this);
  private labelError = '';
  private dragDepth = 0;
  /** Answers to older summary requests are dropped. */
  private summaryRequest = 0;

  constructor() {
    super();
    this.shown = null;
    this.filter = readFilterFromHash();
    this.filterProblem = null;
    this.dragging = false;
    this.message = null;
    this.mode = 'analysis';
    this.saving = null;
    this.toast = null;
    this.diff = null;
    const workers = Number(new URLSearchParams(location.search).get('workers'));
    if (workers > 0) this.analysis.workers = workers;
    this.analysis.onDone = (q) => this.showFile(q);
    this.analysis.filter = () => this.filter || null;
    this.analysis.shownSession = () => this.shown?.session ?? null;
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
    main { padding: 14px 18px 40px; display: grid; grid-template-columns: minmax(0, 1fr); gap: 14px; max-width: 1500px; margin: 0 auto; }
    .two { display: grid; grid-template-columns: minmax(0, 1fr); gap: 14px; }
    .empty { border: 2px dashed var(--border); border-radius: 12px; padding: 48px 24px; text-align: center; background: var(--panel); }
    .empty h1 { font-size: 22px; margin: 0 0 8px; }
    .empty p { color: var(--muted); max-width: 640px; margin: 8px auto; line-height: 1.5; }
    .banner { border-radius: 8px; padding: 10px 14px; border: 1px solid; white-space: pre-line; }
    .banner.error { border-color: var(--danger); color: var(--danger); background: var(--panel); }
    .banner.damaged { border-color: var(--eph); background: var(--warn-bg); }
    .drop { position: fixed; inset: 0; background: color-mix(in srgb, var(--accent) 18%, transparent); border: 4px dashed var(--accent);
      display: flex; align-items: center; justify-content: center; font-size: 22px; font-weight: 700; z-index: 20; pointer-events: none; }
    .privacy { color: var(--muted); font-size: 12px; }
    .recent { text-align: left; max-width: 640px; margin: 16px auto 0; }
    .recent ul { list-style: none; padding: 0; margin: 6px 0; display: grid; gap: 4px; }
    .recent li { display: flex; gap: 10px; flex-wrap: wrap; align-items: baseline; }
    .toast { position: fixed; bottom: 16px; left: 50%; transform: translateX(-50%); background: var(--panel); border: 1px solid var(--border);
      border-radius: 8px; padding: 8px 12px; display: flex; gap: 10px; align-items: center; box-shadow: 0 4px 16px rgb(0 0 0 / 0.2); z-index: 30; }
    header .banner { margin: 0 18px; }
    /* Narrow screens: the header scrolls away (it would take a fifth of the screen), buttons wrap. */
    @media (max-width: 640px) {
      header { position: static; padding: 8px 10px; gap: 8px; }
      .brand small { display: none; }
      .actions button, .actions .button { padding: 5px 8px; }
      main { padding: 10px 8px 32px; }
    }
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
    this.addEventListener(FileAloneEvent.eventName, (e) => this.showAlone((e as FileAloneEvent).name));
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
    const filter = readFilterFromHash();
    if (filter !== this.filter) void this.applyFilter(filter);
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
    if (!e.dataTransfer) return;
    const take = takeDrop(e.dataTransfer);
    void take().then((files) => this.openTogether(files), (err) => {
      this.message = { kind: 'error', text: `The dropped folder could not be read: ${err instanceof Error ? err.message : String(err)}` };
    });
  };

  /** One file: its own analysis. */
  private open(files: File[]) {
    this.message = null;
    this.analysis.enqueue(files);
  }

  /** Files picked, dropped or in a folder together: one combined analysis (one file: its own). */
  private openTogether(files: PickedFile[]) {
    if (files.length === 0) return;
    this.message = null;
    this.analysis.enqueueCombined(files);
  }

  private onPick(e: Event) {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    this.openTogether(files.map((file) => ({ file, name: file.name, fromFolder: false })));
  }

  private onPickFolder(e: Event) {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) this.openTogether(pickedFolder(files));
    else this.message = { kind: 'info', text: 'The folder is empty.' };
  }

  /** A file of the shown combined analysis, analyzed by itself. */
  private showAlone(name: string) {
    const input = this.shown?.job?.inputs.find((f) => f.name === name);
    if (input) this.open([input.file]);
  }

  /** The per-file table: the reading job's progress, or the shown analysis' files (its job's outcomes, or the saved file list). */
  private fileRows(): CaptureFileRow[] | null {
    const active = this.analysis.active;
    if (active) {
      if (active.file || !active.fileProgress) return null;
      return active.fileProgress.map((p) => ({
        name: p.name, size: p.size, problem: false, record: null, canShowAlone: false,
        status: p.status === 'reading' ? `reading ${p.size > 0 ? Math.floor((100 * p.bytesRead) / p.size) : 0}%` : p.status,
      }));
    }
    const shown = this.shown;
    if (!shown) return null;
    const records = shown.summary.files ?? [];
    const job = shown.job && !shown.job.file ? shown.job : null;
    const rowOf = (name: string, size: number | null, read: { read: CaptureFileRecord['read']; gzip: boolean } | null, duplicateOf: string | null): CaptureFileRow => {
      const problem = read ? fileProblem(read) : null;
      return {
        name, size, record: records.find((r) => r.name === name) ?? null, problem: problem !== null, canShowAlone: job !== null,
        status: problem ?? (duplicateOf ? 'done (a repeat)' : 'done'),
      };
    };
    if (job?.outcomes) return job.outcomes.map((o) => rowOf(o.name, o.size, o, o.duplicateOf));
    if (records.length > 1) return records.map((r) => rowOf(r.name, r.size, r, r.duplicateOf));
    return null;
  }

  private async trySample() {
    const res = await fetch('./sample.pcapng');
    const blob = await res.blob();
    this.open([new File([blob], 'sample-loopback.pcapng', { type: 'application/octet-stream' })]);
  }

  private showFile(q: QueuedFile) {
    this.mode = 'analysis';
    if (q.session && q.summary) {
      this.show({ id: `file-${q.id}`, session: q.session, summary: q.summary, file: q.file, fingerprint: q.fingerprint, savedId: null, job: q });
      if (!q.file) {
        // Several files: each one that is not a clean capture names itself; the others are shown.
        this.message = q.message ? { kind: 'damaged', text: `${q.message}\nShowing the analysis of the other files${q.status === 'damaged' ? ', and what was read of a damaged one before the damage' : ''}.` } : null;
      } else this.message = q.status === 'damaged' ? { kind: 'damaged', text: `${q.file.name} is damaged: ${q.message}. Showing what was read before that point.` } : null;
    } else {
      // Every bad file of a batch is named, not only the last one (several files together: each names itself in the message).
      const text = q.file ? `${q.file.name}: ${q.message}` : `${q.message}`;
      const prev = this.message;
      this.message = prev && prev.kind !== 'damaged' && q.status !== 'cancelled' ? { kind: 'error', text: `${prev.text}\n${text}` } : { kind: q.status === 'cancelled' ? 'info' : 'error', text };
    }
  }

  /** Put an analysis on screen (closing a library analysis it replaces) and apply the filter to it. */
  private show(next: ShownAnalysis) {
    const prev = this.shown;
    if (prev && prev.session !== next.session && prev.id.startsWith('saved-')) prev.session.close();
    this.shown = next;
    void this.applyFilter(this.filter);
  }

  private shownFileId(): number | null {
    const id = this.shown?.id ?? '';
    return id.startsWith('file-') ? Number(id.slice(5)) : null;
  }

  private setFilter(filter: string) {
    // Enter in the filter field fires both change and submit: one question to the worker, not two.
    if (filter === this.filter) return;
    writeFilterToHash(filter);
    void this.applyFilter(filter);
  }

  /**
   * Ask the worker for the summary under a filter. A filter that does not parse (typed or in
   * the URL) is shown with its column, and the last good view stays, labelled with its filter.
   */
  private async applyFilter(filter: string) {
    this.filter = filter;
    const shown = this.shown;
    if (!shown) return;
    const request = ++this.summaryRequest;
    // Let the tables ask for their first rows before the (slower) summary: the worker answers in order.
    await this.updateComplete;
    try {
      const answer = await shown.session.summary(filter || null);
      if (request !== this.summaryRequest || this.shown?.session !== shown.session) return;
      if (answer.ok) {
        this.filterProblem = null;
        this.shown = { ...this.shown, summary: answer.summary };
      } else this.filterProblem = answer.problem;
    } catch (err) {
      if (request === this.summaryRequest) this.message = { kind: 'error', text: err instanceof Error ? err.message : String(err) };
    }
  }

  private async exportJson() {
    const shown = this.shown;
    if (!shown) return;
    const filter = shown.summary.filter;
    downloadBlob(exportName(shown.summary.source.name, filter, 'porthole.json'), await shown.session.exportJson(filter));
  }

  private async exportCsv() {
    const shown = this.shown;
    if (!shown) return;
    const filter = shown.summary.filter;
    downloadBlob(exportName(shown.summary.source.name, filter, 'flows.csv'), await shown.session.exportCsv(filter, 'flows'));
    downloadBlob(exportName(shown.summary.source.name, filter, 'ports.csv'), await shown.session.exportCsv(filter, 'ports'));
  }

  /** The flows as Parquet (the columns of `porthole flows --format parquet`), made in the worker. */
  private async exportParquet() {
    const shown = this.shown;
    if (!shown) return;
    const filter = shown.summary.filter;
    downloadBlob(exportName(shown.summary.source.name, filter, 'flows.parquet'), await shown.session.exportParquet(filter));
  }

  private renderAnalysis(summary: AnalysisSummary, session: AnalysisSession | null) {
    // Tables follow the filter as soon as it is asked for (the summary follows when computed);
    // while the filter has a problem they keep the last good one.
    const source = session ? { session, filter: this.filterProblem ? summary.filter : this.filter || null } : null;
    return html`
      <ph-summary .summary=${summary}></ph-summary>
      <ph-class-split .summary=${summary}></ph-class-split>
      <ph-io-graph .session=${session} .filter=${summary.filter} .summary=${summary}></ph-io-graph>
      <ph-charts .summary=${summary}></ph-charts>
      <ph-findings .summary=${summary}></ph-findings>
      ${session ? html`<ph-policy .session=${session}></ph-policy>` : null}
      <ph-filter-bar .filter=${this.filter} .problem=${this.filterProblem} .applied=${summary.filter} .tunnels=${summary.allFlows.tunnelled > 0}></ph-filter-bar>
      ${session ? null : html`<p class="muted" role="note">The tables appear when reading has finished.</p>`}
      <div class="two">
        <ph-ports-table .source=${source}></ph-ports-table>
        <ph-flows-table .source=${source} .labels=${this.storage.labels} .total=${summary.allFlows.tcp + summary.allFlows.udp + summary.allFlows.tunnelled} .origin=${summary.totals.firstTime ?? 0}></ph-flows-table>
        <ph-hosts-table .source=${source} .labels=${this.storage.labels}></ph-hosts-table>
        <ph-exposure .source=${source} .counts=${summary.exposure} .labels=${this.storage.labels}></ph-exposure>
        <ph-labels .labels=${this.storage.labels} .error=${this.labelError}
          @label-add=${(e: CustomEvent<LabelRequest>) => this.addLabel(e.detail)}
          @label-remove=${(e: CustomEvent<string>) => void this.storage.removeLabel(e.detail)}></ph-labels>
      </div>`;
  }

  override render() {
    const active = this.analysis.active;
    const shown = this.shown;
    const report = shown?.summary ?? null;
    const live = active ? this.analysis.partial : null;
    const library = this.mode === 'library';
    const fileRows = this.fileRows();
    return html`
      <header>
        <div class="brand"><span class="logo" aria-hidden="true"></span>Porthole <small>capture analysis that stays on your machine</small></div>
        <div class="actions">
          <label class="button primary">Open capture<input type="file" aria-label="Open capture" multiple accept=".pcap,.pcapng,.cap,.gz,.dmp,application/vnd.tcpdump.pcap,application/octet-stream" @change=${this.onPick} /></label>
          ${HAS_FOLDER_PICKER ? html`<label class="button">Open folder<input type="file" aria-label="Open folder" webkitdirectory multiple @change=${this.onPickFolder} /></label>` : null}
          <button @click=${this.trySample}>Try a sample capture</button>
          <button data-role="save" @click=${this.openSaveDialog} ?disabled=${!report || library || active !== null}>Save analysis</button>
          <button @click=${this.exportJson} ?disabled=${!report || library || active !== null}>Export JSON</button>
          <button @click=${this.exportCsv} ?disabled=${!report || library || active !== null}>Export CSV</button>
          <button @click=${this.exportParquet} ?disabled=${!report || library || active !== null} title="The flows, one row each, as Parquet (the columns of porthole flows --format parquet)">Export Parquet</button>
          <button aria-pressed=${library ? 'true' : 'false'} @click=${() => { this.mode = library ? 'analysis' : 'library'; void this.storage.refresh(); }}>
            Saved analyses (${this.storage.items.length})</button>
        </div>
      </header>
      ${this.storage.mustReload ? html`<div class="banner error" role="alert">Porthole was updated in another tab. Reload this page to keep saving analyses.</div>` : null}
      ${this.storage.blocked ? html`<div class="banner damaged" role="alert">Another Porthole tab is using an older version of the saved analyses. Close or reload it to continue.</div>` : null}
      ${this.saving && this.shown ? html`<ph-save-dialog .fileName=${this.shown.summary.source.name} .duplicates=${this.saving.duplicates}
        .canKeepCapture=${this.shown.file !== null} .busy=${this.saving.busy} .error=${this.saving.error}
        @save=${(e: CustomEvent<SaveChoice>) => this.save(e.detail)} @close=${this.closeSaveDialog}></ph-save-dialog>` : null}
      ${this.toast ? html`<div class="toast" role="status">${this.toast.text}
        ${this.toast.undo ? html`<button @click=${this.undo}>Undo</button>` : null}
        <button aria-label="Dismiss" @click=${() => { this.toast = null; }}>×</button></div>` : null}
      ${this.dragging ? html`<div class="drop" aria-hidden="true">Drop captures or a folder to analyze them here, locally (several together: one analysis)</div>` : null}
      <main @cancel=${() => this.analysis.cancel()} data-busy=${active ? 'true' : 'false'}>
        ${this.analysis.files.length > 1 && !library ? html`<ph-file-list .files=${this.analysis.files} .shownId=${this.shownFileId()} @file-show=${(e: CustomEvent<QueuedFile>) => this.showFile(e.detail)}></ph-file-list>` : null}
        ${active ? html`<ph-progress .progress=${this.analysis.progress} .fileName=${active.name} .shownPackets=${this.analysis.partial?.totals.packets ?? null}></ph-progress>` : null}
        ${this.message ? html`<div class="banner ${this.message.kind}" role="alert" data-testid="message">${this.message.text}</div>` : null}
        ${!library && fileRows ? html`<ph-capture-files .rows=${fileRows}></ph-capture-files>` : null}
        ${library
          ? html`<ph-diff-view .shown=${this.diff} @diff-close=${() => { this.diff = null; }}
              @diff-swap=${() => { if (this.diff) this.compare(this.diff.ids[1], this.diff.ids[0]).catch((err) => { this.toast = { text: err instanceof Error ? err.message : String(err), undo: null }; }); }}></ph-diff-view>
            <ph-library .items=${this.storage.items} .usage=${this.storage.usage} @library-action=${(e: CustomEvent<LibraryAction>) => this.onLibrary(e.detail)}></ph-library>`
          : live ? this.renderAnalysis(live, null) : shown ? this.renderAnalysis(shown.summary, shown.session) : active ? null : this.renderEmpty()}
      </main>`;
  }

  /** Closing the dialog (Escape, Cancel, or after saving) gives focus back to the button that opened it. */
  private closeSaveDialog = () => {
    this.saving = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('button[data-role=save]')?.focus());
  };

  private openSaveDialog = async () => {
    if (!this.shown) return;
    const duplicates = this.shown.fingerprint ? await this.storage.duplicatesOf(this.shown.fingerprint) : [];
    this.saving = { duplicates, busy: false, error: '' };
  };

  private async save(choice: SaveChoice) {
    const shown = this.shown;
    if (!shown || !this.saving) return;
    this.saving = { ...this.saving, busy: true, error: '' };
    try {
      const [state, catalog] = await Promise.all([shown.session.saveState(), shown.session.catalog()]);
      const saved = await this.storage.save({
        state, catalog, source: shown.summary.source, capture: shown.summary.capture,
        file: shown.file, fingerprint: shown.fingerprint ?? `saved:${shown.id}`, title: choice.title, notes: choice.notes,
        filter: this.filter, keepCapture: choice.keepCapture, replaceId: choice.replaceId,
      });
      this.shown = { ...shown, savedId: saved.id };
      this.closeSaveDialog();
      this.toast = { text: `Saved “${saved.title}”.`, undo: null };
    } catch (err) {
      if (this.saving) this.saving = { ...this.saving, busy: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private async addLabel(r: LabelRequest) {
    try {
      await this.storage.addLabel(r.address, r.proto, r.port, r.label);
      this.labelError = '';
    } catch (err) {
      this.labelError = err instanceof Error ? err.message : String(err);
    }
    this.requestUpdate();
  }

  private undo = async () => {
    const undo = this.toast?.undo;
    this.toast = null;
    if (undo) await undo();
  };

  private async onLibrary(a: LibraryAction) {
    try {
      switch (a.kind) {
        case 'open': {
          const saved = await this.storage.open(a.id);
          if (!saved) return;
          const { entry, state } = saved;
          const session = new AnalysisSession(createAnalysisWorker, entry.fileName);
          const answer = state.state ? await session.load(state.state) : await session.loadReport(state.report!);
          if (!answer.ok) throw new Error(answer.problem.message);
          writeFilterToHash(entry.filter);
          this.filter = entry.filter;
          this.show({ id: `saved-${entry.id}`, session, summary: answer.summary, file: null, fingerprint: entry.fingerprint, savedId: entry.id, job: null });
          this.message = null;
          this.mode = 'analysis';
          break;
        }
        case 'reanalyze': {
          const saved = await this.storage.open(a.id);
          const file = saved ? await this.storage.capture(saved.entry) : null;
          if (file) this.open([file]);
          else this.message = { kind: 'error', text: 'The kept capture could not be found in this browser any more.' };
          this.mode = 'analysis';
          break;
        }
        case 'rename':
          await this.storage.update(a.id, { title: a.title });
          break;
        case 'notes':
          await this.storage.update(a.id, { notes: a.notes });
          break;
        case 'delete': {
          const item = this.storage.items.find((i) => i.id === a.id);
          const undo = await this.storage.remove(a.id);
          this.toast = { text: `Deleted “${item?.title ?? 'analysis'}”.`, undo };
          break;
        }
        case 'delete-all':
          if (confirm(`Delete all ${this.storage.items.length} saved analyses (and any captures kept with them)? Your service labels are kept. This cannot be undone.`)) {
            await this.storage.removeAll();
            this.toast = { text: 'All saved analyses were deleted.', undo: null };
          }
          break;
        case 'export': {
          const text = await this.storage.exportEntries(a.id ? [a.id] : null);
          const item = a.id ? this.storage.items.find((i) => i.id === a.id) : null;
          downloadBlob(item ? `${baseName(item.fileName)}.porthole-library.json` : 'porthole-library.json', new Blob([text], { type: 'application/json' }));
          break;
        }
        case 'diff':
          await this.compare(a.a, a.b);
          break;
        case 'import': {
          const checker = new StateChecker();
          const r = await this.storage.importFile(a.file, (bytes) => checker.check(bytes)).finally(() => checker.close());
          this.toast = { text: `Imported ${r.added} analyses${r.skipped ? `; ${r.skipped} were already here` : ''}.`, undo: null };
          break;
        }
      }
    } catch (err) {
      this.toast = { text: err instanceof Error ? err.message : String(err), undo: null };
    }
  }

  /** Diff two saved analyses in a throwaway worker (the states go there, the text comes back). */
  private async compare(idA: string, idB: string) {
    const [a, b] = await Promise.all([this.storage.open(idA), this.storage.open(idB)]);
    if (!a || !b) throw new Error('One of the analyses to compare is no longer saved.');
    const session = new AnalysisSession(createAnalysisWorker, 'diff');
    try {
      const bytes = async (s: NonNullable<typeof a>): Promise<ArrayBuffer> => {
        if (s.state.state) return s.state.state;
        // Saved before states existed: the worker rebuilds the state from the report.
        const loaded = await session.loadReport(s.state.report!);
        if (!loaded.ok) throw new Error(loaded.problem.message);
        return session.saveState();
      };
      const answer = await session.diffStates(await bytes(a), await bytes(b), [a.entry.title, b.entry.title]);
      if (!answer.ok) throw new Error(answer.message);
      this.diff = { diff: answer.diff, text: answer.text, ids: [idA, idB] };
    } finally {
      session.close();
    }
  }

  private renderEmpty() {
    return html`<section class="empty">
      <h1>Drop a capture anywhere on this page</h1>
      <p>Porthole reads <strong>.pcap</strong>, <strong>.pcapng</strong> and gzip-compressed captures from Wireshark, tcpdump or dumpcap, and shows
        which ports and services they talk on, who is client and who is server, and how much traffic each flow carries, split by IANA port class.</p>
      <p>Several files (the pieces of a ring buffer, captures of one day) or a folder, dropped or opened together, are <strong>one combined
        analysis</strong>, as if they were one capture, with a table of the files; drop them one at a time for separate analyses.</p>
      <p class="privacy">The file is read by this page's own workers; it is never uploaded. Large captures (several GiB) are fine.</p>
      <p><button class="primary" @click=${this.trySample}>Try a sample capture</button></p>
      ${this.storage.items.length ? html`<div class="recent"><h2>Recent analyses</h2><ul>${this.storage.items.slice(0, 6).map((i) => html`<li>
        <button class="link" @click=${() => this.onLibrary({ kind: 'open', id: i.id })}>${i.title}</button>
        <span class="muted">${i.fileName} · ${new Date(i.savedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC · ${i.summary.flows} flows</span></li>`)}</ul>
        <button class="link" @click=${() => { this.mode = 'library'; }}>All saved analyses (${this.storage.items.length})</button></div>` : null}
    </section>`;
  }
}
customElements.define('ph-app', PhApp);

/** States from an imported file are decoded in a throwaway worker: all checks, no long task here. */
class StateChecker {
  private session: AnalysisSession | null = null;

  async check(bytes: ArrayBuffer): Promise<void> {
    this.session ??= new AnalysisSession(createAnalysisWorker, 'import');
    await this.session.load(bytes);
  }

  close(): void {
    this.session?.close();
  }
}

