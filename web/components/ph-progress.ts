import { html, LitElement, css } from 'lit';
import type { Progress } from '../../src/workers/analysis-api';
import { bytes, count, duration, rate } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';

/** Progress of the file being read, with a Cancel button (which dispatches 'cancel'). */
export class PhProgress extends LitElement {
  static override properties = { progress: { attribute: false }, fileName: { attribute: false }, shownPackets: { attribute: false } };
  declare progress: Progress | null;
  declare fileName: string;
  /** Packets in the partial summary on screen (it is refreshed less often than this line). */
  declare shownPackets: number | null;

  constructor() {
    super();
    this.progress = null;
    this.fileName = '';
    this.shownPackets = null;
  }

  static override styles = [sharedStyles, css`
    .row { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
    progress { flex: 1 1 240px; height: 14px; accent-color: var(--accent); }
    .stats { display: flex; gap: 16px; flex-wrap: wrap; color: var(--muted); font-variant-numeric: tabular-nums; }
  `];

  override render() {
    const p = this.progress;
    if (!p) return null;
    const pct = p.totalBytes > 0 ? Math.min(100, (100 * p.bytesRead) / p.totalBytes) : 0;
    return html`<div class="panel" role="status" aria-live="polite">
      <div class="row">
        <strong>Reading ${this.fileName}</strong>
        <progress max="100" .value=${pct} aria-label="Reading progress"></progress>
        <span class="num">${pct.toFixed(0)}%</span>
        <button @click=${() => this.dispatchEvent(new Event('cancel', { bubbles: true, composed: true }))}>Cancel</button>
      </div>
      <div class="stats">
        <span>${bytes(p.bytesRead)} of ${bytes(p.totalBytes)}</span>
        <span>${count(p.packets)} packets</span>
        ${this.shownPackets !== null && this.shownPackets < p.packets ? html`<span data-testid="partial-note">the panels below show the first ${count(this.shownPackets)}; they catch up as reading goes on</span>` : null}
        <span>${rate(p.throughput)}</span>
        <span>${p.etaSec === null ? 'estimating time left' : `${duration(p.etaSec)} left`}</span>
      </div>
    </div>`;
  }
}
customElements.define('ph-progress', PhProgress);
