import { html, LitElement, css, nothing } from 'lit';
import type { AnalysisDiff } from '../../src/policy/diff';
import { downloadBlob } from '../lib/download';
import { sharedStyles } from '../lib/shared-styles';

export interface DiffShown {
  diff: AnalysisDiff;
  text: string;
  /** The library entries compared (A, B). */
  ids: [string, string];
}

/** What changed between two saved analyses, as `porthole diff` prints it, or as JSON. Sends 'diff-swap' and 'diff-close'. */
export class PhDiffView extends LitElement {
  static override properties = { shown: { attribute: false }, asJson: { state: true } };
  declare shown: DiffShown | null;
  declare asJson: boolean;

  constructor() {
    super();
    this.shown = null;
    this.asJson = false;
  }

  static override styles = [sharedStyles, css`
    .tools { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin-bottom: 8px; }
    pre { max-height: 480px; overflow: auto; background: var(--bg); border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; margin: 0; white-space: pre-wrap; }
  `];

  private send(name: 'diff-swap' | 'diff-close') {
    this.dispatchEvent(new Event(name, { bubbles: true, composed: true }));
  }

  override render() {
    const s = this.shown;
    if (!s) return nothing;
    const json = JSON.stringify(s.diff, null, 1);
    return html`<section class="panel" aria-label="What changed">
      <h2>What changed <span class="muted">(${s.diff.empty ? 'nothing' : 'A → B'})</span></h2>
      <div class="tools">
        <label><input type="checkbox" .checked=${this.asJson} @change=${(e: Event) => { this.asJson = (e.target as HTMLInputElement).checked; }} /> JSON</label>
        <button @click=${() => this.send('diff-swap')}>Swap A and B</button>
        <button @click=${() => downloadBlob('porthole-diff.json', new Blob([`${json}\n`], { type: 'application/json' }))}>Download JSON</button>
        <button @click=${() => this.send('diff-close')}>Close</button>
      </div>
      <pre class="mono" data-testid="diff-text">${this.asJson ? json : s.text}</pre>
    </section>`;
  }
}
customElements.define('ph-diff-view', PhDiffView);
