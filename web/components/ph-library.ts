import { html, LitElement, css } from 'lit';
import { queryLibrary, type LibraryItem } from '../../src/storage/library';
import { bytes, count } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';

export type LibraryAction =
  | { kind: 'open'; id: string }
  | { kind: 'reanalyze'; id: string }
  | { kind: 'rename'; id: string; title: string }
  | { kind: 'notes'; id: string; notes: string }
  | { kind: 'delete'; id: string }
  | { kind: 'delete-all' }
  | { kind: 'export'; id: string | null }
  | { kind: 'import'; file: File }
  /** What changed from analysis a to analysis b. */
  | { kind: 'diff'; a: string; b: string };

/** The saved analyses: sort, search, open, rename, notes, delete, export and import. Sends 'library-action'. */
export class PhLibrary extends LitElement {
  static override properties = {
    items: { attribute: false }, usage: { attribute: false }, search: { state: true }, sort: { state: true }, editing: { state: true },
    picked: { state: true },
  };
  /** Up to two analyses picked to compare (the earlier pick is A). */
  declare picked: string[];
  declare items: LibraryItem[];
  declare usage: { used: number; quota: number; persisted: boolean } | null;
  declare search: string;
  declare sort: 'date' | 'name' | 'size';
  declare editing: string | null;

  constructor() {
    super();
    this.items = [];
    this.usage = null;
    this.search = '';
    this.sort = 'date';
    this.editing = null;
    this.picked = [];
  }

  private pick(id: string, on: boolean) {
    const rest = this.picked.filter((x) => x !== id);
    this.picked = on ? [...rest, id].slice(-2) : rest;
  }

  private compare() {
    const [a, b] = this.picked;
    if (a && b) this.act({ kind: 'diff', a, b });
  }

  static override styles = [sharedStyles, css`
    .tools { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin-bottom: 10px; }
    input[type=search], select { font: inherit; padding: 5px 8px; border-radius: 6px; border: 1px solid var(--border); background: var(--bg); color: var(--text); }
    input[type=search] { flex: 1 1 240px; }
    input[type=file] { position: absolute; width: 1px; height: 1px; opacity: 0; }
    label.button:focus-within { outline: 2px solid var(--focus); }
    ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
    li { border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; display: grid; gap: 6px; }
    .head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
    .title { font-weight: 700; font-size: 15px; }
    .meta { color: var(--muted); font-size: 12.5px; }
    .actions { display: flex; gap: 6px; flex-wrap: wrap; }
    .notes { white-space: pre-wrap; font-size: 13px; }
    textarea, input.rename { font: inherit; width: 100%; box-sizing: border-box; padding: 5px 8px; border-radius: 6px; border: 1px solid var(--border); background: var(--bg); color: var(--text); }
  `];

  private act(a: LibraryAction) {
    this.dispatchEvent(new CustomEvent<LibraryAction>('library-action', { detail: a, bubbles: true, composed: true }));
  }

  private item(i: LibraryItem) {
    const editing = this.editing === i.id;
    return html`<li data-testid="saved-item" data-id=${i.id}>
      <div class="head">
        ${editing
          ? html`<input class="rename" aria-label="Title" .value=${i.title} @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') this.finishEdit(i.id); }} />`
          : html`<span class="title">${i.title}</span>`}
        <span class="meta mono">${i.fileName}</span>
        <span class="meta">saved ${new Date(i.savedAt).toLocaleString()}</span>
      </div>
      <div class="meta">${count(i.summary.packets)} packets · ${bytes(i.summary.bytes)} · ${count(i.summary.flows)} flows · ${bytes(i.fileSize)} file
        ${i.summary.topServices.length ? html` · top services: ${i.summary.topServices.join(', ')}` : null}${i.filter ? html` · filter: <span class="mono">${i.filter}</span>` : null}</div>
      ${editing
        ? html`<textarea aria-label="Notes" rows="3" .value=${i.notes}></textarea>`
        : i.notes ? html`<div class="notes">${i.notes}</div>` : null}
      <div class="actions">
        <button class="primary" @click=${() => this.act({ kind: 'open', id: i.id })} aria-label="Open ${i.title}">Open</button>
        ${i.capturePath ? html`<button @click=${() => this.act({ kind: 'reanalyze', id: i.id })}>Analyze the kept capture again</button>` : null}
        ${editing
          ? html`<button @click=${() => this.finishEdit(i.id)}>Done</button>`
          : html`<button @click=${() => { this.editing = i.id; }} aria-label="Rename or edit notes of ${i.title}">Rename / notes</button>`}
        <button @click=${() => this.act({ kind: 'export', id: i.id })} aria-label="Export ${i.title}">Export</button>
        <button @click=${() => this.act({ kind: 'delete', id: i.id })} aria-label="Delete ${i.title}">Delete</button>
        <label class="meta"><input type="checkbox" aria-label="Compare ${i.title}" .checked=${this.picked.includes(i.id)}
          @change=${(e: Event) => this.pick(i.id, (e.target as HTMLInputElement).checked)} /> compare${this.picked[0] === i.id ? ' (A)' : this.picked[1] === i.id ? ' (B)' : ''}</label>
      </div>
    </li>`;
  }

  private finishEdit(id: string) {
    const li = this.renderRoot.querySelector(`li[data-id="${id}"]`)!;
    const title = (li.querySelector('input.rename') as HTMLInputElement).value.trim();
    const notes = (li.querySelector('textarea') as HTMLTextAreaElement).value;
    const item = this.items.find((x) => x.id === id)!;
    if (title && title !== item.title) this.act({ kind: 'rename', id, title });
    if (notes !== item.notes) this.act({ kind: 'notes', id, notes });
    this.editing = null;
  }

  private onImport(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.act({ kind: 'import', file });
  }

  override render() {
    const shown = queryLibrary(this.items, this.search, this.sort);
    const u = this.usage;
    return html`<section class="panel" aria-label="Saved analyses">
      <h2>Saved analyses <span class="muted">(${this.items.length})</span></h2>
      <div class="tools">
        <input type="search" aria-label="Search saved analyses" placeholder="Search by title, file name, port or service" .value=${this.search}
          @input=${(e: Event) => { this.search = (e.target as HTMLInputElement).value; }} />
        <label>Sort <select aria-label="Sort saved analyses" @change=${(e: Event) => { this.sort = (e.target as HTMLSelectElement).value as 'date'; }}>
          <option value="date">by date</option><option value="name">by name</option><option value="size">by size</option></select></label>
        <button @click=${() => this.act({ kind: 'export', id: null })} ?disabled=${this.items.length === 0}>Export library</button>
        <label class="button">Import library<input type="file" accept=".json,application/json" aria-label="Import library" @change=${this.onImport} /></label>
        <button @click=${() => this.act({ kind: 'delete-all' })} ?disabled=${this.items.length === 0}>Delete all</button>
        <button @click=${this.compare} ?disabled=${this.picked.length !== 2} title="Tick “compare” on two analyses: the first is A, the second B">What changed (A → B)</button>
      </div>
      ${u ? html`<p class="meta">Using ${bytes(u.used)} of ${bytes(u.quota)} available to this site${u.persisted ? ' · storage is persistent' : ' · the browser may evict it under pressure'}.</p>` : null}
      ${shown.length ? html`<ul>${shown.map((i) => this.item(i))}</ul>` : html`<p class="muted">${this.items.length ? 'Nothing matches the search.' : 'No saved analyses yet. Analyze a capture and press “Save analysis”.'}</p>`}
    </section>`;
  }
}
customElements.define('ph-library', PhLibrary);
