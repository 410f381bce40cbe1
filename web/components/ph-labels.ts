import { html, LitElement, css } from 'lit';
import type { UserLabel } from '../../src/storage/schema';
import { sharedStyles } from '../lib/shared-styles';

export interface LabelRequest {
  address: string;
  proto: 'tcp' | 'udp';
  port: number;
  label: string;
}

/** Your own names for services ("10.0.0.5:8443 = billing API"), kept in this browser. Sends 'label-add' / 'label-remove'. */
export class PhLabels extends LitElement {
  static override properties = { labels: { attribute: false }, error: {} };
  declare labels: Map<string, UserLabel>;
  declare error: string;

  constructor() {
    super();
    this.labels = new Map();
    this.error = '';
  }

  static override styles = [sharedStyles, css`
    form { display: flex; gap: 6px; flex-wrap: wrap; align-items: end; }
    label { display: grid; gap: 2px; font-size: 12px; color: var(--muted); }
    input, select { font: inherit; padding: 5px 8px; border-radius: 6px; border: 1px solid var(--border); background: var(--bg); color: var(--text); }
    ul { padding-left: 18px; }
    .error { color: var(--danger); }
  `];

  private submit(e: Event) {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const data = new FormData(f);
    this.dispatchEvent(new CustomEvent<LabelRequest>('label-add', { bubbles: true, composed: true, detail: {
      address: String(data.get('address') ?? ''), proto: data.get('proto') === 'udp' ? 'udp' : 'tcp',
      port: Number(data.get('port')), label: String(data.get('label') ?? ''),
    } }));
  }

  override render() {
    return html`<section class="panel" aria-label="Your service labels">
      <h2>Your service labels</h2>
      <form @submit=${this.submit}>
        <label>Host<input name="address" required placeholder="10.0.0.5" size="16" /></label>
        <label>Proto<select name="proto"><option>tcp</option><option>udp</option></select></label>
        <label>Port<input name="port" required type="number" min="0" max="65535" style="width:90px" /></label>
        <label>Name<input name="label" required placeholder="billing API" /></label>
        <button type="submit">Add label</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      ${this.labels.size ? html`<ul>${[...this.labels.values()].map((l) => html`<li><span class="mono">${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}/${l.proto}</span> = ${l.label}
        <button @click=${() => this.dispatchEvent(new CustomEvent('label-remove', { bubbles: true, composed: true, detail: l.key }))} aria-label="Remove label ${l.label}">Remove</button></li>`)}</ul>`
        : html`<p class="muted">Labels apply to every analysis where that host and port appear, and travel with the exported library.</p>`}
    </section>`;
  }
}
customElements.define('ph-labels', PhLabels);
