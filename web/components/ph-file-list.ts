import { html, LitElement, css } from 'lit';
import type { QueuedFile } from '../controllers/analysis-controller';
import { bytes } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';

/** The analyses of this session (a file each, or several files combined), one after another; finished ones can be shown again. */
export class PhFileList extends LitElement {
  static override properties = { files: { attribute: false }, shownId: { attribute: false } };
  declare files: QueuedFile[];
  declare shownId: number | null;

  constructor() {
    super();
    this.files = [];
    this.shownId = null;
  }

  static override styles = [sharedStyles, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
    li { display: flex; gap: 10px; align-items: center; }
    .status { font-size: 12px; color: var(--muted); }
    .status.error { color: var(--danger); }
    button[aria-current='true'] { border-color: var(--accent); font-weight: 600; }
  `];

  override render() {
    return html`<section class="panel" aria-label="Analyses">
      <h2>Analyses</h2>
      <ul>${this.files.map((q) => html`<li>
        <button ?disabled=${!q.session} aria-current=${q.id === this.shownId ? 'true' : 'false'}
          @click=${() => this.dispatchEvent(new CustomEvent('file-show', { detail: q, bubbles: true, composed: true }))}>${q.name}</button>
        <span class="muted">${q.file ? '' : `${q.inputs.length} files, `}${bytes(q.size)}</span>
        <span class="status ${q.status === 'error' ? 'error' : ''}">${q.status}${q.message && q.status !== 'done' ? `: ${q.message}` : ''}</span>
      </li>`)}</ul>
    </section>`;
  }
}
customElements.define('ph-file-list', PhFileList);
