// `porthole policy check` for people: totals, rules, what was blocked and what is exposed.
// Each number's filter is shown; breakdowns of blocked flows write the blocked flows' filter as
// BLOCKED (printed once) to stay readable. --json gives every filter in full.
import { humanBytes } from '../net/units';
import type { PolicyCheckResult } from './check-policy';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const bytes = (n: number) => (n < 10_000 ? `${n} bytes` : `${n} bytes (${humanBytes(n, 1)})`);
const pct = (n: number, of: number) => (of === 0 ? '' : ` (${((100 * n) / of).toFixed(1)}%)`);

function table(rows: string[][], right: Set<number>): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${r.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()}`);
}

export function formatCheckText(r: PolicyCheckResult, source: string): string {
  const out: string[] = [];
  const d = (x: PolicyCheckResult['defaults']['ipv4']) => (x ? `${x.action}${x.at ? ` (${x.at})` : ' (implicit)'}` : 'not covered');
  out.push(`Policy: ${r.format}, ${r.scope}; ${plural(r.rules.length, 'rule')}; default IPv4 ${d(r.defaults.ipv4)}, IPv6 ${d(r.defaults.ipv6)}`);
  out.push(`Traffic: ${source}: ${plural(r.flows, 'flow')}, ${bytes(r.bytes)}; each judged by its client's first packet`);
  for (const n of r.notes) out.push(`  note: ${n}`);
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  out.push('');
  out.push(`Allowed: ${plural(r.allowedFlows, 'flow')}${pct(r.allowedFlows, r.flows)}, ${bytes(r.allowedBytes)}`);
  out.push(`    filter: ${r.filters.allowed}`);
  out.push(`Blocked: ${plural(r.blockedFlows, 'flow')}${pct(r.blockedFlows, r.flows)}, ${bytes(r.blockedBytes)}`);
  out.push(`    filter (BLOCKED below): ${r.filters.blocked}`);
  if (r.outsideFlows) out.push(`Outside the policy: ${plural(r.outsideFlows, 'flow')}    filter: ${r.filters.outside}`);

  out.push('', 'Rules (first match decides)');
  const rows = [['where', 'action', 'flows', 'bytes', 'use', 'rule']];
  for (const x of r.rules) rows.push([x.at, x.action, `${x.flows}`, `${x.bytes}`, x.use + (x.shadowedBy ? `, shadowed by ${x.shadowedBy.at}` : ''), x.text]);
  for (const [action, c] of Object.entries(r.byDefault)) if (c.flows > 0) rows.push(['default', action, `${c.flows}`, `${c.bytes}`, 'used', '(no rule matched)']);
  out.push(...table(rows, new Set([2, 3])));
  for (const x of r.rules) if (x.flows > 0) out.push(`    ${x.at} filter: ${x.filter}`);
  for (const [action, c] of Object.entries(r.byDefault)) if (c.flows > 0) out.push(`    default ${action} filter: ${c.filter}`);
  const notDeciding = r.rules.filter((x) => x.use === 'not-deciding');
  for (const x of notDeciding) out.push(`    ${x.at}: ${x.note}`);
  if (r.shadowedRules.length) {
    out.push('', 'Shadowed rules (an earlier rule matches everything they match)');
    for (const s of r.shadowedRules) {
      out.push(`  ${s.at} (${s.text}) is covered by ${s.byAt}: ${s.conflict ? 'with the other verdict, so it can never take effect' : 'with the same verdict, so it is redundant'}`);
    }
  }
  if (r.unusedRules.length) {
    out.push('', `Rules this traffic never used: ${r.unusedRules.map((u) => u.at).join(', ')}`);
  }

  if (r.blockedFlows > 0) {
    const b = r.blocked;
    const short = (f: string) => f.replace(`(${r.filters.blocked})`, 'BLOCKED').replace(r.filters.blocked, 'BLOCKED');
    out.push('', `Blocked, by service (${b.byService.length} of ${b.services})`);
    out.push(...table([['service', 'name', 'flows', 'bytes', 'filter'], ...b.byService.map((x) => [`${x.port}/${x.proto}`, x.service ?? '-', `${x.flows}`, `${x.bytes}`, short(x.filter)])], new Set([2, 3])));
    out.push('', `Blocked, by server host (${b.byServer.length} of ${b.servers})`);
    out.push(...table([['server', 'flows', 'bytes', 'filter'], ...b.byServer.map((x) => [x.host, `${x.flows}`, `${x.bytes}`, short(x.filter)])], new Set([1, 2])));
    out.push('', `Blocked, by client (${b.byClient.length} of ${b.clients})`);
    out.push(...table([['client', 'flows', 'bytes', 'filter'], ...b.byClient.map((x) => [x.host, `${x.flows}`, `${x.bytes}`, short(x.filter)])], new Set([1, 2])));
    out.push('', 'Blocked, by port class of the server port');
    out.push(...table([['class', 'flows', 'bytes', 'filter'], ...b.byClass.map((x) => [x.class, `${x.flows}`, `${x.bytes}`, short(x.filter)])], new Set([1, 2])));
    out.push('', `Blocked flows (first ${b.flows.length} of ${r.blockedFlows})`);
    const ep = (a: string, p: number) => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
    out.push(...table([['proto', 'client', 'server', 'service', 'packets', 'bytes', 'decided by'],
      ...b.flows.map((f) => [f.proto, ep(f.client, f.clientPort), ep(f.server, f.serverPort), f.service ?? '-', `${f.packets}`, `${f.bytes}`, f.decidedBy])], new Set([4, 5])));
  }

  const exposure = (title: string, list: PolicyCheckResult['riskyAllowed'], total: number) => {
    if (total === 0) return;
    out.push('', `${title} (${list.length} of ${total})`);
    for (const e of list) {
      out.push(`  ${e.host} ${e.port}/${e.proto}${e.service ? ` (${e.service})` : ''}: ${plural(e.flows, 'flow')} from ${plural(e.clients, 'client')}, allowed by ${e.allowedBy.join(', ')}${e.fromEverywhere ? ', from any address' : ''}`);
      if (e.risk) out.push(`      [${e.risk.severity}] ${e.risk.name}: ${e.risk.why}`);
      out.push(`      filter: ${e.filter}`);
    }
  };
  exposure('Allowed and risky', r.riskyAllowed, r.riskyAllowedCount);
  exposure('Allowed from any address', r.openToEverywhere, r.openToEverywhereCount);
  return `${out.join('\n')}\n`;
}
