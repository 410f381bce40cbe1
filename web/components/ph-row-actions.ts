import { html, LitElement, css } from 'lit';
import { FilterChangeEvent } from '../lib/events';
import { combine, rowText, type CombineMode, type RowFilter } from '../lib/row-filters';
import { sharedStyles } from '../lib/shared-styles';

/**
 * Actions for a selected row of any table: filter to it, narrow or widen the filter with it,
 * exclude it; copy a Wireshark display filter for it, or the row as CSV or TSV (what was
 * copied is also shown, so it can be pasted by hand where the clipboard is not available).
 */
export class PhRowActions extends LitElement {
  static override properties = {
    what: { attribute: false }, rowFilter: { attribute: false }, current: { attribute: false }, header: { attribute: false }, cells: { attribute: false },
    copied: { state: true },
  };
  declare what: string;
  declare rowFilter: RowFilter;
  declare current: string | null;
  declare header: string[];
  declare cells: Array<string | number | null>;
  declare copied: string;

  constructor() {
    super();
    this.what = '';
    this.rowFilter = { porthole: '', wireshark: '' };
    this.current = null;
    this.header = [];
    this.cells = [];
    this.copied = '';
  }

  static override styles = [sharedStyles, css`
    :host { display: block; margin: 4px 0 8px; }
    .bar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
    .what { font-weight: 600; margin-right: 4px; overflow-wrap: anywhere; }
    .copied { font-size: 12px; color: var(--muted); margin-top: 4px; overflow-wrap: anywhere; }
    code { font-size: 12px; }
  `];

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('rowFilter')) this.copied = '';
  }

  private apply(mode: CombineMode) {
    this.dispatchEvent(new FilterChangeEvent(combine(this.current, this.rowFilter.porthole, mode)));
  }

  private async copy(label: string, text: string) {
    this.copied = `${label}: ${text}`;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      this.copied = `${label} (select and copy it): ${text}`;
    }
  }

  override render() {
    const f = this.rowFilter;
    return html`<div class="bar" role="toolbar" aria-label="Actions for the selected row">
        <span class="what">${this.what}</span>
        <button @click=${() => this.apply('only')} title=${f.porthole}>Filter to this</button>
        ${this.current ? html`<button @click=${() => this.apply('and')}>… and this</button><button @click=${() => this.apply('or')}>… or this</button>` : null}
        <button @click=${() => this.apply('exclude')}>Exclude</button>
        <button @click=${() => this.copy('Copied Wireshark filter', f.wireshark)}>Copy Wireshark filter</button>
        <button @click=${() => this.copy('Copied CSV', `${rowText(this.header, ',')}\n${rowText(this.cells, ',')}`)}>Copy CSV</button>
        <button @click=${() => this.copy('Copied TSV', `${rowText(this.header, '\t')}\n${rowText(this.cells, '\t')}`)}>Copy TSV</button>
      </div>
      ${this.copied ? html`<div class="copied" role="status" data-testid="copied"><code>${this.copied}</code></div>` : null}`;
  }
}
customElements.define('ph-row-actions', PhRowActions);
