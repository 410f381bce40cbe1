import { html, LitElement, css, nothing } from 'lit';
import type { Counted, ExposureEntry, PolicyCheckResult } from '../../src/policy/check-policy';
import { POLICY_FORMATS, type PolicyFormat } from '../../src/policy/policy';
import type { AnalysisSession } from '../../src/workers/analysis-client';
import type { PolicyProblem } from '../../src/workers/policy-answers';
import { baseName, downloadBlob } from '../lib/download';
import { FilterChangeEvent } from '../lib/events';
import { bytes, count, percent } from '../lib/format';
import { sharedStyles } from '../lib/shared-styles';

const FORMAT_NAMES: Record<PolicyFormat, string> = { porthole: 'Porthole rules', iptables: 'iptables-save', nft: 'nft ruleset', aws: 'AWS security groups' };
const EXTENSIONS: Record<PolicyFormat, string> = { porthole: 'rules', iptables: 'iptables', nft: 'nft', aws: 'json' };
const EXAMPLE = 'allow tcp 80,443\nallow tcp 22 from 10.0.0.0/24\ndefault deny';

type Suggested = { format: PolicyFormat; text: string; rules: number; services: number };

/**
 * Firewall policy: paste or load rules, check them against every flow of the analysis (in the
 * worker), or have a least-privilege policy suggested. Every count is a button that sets the
 * page filter to exactly the flows it counts. Rule and capture strings are rendered as text.
 */
export class PhPolicy extends LitElement {
  static override properties = {
    session: { attribute: false },
    rules: { state: true }, format: { state: true }, chain: { state: true },
    result: { state: true }, problem: { state: true }, busy: { state: true }, error: { state: true },
    suggestFormat: { state: true }, excludeScanners: { state: true }, suggested: { state: true }, status: { state: true },
    applied: { state: true },
  };
  /** The last count clicked: what the tables below now show. */
  declare applied: string;
  /** The worker holding the analysis shown. */
  declare session: AnalysisSession | null;
  declare rules: string;
  /** null: detected from the content. */
  declare format: PolicyFormat | null;
  declare chain: 'auto' | 'INPUT' | 'FORWARD';
  declare result: { format: PolicyFormat; check: PolicyCheckResult; rulesText: string } | null;
  declare problem: (PolicyProblem & { lineText: string | null }) | null;
  declare busy: boolean;
  declare error: string;
  declare suggestFormat: PolicyFormat;
  declare excludeScanners: boolean;
  declare suggested: Suggested | null;
  declare status: string;

  constructor() {
    super();
    this.session = null;
    this.rules = '';
    this.format = null;
    this.chain = 'auto';
    this.result = null;
    this.problem = null;
    this.busy = false;
    this.error = '';
    this.suggestFormat = 'nft';
    this.excludeScanners = false;
    this.suggested = null;
    this.status = '';
    this.applied = '';
  }

  override willUpdate(changed: Map<string, unknown>) {
    // Another analysis: the results were about the previous one (the rules stay).
    if (changed.has('session') && changed.get('session') !== undefined) {
      this.result = null;
      this.suggested = null;
      this.problem = null;
      this.error = '';
    }
  }

  static override styles = [sharedStyles, css`
    .grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px; }
    @media (max-width: 900px) { .grid { grid-template-columns: minmax(0, 1fr); } }
    textarea, select { font: inherit; border-radius: 6px; border: 1px solid var(--border); background: var(--bg); color: var(--text); }
    textarea { width: 100%; box-sizing: border-box; padding: 6px 8px; resize: vertical; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
    select { padding: 5px 8px; }
    .tools { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 6px 0; }
    input[type=file] { position: absolute; width: 1px; height: 1px; opacity: 0; }
    label.button:focus-within { outline: 2px solid var(--focus); outline-offset: 2px; }
    h3 { font-size: 13px; margin: 14px 0 6px; }
    .totals { display: flex; gap: 10px; flex-wrap: wrap; margin: 8px 0; }
    .total { border: 1px solid var(--border); border-radius: 8px; padding: 8px 12px; background: var(--bg); min-width: 150px; }
    .total .what { font-size: 12px; color: var(--muted); }
    .total.blocked { border-left: 4px solid var(--danger); }
    .total.allowed { border-left: 4px solid var(--wk); }
    button.count { all: unset; cursor: pointer; color: var(--accent); text-decoration: underline; font-variant-numeric: tabular-nums; font-weight: 600; }
    .total button.count { font-size: 20px; }
    button.count:focus-visible { outline: 2px solid var(--focus); }
    .problem { border: 1px solid var(--danger); color: var(--danger); border-radius: 6px; padding: 8px 10px; margin: 6px 0; background: var(--panel); }
    .problem pre { margin: 6px 0 0; color: var(--text); }
    ul.notes { margin: 6px 0; padding-left: 18px; font-size: 13px; }
    ul.notes li.warning { color: var(--danger); }
    .scroll { max-height: 320px; overflow: auto; }
    td.rule { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; word-break: break-all; }
    .action { font-weight: 600; }
    .action.allow { color: var(--wk); }
    .action.deny, .action.reject { color: var(--danger); }
    .use { font-size: 12px; color: var(--muted); }
    .breakdowns { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 10px; }
    pre.policy { tab-size: 4; max-height: 360px; overflow: auto; background: var(--bg); border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; margin: 6px 0; white-space: pre; }
    .risk { font-size: 12.5px; color: var(--muted); }
  `];

  private setFilter(filter: string, what: string) {
    this.applied = what;
    this.dispatchEvent(new FilterChangeEvent(filter));
  }

  /** A count that, clicked, shows exactly its flows. */
  private countButton(c: Counted, testid: string, what: string) {
    return html`<button class="count" data-testid=${testid} title="Show these flows: ${c.filter}" aria-label="Show the ${count(c.flows)} ${what}"
      @click=${() => this.setFilter(c.filter, `the ${count(c.flows)} ${what}`)}>${count(c.flows)}</button>`;
  }

  private async onLoad(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.rules = await file.text();
    this.problem = null;
  }

  private async check() {
    const session = this.session;
    if (!session) return;
    const rulesText = this.rules;
    this.busy = true;
    this.error = '';
    try {
      const answer = await session.checkPolicy(rulesText, this.format, this.chain);
      if (session !== this.session) return;
      if (answer.ok) {
        this.problem = null;
        this.result = { format: answer.format, check: answer.result, rulesText };
        this.applied = '';
      } else {
        const lineText = answer.problem.line > 0 ? rulesText.split('\n')[answer.problem.line - 1] ?? null : null;
        this.problem = { ...answer.problem, lineText };
        this.result = null;
      }
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  private async suggest() {
    const session = this.session;
    if (!session) return;
    this.busy = true;
    this.error = '';
    this.status = '';
    try {
      const answer = await session.suggestPolicy({ format: this.suggestFormat, excludeScanners: this.excludeScanners, prefix4: 32 });
      if (session !== this.session) return;
      if (answer.ok) this.suggested = { format: answer.format, text: answer.text, rules: answer.rules, services: answer.services };
      else this.error = answer.message;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  private async copy() {
    if (!this.suggested) return;
    try {
      await navigator.clipboard.writeText(this.suggested.text);
      this.status = 'Copied.';
    } catch {
      this.status = 'The browser did not allow copying; select the text or download it.';
    }
  }

  private download() {
    const s = this.suggested;
    if (!s || !this.session) return;
    downloadBlob(`${baseName(this.session.name)}.suggested.${EXTENSIONS[s.format]}`, new Blob([s.text], { type: s.format === 'aws' ? 'application/json' : 'text/plain' }));
  }

  private renderProblem(p: NonNullable<PhPolicy['problem']>) {
    const where = p.path !== null ? p.path : `line ${p.line}, column ${p.column}`;
    return html`<div class="problem" role="alert" data-testid="policy-problem">
      <div>${FORMAT_NAMES[p.format]}: <strong>${where}</strong>: ${p.detail}</div>
      ${p.lineText !== null ? html`<pre class="mono">${p.line} | ${p.lineText}\n${' '.repeat(String(p.line).length)} | ${' '.repeat(Math.max(0, p.column - 1))}^</pre>` : nothing}
    </div>`;
  }

  private breakdown<T extends Counted>(title: string, rows: T[], total: number, label: (r: T) => unknown, testid: string) {
    if (rows.length === 0) return nothing;
    return html`<div>
      <h3>${title} <span class="muted">(${rows.length < total ? `top ${rows.length} of ${count(total)}` : count(total)})</span></h3>
      <table data-testid=${testid}><tbody>${rows.map((r) => html`<tr><td>${label(r)}</td>
        <td class="num">${this.countButton(r, `${testid}-count`, 'blocked flows')}</td><td class="num muted">${bytes(r.bytes)}</td></tr>`)}</tbody></table>
    </div>`;
  }

  private exposure(title: string, rows: ExposureEntry[], total: number, testid: string) {
    if (total === 0) return nothing;
    return html`<div>
      <h3>${title} <span class="muted">(${count(total)})</span></h3>
      <table data-testid=${testid}><tbody>${rows.map((e) => html`<tr>
        <td><span class="mono">${e.host} ${e.port}/${e.proto}</span> ${e.service ?? ''}
          <div class="risk">${e.risk ? html`[${e.risk.severity}] ${e.risk.name}: ${e.risk.why} · ` : nothing}allowed by ${e.allowedBy.join(', ')}${e.fromEverywhere ? ', from any address' : ''}; ${count(e.clients)} client${e.clients === 1 ? '' : 's'}</div></td>
        <td class="num">${this.countButton(e, `${testid}-count`, 'allowed flows')}</td></tr>`)}</tbody></table>
    </div>`;
  }

  private renderResult(r: NonNullable<PhPolicy['result']>) {
    const c = r.check;
    const d = c.defaults;
    const defaults = [d.ipv4 ? `IPv4 ${d.ipv4.action}` : 'IPv4 not covered', d.ipv6 ? `IPv6 ${d.ipv6.action}` : 'IPv6 not covered'].join(', ');
    return html`<div data-testid="policy-result">
      <p class="muted">Read as ${FORMAT_NAMES[r.format]} (${c.scope}); ${count(c.rules.length)} rule${c.rules.length === 1 ? '' : 's'}; default ${defaults}. Each of the ${count(c.flows)} flows is judged by its client's first packet; the first matching rule decides.</p>
      <div class="totals">
        <div class="total allowed"><div class="what">Allowed flows</div>${this.countButton({ flows: c.allowedFlows, bytes: c.allowedBytes, filter: c.filters.allowed }, 'policy-allowed', 'allowed flows')}
          <div class="muted">${percent(c.allowedFlows, c.flows)} · ${bytes(c.allowedBytes)}</div></div>
        <div class="total blocked"><div class="what">Blocked flows</div>${this.countButton({ flows: c.blockedFlows, bytes: c.blockedBytes, filter: c.filters.blocked }, 'policy-blocked', 'blocked flows')}
          <div class="muted">${percent(c.blockedFlows, c.flows)} · ${bytes(c.blockedBytes)}</div></div>
        ${c.outsideFlows > 0 ? html`<div class="total"><div class="what">Not covered (other IP version)</div>${this.countButton({ flows: c.outsideFlows, bytes: 0, filter: c.filters.outside }, 'policy-outside', 'flows not covered')}</div>` : nothing}
      </div>
      <p class="muted" role="status" data-testid="policy-applied">${this.applied ? `The filter below now selects ${this.applied}: the tables show them.` : 'Click a number to show its flows in the tables below.'}</p>
      ${c.warnings.length + c.notes.length ? html`<ul class="notes">${c.warnings.map((w) => html`<li class="warning">${w}</li>`)}${c.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
      <h3>Rules <span class="muted">(first match decides)</span></h3>
      <div class="scroll"><table data-testid="policy-rules">
        <thead><tr><th scope="col">Where</th><th scope="col">Action</th><th scope="col">Rule</th><th scope="col" class="num">Flows</th><th scope="col" class="num">Bytes</th><th scope="col">Use</th></tr></thead>
        <tbody>${c.rules.map((rule) => html`<tr data-testid="policy-rule">
          <td>${rule.at}</td><td><span class="action ${rule.action}">${rule.action}</span></td>
          <td class="rule">${rule.text}${rule.comment ? html`<div class="use">${rule.comment}</div>` : nothing}</td>
          <td class="num">${rule.use === 'not-deciding' ? '–' : this.countButton(rule, 'policy-rule-count', `flows decided by ${rule.at}`)}</td>
          <td class="num">${rule.use === 'not-deciding' ? '–' : bytes(rule.bytes)}</td>
          <td class="use">${rule.use === 'not-deciding' ? rule.note : rule.use}${rule.shadowedBy ? html`, <strong>shadowed by ${rule.shadowedBy.at}</strong>${rule.shadowedBy.conflict ? ' (it can never take effect)' : ' (redundant)'}` : nothing}</td>
        </tr>`)}
        ${(['allow', 'deny'] as const).filter((a) => c.byDefault[a].flows > 0).map((a) => html`<tr data-testid="policy-rule">
          <td>default</td><td><span class="action ${a}">${a}</span></td><td class="rule muted">(no rule matched)</td>
          <td class="num">${this.countButton(c.byDefault[a], 'policy-default-count', `flows the default ${a} decided`)}</td><td class="num">${bytes(c.byDefault[a].bytes)}</td><td></td></tr>`)}
        </tbody></table></div>
      ${c.unusedRules.length ? html`<p data-testid="policy-unused"><strong>Unused rules</strong> (no flow here reached them): ${c.unusedRules.map((u) => u.at).join(', ')}</p>` : nothing}
      ${c.shadowedRules.length ? html`<div data-testid="policy-shadowed"><strong>Shadowed rules</strong> (an earlier rule matches everything they match):
        <ul class="notes">${c.shadowedRules.map((s) => html`<li><span class="mono">${s.at}: ${s.text}</span> — covered by ${s.byAt}${s.conflict ? ', with the opposite verdict: it can never take effect' : ', with the same verdict: redundant'}</li>`)}</ul></div>` : nothing}
      ${c.blockedFlows > 0 ? html`<div class="breakdowns">
        ${this.breakdown('Blocked by service', c.blocked.byService, c.blocked.services, (s) => html`<span class="mono">${s.port}/${s.proto}</span> ${s.service ?? ''}`, 'policy-by-service')}
        ${this.breakdown('Blocked by server', c.blocked.byServer, c.blocked.servers, (s) => html`<span class="mono">${s.host}</span>`, 'policy-by-server')}
        ${this.breakdown('Blocked by client', c.blocked.byClient, c.blocked.clients, (s) => html`<span class="mono">${s.host}</span>`, 'policy-by-client')}
        ${this.breakdown('Blocked by port class', c.blocked.byClass, c.blocked.byClass.length, (s) => html`<span class="badge ${s.class}">${s.class}</span>`, 'policy-by-class')}
      </div>` : nothing}
      ${this.exposure('Allowed and risky', c.riskyAllowed, c.riskyAllowedCount, 'policy-risky')}
      ${this.exposure('Allowed from any address', c.openToEverywhere, c.openToEverywhereCount, 'policy-everywhere')}
    </div>`;
  }

  override render() {
    const ready = this.session !== null && !this.busy;
    const s = this.suggested;
    return html`<section class="panel" aria-label="Firewall policy">
      <h2>Firewall policy</h2>
      <div class="grid">
        <div>
          <textarea aria-label="Rules" rows="7" spellcheck="false" placeholder=${`Paste iptables-save, nft list ruleset, security groups JSON or Porthole rules, e.g.\n${EXAMPLE}`}
            .value=${this.rules} @input=${(e: Event) => { this.rules = (e.target as HTMLTextAreaElement).value; }}></textarea>
          <div class="tools">
            <label class="button">Load rules<input type="file" aria-label="Load rules" accept=".rules,.txt,.nft,.json,.v4,.v6,text/plain,application/json" @change=${this.onLoad} /></label>
            <label>Format <select aria-label="Rules format" .value=${this.format ?? 'auto'} @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; this.format = v === 'auto' ? null : v as PolicyFormat; }}>
              <option value="auto" ?selected=${this.format === null}>detect</option>
              ${POLICY_FORMATS.map((f) => html`<option value=${f} ?selected=${this.format === f}>${FORMAT_NAMES[f]}</option>`)}</select></label>
            <label>Chain <select aria-label="Chain" @change=${(e: Event) => { this.chain = (e.target as HTMLSelectElement).value as 'auto'; }}>
              <option value="auto">INPUT (auto)</option><option value="INPUT">INPUT</option><option value="FORWARD">FORWARD</option></select></label>
            <button class="primary" @click=${this.check} ?disabled=${!ready || this.rules.trim() === ''}>Check</button>
          </div>
          ${this.problem ? this.renderProblem(this.problem) : nothing}
        </div>
        <div>
          <p class="muted" style="margin-top:0">Or start from what this capture shows: one rule per answered service, allowing the clients seen, then default deny.</p>
          <div class="tools">
            <label>Write as <select aria-label="Suggested format" @change=${(e: Event) => { this.suggestFormat = (e.target as HTMLSelectElement).value as PolicyFormat; }}>
              ${POLICY_FORMATS.map((f) => html`<option value=${f} ?selected=${this.suggestFormat === f}>${FORMAT_NAMES[f]}</option>`)}</select></label>
            <label><input type="checkbox" .checked=${this.excludeScanners} @change=${(e: Event) => { this.excludeScanners = (e.target as HTMLInputElement).checked; }} /> leave out scanners</label>
            <button @click=${this.suggest} ?disabled=${!ready}>Suggest</button>
          </div>
          ${s ? html`<div data-testid="policy-suggested">
            <div class="tools"><span class="muted">${FORMAT_NAMES[s.format]}: ${count(s.services)} service${s.services === 1 ? '' : 's'}, ${count(s.rules)} rules</span>
              <button @click=${this.copy}>Copy</button><button @click=${this.download}>Download</button>
              <button @click=${() => { this.rules = s.text; this.format = s.format; }} title="Put it in the rules box, to check or edit it">Use as rules</button>
              <span role="status" class="muted">${this.status}</span></div>
            <pre class="policy mono" aria-label="Suggested policy">${s.text}</pre></div>` : nothing}
        </div>
      </div>
      ${this.error ? html`<div class="problem" role="alert">${this.error}</div>` : nothing}
      ${this.busy ? html`<p class="muted" role="status">Working…</p>` : nothing}
      ${this.result ? this.renderResult(this.result) : nothing}
    </section>`;
  }
}
customElements.define('ph-policy', PhPolicy);
