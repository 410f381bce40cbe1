// `porthole policy check`: a policy judged against the flows of a selection. Every count comes
// with a filter expression that selects exactly the flows it counts.
import { APP } from '../net/payload-signatures';
import { PORT_CLASS_NAMES, portClass, type PortClassName } from '../net/port-class';
import { PORT_KEYS, protoOfKey } from '../net/port-key';
import { serviceLabels } from '../net/services';
import { ATTEMPT } from '../views/flow-facts';
import type { Selection } from '../views/selection';
import { coversAll } from './cidr';
import { DECIDED, evaluatePolicy, VERDICT, type PolicyDecisions } from './evaluate-policy';
import { decides, PROTO, type Policy, type PolicyRule, type RuleAction } from './policy';
import { and, filterText, or, PolicyFilters, type Expr } from './rule-filter';
import { serviceAdvice } from './service-advice';
import { shadowedRules } from './shadowing';

export interface CheckOptions {
  /** Blocked flows listed one by one (the rest are counted; their filter selects all). */
  limit: number;
  /** Entries per breakdown (services, hosts, risky, ...). */
  top: number;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = { limit: 100, top: 20 };

export interface Counted {
  flows: number;
  bytes: number;
  /** Selects exactly these flows (porthole analyze --filter, or the page's filter bar). */
  filter: string;
}

export interface RuleResult extends Counted {
  index: number;
  at: string;
  line: number;
  text: string;
  action: RuleAction;
  comment: string | null;
  /** used: decided flows; unused: decided none; not-deciding: it never judges a TCP/UDP connection's first packet. */
  use: 'used' | 'unused' | 'not-deciding';
  /** Why a rule does not decide flows. */
  note: string | null;
  shadowedBy: { index: number; at: string; conflict: boolean } | null;
}

export interface BlockedFlow {
  proto: 'tcp' | 'udp';
  client: string;
  clientPort: number;
  server: string;
  serverPort: number;
  service: string | null;
  packets: number;
  bytes: number;
  start: number | null;
  /** "line 12" etc., or "default". */
  decidedBy: string;
}

export interface ExposureEntry extends Counted {
  host: string;
  proto: 'tcp' | 'udp';
  port: number;
  service: string | null;
  clients: number;
  /** Allowed by a rule (or the default) that accepts any client address. */
  fromEverywhere: boolean;
  /** The rules that allowed these flows ("line 4", "default"). */
  allowedBy: string[];
  risk: { name: string; why: string; severity: string; admin: boolean } | null;
}

export interface PolicyCheckResult {
  format: Policy['format'];
  scope: string;
  notes: string[];
  warnings: string[];
  defaults: { ipv4: Policy['defaults'][4]; ipv6: Policy['defaults'][6] };
  flows: number;
  bytes: number;
  allowedFlows: number;
  allowedBytes: number;
  blockedFlows: number;
  blockedBytes: number;
  /** Flows of an IP version the policy does not cover (neither allowed nor blocked). */
  outsideFlows: number;
  filters: { allowed: string; blocked: string; outside: string };
  rules: RuleResult[];
  /** Flows no rule matched, per default action. */
  byDefault: { allow: Counted; deny: Counted };
  unusedRules: Array<{ index: number; at: string; text: string }>;
  shadowedRules: Array<{ index: number; at: string; text: string; by: number; byAt: string; conflict: boolean }>;
  blocked: {
    byService: Array<Counted & { proto: 'tcp' | 'udp'; port: number; service: string | null }>;
    byServer: Array<Counted & { host: string }>;
    byClient: Array<Counted & { host: string }>;
    byClass: Array<Counted & { class: PortClassName }>;
    /** The first `limit` blocked flows in natural order. */
    flows: BlockedFlow[];
    /** Distinct services, servers and clients blocked (the lists above are the top ones). */
    services: number;
    servers: number;
    clients: number;
  };
  /** Allowed, answered services that look risky (clear text, administration, databases, ...). */
  riskyAllowed: ExposureEntry[];
  /** Allowed, answered services reachable from any address. */
  openToEverywhere: ExposureEntry[];
  /** How many of each there are (the lists hold the top ones). */
  riskyAllowedCount: number;
  openToEverywhereCount: number;
}

export function checkPolicy(policy: Policy, sel: Selection, options: CheckOptions = DEFAULT_CHECK_OPTIONS): PolicyCheckResult {
  const facts = sel.facts;
  const t = facts.state.flows;
  const rows = sel.rows;
  const decisions = evaluatePolicy(policy, facts, rows);
  const { decidedBy, verdict } = decisions;
  const filters = new PolicyFilters(policy);
  const f = (e: Expr) => filterText(e);
  const blockedExpr = filters.blocked(), allowedExpr = filters.allowed();
  const book = facts.addresses;
  const labels = serviceLabels();

  const nRules = policy.rules.length;
  const ruleFlows = new Float64Array(nRules), ruleBytes = new Float64Array(nRules);
  const dflt = { allow: { flows: 0, bytes: 0 }, deny: { flows: 0, bytes: 0 } };
  const keyFlows = new Float64Array(PORT_KEYS), keyBytes = new Float64Array(PORT_KEYS);
  const serverFlows = new Float64Array(book.size), serverBytes = new Float64Array(book.size);
  const clientFlows = new Float64Array(book.size), clientBytes = new Float64Array(book.size);
  const classFlows = [0, 0, 0], classBytes = [0, 0, 0];
  let allowedFlows = 0, allowedBytes = 0, blockedFlows = 0, blockedBytes = 0, outsideFlows = 0, totalBytes = 0;
  const listed: BlockedFlow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const bytes = t.bytesAB(r) + t.bytesBA(r);
    totalBytes += bytes;
    const by = decidedBy[r]!;
    if (by === DECIDED.OUTSIDE) {
      outsideFlows++;
      continue;
    }
    if (by >= 0) {
      ruleFlows[by]++;
      ruleBytes[by] += bytes;
    } else {
      const d = (facts.ipVersion[r] === 4 ? policy.defaults[4] : policy.defaults[6])!.action;
      dflt[d].flows++;
      dflt[d].bytes += bytes;
    }
    if (verdict[r] === VERDICT.ALLOWED) {
      allowedFlows++;
      allowedBytes += bytes;
      continue;
    }
    blockedFlows++;
    blockedBytes += bytes;
    const k = facts.serverKey(r);
    keyFlows[k]++;
    keyBytes[k] += bytes;
    const s = facts.serverAddr(r), c = facts.clientAddr(r);
    serverFlows[s]++;
    serverBytes[s] += bytes;
    clientFlows[c]++;
    clientBytes[c] += bytes;
    const cls = portClass(facts.serverPort(r));
    classFlows[cls]++;
    classBytes[cls] += bytes;
    if (listed.length < options.limit) {
      listed.push({
        proto: facts.l4[r] === 6 ? 'tcp' : 'udp', client: book.text(c), clientPort: facts.clientPort(r), server: book.text(s), serverPort: facts.serverPort(r),
        service: labels[k]?.name ?? null, packets: t.packetsAB(r) + t.packetsBA(r), bytes,
        start: Number.isFinite(t.firstTs(r)) ? t.firstTs(r) : null, decidedBy: by >= 0 ? policy.rules[by]!.at : 'default',
      });
    }
  }

  const shadows = shadowedRules(policy);
  const shadowOf = new Map(shadows.map((s) => [s.rule, s]));
  const rules: RuleResult[] = policy.rules.map((rule, i) => {
    const sh = shadowOf.get(i);
    const deciding = decides(rule);
    return {
      index: i, at: rule.at, line: rule.line, text: rule.text, action: rule.action, comment: rule.comment,
      flows: ruleFlows[i]!, bytes: ruleBytes[i]!, filter: f(filters.rule(i)),
      use: !deciding ? 'not-deciding' : ruleFlows[i]! > 0 ? 'used' : 'unused',
      note: deciding ? null : notDecidingWhy(rule),
      shadowedBy: sh ? { index: sh.by, at: policy.rules[sh.by]!.at, conflict: sh.conflict } : null,
    };
  });

  const top = <T>(ids: number[], flows: Float64Array | number[], make: (id: number) => T) =>
    ids.filter((id) => flows[id]! > 0).sort((a, b) => flows[b]! - flows[a]! || a - b).slice(0, options.top).map(make);
  const keys = Array.from({ length: PORT_KEYS }, (_, k) => k);
  const ids = Array.from({ length: book.size }, (_, id) => id);
  const countNonZero = (a: Float64Array) => a.reduce((n, x) => n + (x > 0 ? 1 : 0), 0);
  const within = (extra: string) => f(and(blockedExpr, { kind: 'text', text: extra, atomic: false }));

  const exposure = exposureEntries(policy, sel, decisions, allowedExpr);
  const warnings: string[] = [];
  if (outsideFlows > 0) {
    const v = policy.defaults[4] === null ? 6 : 4;
    warnings.push(`${outsideFlows} flow${outsideFlows === 1 ? ' is' : 's are'} IPv${v === 4 ? 6 : 4}, which this policy does not cover (it covers IPv${v} only): neither allowed nor blocked`);
  }
  if (!policy.stateful && (policy.defaults[4]?.action === 'deny' || policy.defaults[6]?.action === 'deny')) {
    warnings.push('no rule allows established/related traffic: on a stateless firewall the replies of allowed connections, and of connections this host opens, would be dropped');
  }
  for (const s of shadows) if (s.conflict) warnings.push(`${policy.rules[s.rule]!.at} can never take effect: ${policy.rules[s.by]!.at} ${policy.rules[s.by]!.action === 'allow' ? 'allows' : 'blocks'} everything it matches`);

  return {
    format: policy.format, scope: policy.scope, notes: policy.notes, warnings,
    defaults: { ipv4: policy.defaults[4], ipv6: policy.defaults[6] },
    flows: rows.length, bytes: totalBytes, allowedFlows, allowedBytes, blockedFlows, blockedBytes, outsideFlows,
    filters: { allowed: f(allowedExpr), blocked: f(blockedExpr), outside: f(filters.outside()) },
    rules,
    byDefault: {
      allow: { ...dflt.allow, filter: f(filters.defaults('allow')) },
      deny: { ...dflt.deny, filter: f(filters.defaults('deny')) },
    },
    unusedRules: rules.filter((r) => r.use === 'unused').map((r) => ({ index: r.index, at: r.at, text: r.text })),
    shadowedRules: shadows.map((s) => ({ index: s.rule, at: policy.rules[s.rule]!.at, text: policy.rules[s.rule]!.text, by: s.by, byAt: policy.rules[s.by]!.at, conflict: s.conflict })),
    blocked: {
      byService: top(keys, keyFlows, (k) => ({
        proto: protoOfKey(k), port: k & 0xffff, service: labels[k]?.name ?? null, flows: keyFlows[k]!, bytes: keyBytes[k]!,
        filter: within(`${protoOfKey(k)} and server port ${k & 0xffff}`),
      })),
      byServer: top(ids, serverFlows, (id) => ({ host: book.text(id), flows: serverFlows[id]!, bytes: serverBytes[id]!, filter: within(`server host ${book.text(id)}`) })),
      byClient: top(ids, clientFlows, (id) => ({ host: book.text(id), flows: clientFlows[id]!, bytes: clientBytes[id]!, filter: within(`client host ${book.text(id)}`) })),
      byClass: [0, 1, 2].filter((c) => classFlows[c]! > 0).map((c) => ({
        class: PORT_CLASS_NAMES[c]!, flows: classFlows[c]!, bytes: classBytes[c]!,
        filter: within(`server portrange ${['0-1023', '1024-49151', '49152-65535'][c]}`),
      })),
      flows: listed,
      services: countNonZero(keyFlows), servers: countNonZero(serverFlows), clients: countNonZero(clientFlows),
    },
    riskyAllowed: exposure.risky.slice(0, options.top),
    openToEverywhere: exposure.everywhere.slice(0, options.top),
    riskyAllowedCount: exposure.risky.length,
    openToEverywhereCount: exposure.everywhere.length,
  };
}

function notDecidingWhy(rule: PolicyRule): string {
  if (rule.state === 'established') return 'matches only packets of known connections (established/related): it lets replies through, it never decides a new flow';
  if ((rule.protos & (PROTO.TCP | PROTO.UDP)) === 0) return 'not about TCP or UDP (e.g. ICMP): flows here are TCP and UDP conversations';
  return 'never decides a flow';
}

/** Answered services (server host and port) with allowed flows: the risky ones and those open to everyone. */
function exposureEntries(policy: Policy, sel: Selection, d: PolicyDecisions, allowedExpr: Expr): { risky: ExposureEntry[]; everywhere: ExposureEntry[] } {
  const facts = sel.facts;
  const t = facts.state.flows;
  const groups = sel.groups();
  const advice = serviceAdvice();
  const labels = serviceLabels();
  const risky: ExposureEntry[] = [];
  const everywhere: ExposureEntry[] = [];
  for (let g = 0; g < groups.size; g++) {
    if (groups.state[g] !== ATTEMPT.OPEN) continue;
    let flows = 0, bytes = 0, clearText = 0, anywhere = false;
    const by = new Set<number>();
    const clients = new Set<number>();
    for (let i = groups.start[g]!; i < groups.start[g + 1]!; i++) {
      const r = groups.members[i]!;
      if (d.verdict[r] !== VERDICT.ALLOWED) continue;
      flows++;
      bytes += t.bytesAB(r) + t.bytesBA(r);
      clients.add(facts.clientAddr(r));
      if (facts.app[r] !== APP.TLS) clearText++;
      const rule = d.decidedBy[r]!;
      by.add(rule);
      const v = facts.ipVersion[r] === 4 ? 4 : 6;
      if (rule < 0 || coversAll(policy.rules[rule]!.src, v)) anywhere = true;
    }
    if (flows === 0) continue;
    const k = groups.portKey[g]!;
    const proto = protoOfKey(k), port = k & 0xffff, host = facts.addresses.text(groups.host[g]!);
    const a = advice[k];
    // Risky-list services unless all TLS (not clear text, as port intelligence judges it);
    // administration when anyone may reach it.
    const risk = a && ((a.risky && clearText > 0) || (a.admin && anywhere)) ? { name: a.name, why: a.why, severity: a.severity, admin: a.admin } : null;
    if (!risk && !anywhere) continue;
    const entry: ExposureEntry = {
      host, proto, port, service: labels[k]?.name ?? null, clients: clients.size, fromEverywhere: anywhere, flows, bytes,
      allowedBy: [...by].sort((x, y) => x - y).map((x) => (x < 0 ? 'default' : policy.rules[x]!.at)),
      risk,
      filter: filterText(and(allowedExpr, or({ kind: 'text', text: `server host ${host} and ${proto} and server port ${port}`, atomic: false }))),
    };
    if (risk) risky.push(entry);
    if (anywhere) everywhere.push(entry);
  }
  const order = (a: ExposureEntry, b: ExposureEntry) => b.flows - a.flows || a.host.localeCompare(b.host) || a.port - b.port;
  return { risky: risky.sort(order), everywhere: everywhere.sort(order) };
}
