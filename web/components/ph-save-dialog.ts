import { html, LitElement, css } from 'lit';
import type { SavedAnalysis } from '../../src/storage/schema';
import { sharedStyles } from '../lib/shared-styles';

export interface SaveChoice {
  title: string;
  notes: string;
  keepCapture: boolean;
  replaceId: string | undefined;
}

/** Ask for a title and notes; offer to update an earlier save of the same capture. Sends 'save' or 'close'. */
export class PhSaveDialog extends LitElement {
  static override properties = {
    fileName: {}, duplicates: { attribute: false }, canKeepCapture: { type: Boolean }, busy: { type: Boolean }, error: {},
  };
  declare fileName: string;
  declare duplicates: SavedAnalysis[];
  declare canKeepCapture: boolean;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.fileName = '';
    this.duplicates = [];
    this.canKeepCapture = false;
    this.busy = false;
    this.error = '';
  }

  static override styles = [sharedStyles, css`
    dialog { border: 1px solid var(--border); border-radius: 10px; background: var(--panel); color: var(--text); max-width: 520px; width: 92vw; }
    dialog::backdrop { background: rgb(0 0 0 / 0.4); }
    label { display: block; margin: 10px 0 4px; font-weight: 600; }
    input[type=text], textarea { width: 100%; box-sizing: border-box; font: inherit; padding: 6px 8px; border-radius: 6px; border: 1px solid var(--border); background: var(--bg); color: var(--text); }
    .check { display: flex; gap: 8px; align-items: flex-start; font-weight: 400; }
    .row { display: flex; gap: 8px; justify-content: flex-end; margin-top: 14px; flex-wrap: wrap; }
    .dup { background: var(--warn-bg); padding: 8px 10px; border-radius: 6px; margin-top: 10px; }
    .error { color: var(--danger); margin-top: 8px; }
  `];

  override firstUpdated(): void {
    this.renderRoot.querySelector('dialog')!.showModal();
  }

  private choose(replaceId: string | undefined, e?: Event) {
    e?.preventDefault();
    const root = this.renderRoot;
    const title = (root.querySelector('#title') as HTMLInputElement).value.trim() || this.fileName;
    const notes = (root.querySelector('#notes') as HTMLTextAreaElement).value;
    const keepCapture = (root.querySelector('#keep') as HTMLInputElement | null)?.checked ?? false;
    this.dispatchEvent(new CustomEvent<SaveChoice>('save', { detail: { title, notes, keepCapture, replaceId } }));
  }

  override render() {
    const dup = this.duplicates[0];
    return html`<dialog aria-labelledby="save-title" @cancel=${() => this.dispatchEvent(new Event('close'))}>
      <form method="dialog" @submit=${(e: Event) => this.choose(undefined, e)}>
        <h2 id="save-title">Save analysis</h2>
        <label for="title">Title</label>
        <input id="title" type="text" .value=${dup?.title ?? this.fileName} autocomplete="off" />
        <label for="notes">Notes</label>
        <textarea id="notes" rows="3" .value=${dup?.notes ?? ''}></textarea>
        ${this.canKeepCapture ? html`<label class="check"><input id="keep" type="checkbox" /> Also keep the capture file in this browser, to analyze it again later (stored locally, in the Origin Private File System)</label>` : null}
        ${dup ? html`<div class="dup" role="note">This capture was saved before, on ${new Date(dup.savedAt).toLocaleString()}, as “${dup.title}”.
          Update that entry, or save a new one?</div>` : null}
        ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : null}
        <div class="row">
          <button type="button" @click=${() => this.dispatchEvent(new Event('close'))}>Cancel</button>
          ${dup ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.choose(undefined)}>Save as new</button>
            <button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.choose(dup.id)}>Update existing</button>`
            : html`<button type="submit" class="primary" ?disabled=${this.busy}>Save</button>`}
        </div>
      </form>
    </dialog>`;
  }
}
customElements.define('ph-save-dialog', PhSaveDialog);
