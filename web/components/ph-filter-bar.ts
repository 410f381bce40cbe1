import { html, LitElement, css } from 'lit';
import { FilterError, parseFilter } from '../../src/views/filter/parse-filter';
import type { FilterProblem } from '../../src/workers/engine';
import { FilterChangeEvent } from '../lib/events';
import { pressedToggles, TOGGLE_GROUPS, TOGGLE_LABELS, toggleWord, TUNNEL_TOGGLES } from '../lib/quick-filters';
import { sharedStyles } from '../lib/shared-styles';

const TOGGLES = TOGGLE_GROUPS.flat();

/** The filter language, validated as you type, with the error at its column; quick toggles. */
export class PhFilterBar extends LitElement {
  static override properties = { filter: {}, problem: { attribute: false }, applied: { attribute: false }, tunnels: { type: Boolean }, draft: { state: true }, error: { state: true } };
  declare filter: string;
  /** The worker could not apply `filter` (e.g. a bad filter in the URL): where and why. */
  declare problem: FilterProblem | null;
  /** The filter the panels show now (the last good one while `filter` has a problem). */
  declare applied: string | null;
  /** The capture has flows inside tunnels: offer "inside tunnels" / "outer layer" (default: both). */
  declare tunnels: boolean;
  declare draft: string;
  declare error: FilterError | null;

  constructor() {
    super();
    this.filter = '';
    this.problem = null;
    this.applied = null;
    this.tunnels = false;
    this.draft = '';
    this.error = null;
  }

  static override styles = [sharedStyles, css`
    form { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
    label { font-weight: 600; }
    input { flex: 1 1 320px; font: inherit; font-family: ui-monospace, Menlo, Consolas, monospace; padding: 6px 8px; border-radius: 6px;
      border: 1px solid var(--border); background: var(--bg); color: var(--text); }
    input[aria-invalid='true'] { border-color: var(--danger); }
    .toggles { display: flex; gap: 6px; flex-wrap: wrap; }
    .toggles button[aria-pressed='true'] { background: var(--accent); color: var(--accent-text); border-color: var(--accent); }
    .error { color: var(--danger); margin-top: 6px; font-size: 12.5px; }
    .hint { color: var(--muted); margin-top: 6px; font-size: 12px; }
  `];

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('filter')) {
      this.draft = this.filter;
      this.error = null;
    }
    if (changed.has('problem') && this.problem) this.error = new FilterError(this.problem.column, this.problem.message);
  }

  private onInput(e: InputEvent) {
    this.draft = (e.target as HTMLInputElement).value;
    this.error = this.validate(this.draft);
  }

  private validate(text: string): FilterError | null {
    try {
      parseFilter(text);
      return null;
    } catch (err) {
      if (err instanceof FilterError) return err;
      throw err;
    }
  }

  private apply(e?: Event) {
    e?.preventDefault();
    this.error = this.validate(this.draft);
    if (!this.error) this.dispatchEvent(new FilterChangeEvent(this.draft.trim()));
  }

  private toggle(word: string) {
    this.dispatchEvent(new FilterChangeEvent(toggleWord(this.filter, word)));
  }

  override render() {
    const err = this.error;
    const pressed = pressedToggles(this.filter);
    return html`<div class="panel">
      <form @submit=${this.apply}>
        <label for="filter">Filter</label>
        <input id="filter" name="filter" .value=${this.draft} @input=${this.onInput} @change=${() => this.apply()}
          placeholder="e.g. tcp and port 443, server port 8080, not ephemeral, tcp.port == 22"
          aria-invalid=${err ? 'true' : 'false'} aria-describedby="filter-help" autocomplete="off" spellcheck="false" />
        <button type="submit" class="primary">Apply</button>
        ${this.filter ? html`<button type="button" @click=${() => this.dispatchEvent(new FilterChangeEvent(''))}>Clear</button>` : null}
        <div class="toggles" role="group" aria-label="Quick filters">
          ${TOGGLES.filter((t) => this.tunnels || !TUNNEL_TOGGLES.has(t)).map((t) => html`<button type="button" aria-pressed=${pressed.has(t) ? 'true' : 'false'} @click=${() => this.toggle(t)}>${TOGGLE_LABELS[t] ?? t}</button>`)}
        </div>
      </form>
      <div id="filter-help" class=${err ? 'error' : 'hint'} role=${err ? 'alert' : 'note'}>${err
        ? `${err.message}${this.problem ? ` — showing ${this.applied ? `“${this.applied}”` : 'all flows'} instead` : ''}`
        : 'pcap-filter words (port, src/dst port, portrange, host, net, tcp, udp), server port, service NAME, well-known / registered / ephemeral, and/or/not, or Wireshark style tcp.port == 443.'}</div>
    </div>`;
  }
}
customElements.define('ph-filter-bar', PhFilterBar);
