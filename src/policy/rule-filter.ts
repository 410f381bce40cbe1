// Filter expressions (the filter language of src/views/filter) that select exactly the flows a
// policy's numbers count: the flows a rule decided (it matches, no earlier rule that overlaps it
// does), the flows the default decided, all blocked or allowed flows. First-match order becomes
// a nested expression of linear size: runs of allow rules are "not (...) and rest", runs of deny
// rules "(...) or rest".
import { cidrFilterWord, isHost, setsIntersect } from './cidr';
import { decides, isBlocking, PROTO, type Policy, type PolicyRule, type PortRange } from './policy';

/** An expression with constants folded away. */
export type Expr = { kind: 'true' } | { kind: 'false' } | { kind: 'text'; text: string; atomic: boolean };

export const TRUE: Expr = { kind: 'true' };
export const FALSE: Expr = { kind: 'false' };
const text = (t: string, atomic = true): Expr => ({ kind: 'text', text: t, atomic });
const paren = (e: Expr & { kind: 'text' }) => (e.atomic ? e.text : `(${e.text})`);

export function and(...parts: Expr[]): Expr {
  return andAll(parts);
}

export function or(...parts: Expr[]): Expr {
  return orAll(parts);
}

export function andAll(parts: Expr[]): Expr {
  if (parts.some((p) => p.kind === 'false')) return FALSE;
  return joined(parts.filter((p): p is Expr & { kind: 'text' } => p.kind === 'text'), 'and', TRUE);
}

export function orAll(parts: Expr[]): Expr {
  if (parts.some((p) => p.kind === 'true')) return TRUE;
  return joined(parts.filter((p): p is Expr & { kind: 'text' } => p.kind === 'text'), 'or', FALSE);
}

/** Terms joined in a balanced tree of groups of 8, so that a filter of thousands of rules parses and runs without deep recursion. */
const GROUP = 8;
function joined(t: Array<Expr & { kind: 'text' }>, op: 'and' | 'or', empty: Expr): Expr {
  if (t.length === 0) return empty;
  if (t.length === 1) return t[0]!;
  if (t.length <= GROUP) return text(t.map(paren).join(` ${op} `), false);
  const groups: Array<Expr & { kind: 'text' }> = [];
  for (let i = 0; i < t.length; i += GROUP) groups.push(joined(t.slice(i, i + GROUP), op, empty) as Expr & { kind: 'text' });
  return joined(groups, op, empty);
}

export function not(e: Expr): Expr {
  if (e.kind === 'true') return FALSE;
  if (e.kind === 'false') return TRUE;
  return text(`not ${paren(e)}`);
}

/** Filter text of an expression: TRUE selects every TCP/UDP flow, FALSE none. */
export function filterText(e: Expr): string {
  return e.kind === 'true' ? 'tcp or udp' : e.kind === 'false' ? 'tcp and udp' : e.text;
}

function portTerm(end: 'server' | 'client', ranges: PortRange[]): Expr {
  return or(...ranges.map((r) => (r.first === 0 && r.last === 65535 ? TRUE : text(r.first === r.last ? `${end} port ${r.first}` : `${end} portrange ${r.first}-${r.last}`))));
}

/** The flows a rule matches (whether or not an earlier rule decided them). */
export function ruleExpr(rule: PolicyRule): Expr {
  if (!decides(rule)) return FALSE;
  const tcp = (rule.protos & PROTO.TCP) !== 0, udp = (rule.protos & PROTO.UDP) !== 0;
  const addr = (end: 'server' | 'client', set: PolicyRule['src']) =>
    set === null ? TRUE : or(...set.filter((c) => rule.family === null || c.version === rule.family).map((c) => text(`${end} ${cidrFilterWord(c)}`)));
  return and(
    rule.family === 4 ? text('ip') : rule.family === 6 ? text('ip6') : TRUE,
    tcp && udp ? TRUE : text(tcp ? 'tcp' : 'udp'),
    rule.dport ? portTerm('server', rule.dport) : TRUE,
    rule.sport ? portTerm('client', rule.sport) : TRUE,
    addr('client', rule.src),
    addr('server', rule.dst),
  );
}

/** Could two rules match the same flow? (When not, the earlier one need not be excluded.) */
export function rulesOverlap(a: PolicyRule, b: PolicyRule): boolean {
  if ((a.protos & b.protos & (PROTO.TCP | PROTO.UDP)) === 0) return false;
  if (a.family !== null && b.family !== null && a.family !== b.family) return false;
  const ports = (x: PortRange[] | null, y: PortRange[] | null) => !x || !y || x.some((p) => y.some((q) => p.first <= q.last && q.first <= p.last));
  return ports(a.dport, b.dport) && ports(a.sport, b.sport) && setsIntersect(a.src, b.src) && setsIntersect(a.dst, b.dst);
}

/** The server hosts a rule is limited to, as keys; null when its server addresses are networks or any. */
function hostKeys(rule: PolicyRule): string[] | null {
  if (rule.dst === null || !rule.dst.every(isHost)) return null;
  return rule.dst.map((c) => `${c.version}:${c.words.join('.')}`);
}

/** Builds the expressions of one policy (rule expressions computed once). */
export class PolicyFilters {
  private readonly exprs: Expr[];
  private readonly deciding: number[];
  /** Flows of the IP versions the policy covers. */
  readonly covered: Expr;

  /** Deciding rules by the server host they are limited to; `wide` for rules with other server addresses. */
  private readonly byHost = new Map<string, number[]>();
  private readonly wide: number[] = [];

  constructor(private readonly policy: Policy) {
    this.exprs = policy.rules.map(ruleExpr);
    this.deciding = policy.rules.map((r, i) => (decides(r) ? i : -1)).filter((i) => i >= 0);
    const c4 = policy.defaults[4] !== null, c6 = policy.defaults[6] !== null;
    this.covered = c4 && c6 ? TRUE : c4 ? text('ip') : c6 ? text('ip6') : FALSE;
    for (const i of this.deciding) {
      const hosts = hostKeys(policy.rules[i]!);
      if (!hosts) this.wide.push(i);
      else for (const h of hosts) this.byHost.set(h, [...(this.byHost.get(h) ?? []), i]);
    }
  }

  /**
   * Earlier deciding rules that can match a flow rule i matches. Rules limited to server hosts
   * are only compared with rules of the same hosts and with the others, so a suggested policy
   * of thousands of per-host rules is not compared pair by pair.
   */
  private earlierOverlapping(i: number): number[] {
    const rule = this.policy.rules[i]!;
    const hosts = hostKeys(rule);
    const candidates = hosts === null ? this.deciding.filter((j) => j < i)
      : [...new Set([...this.wide, ...hosts.flatMap((h) => this.byHost.get(h) ?? [])])].filter((j) => j < i).sort((a, b) => a - b);
    return candidates.filter((j) => rulesOverlap(this.policy.rules[j]!, rule));
  }

  /** The flows rule i decided. */
  rule(i: number): Expr {
    const earlier = this.earlierOverlapping(i).map((j) => this.exprs[j]!);
    return and(this.covered, this.exprs[i]!, not(orAll(earlier)));
  }

  /** The flows no rule matched, of the covered versions whose default is `action` (any action: null). */
  defaults(action: 'allow' | 'deny' | null = null): Expr {
    return and(this.defaultVersions(action), not(orAll(this.deciding.map((j) => this.exprs[j]!))));
  }

  /** Flows of the IP versions the policy does not cover. */
  outside(): Expr {
    return not(this.covered);
  }

  blocked(): Expr {
    return this.verdict(true);
  }

  allowed(): Expr {
    return this.verdict(false);
  }

  private defaultVersions(action: 'allow' | 'deny' | null): Expr {
    const d = this.policy.defaults;
    const has = (v: 4 | 6) => d[v] !== null && (action === null || d[v]!.action === action);
    return has(4) && has(6) ? TRUE : has(4) ? text('ip') : has(6) ? text('ip6') : FALSE;
  }

  /** First match as runs: a run that gives the verdict asked is "(run) or rest", else "not (run) and rest". */
  private verdict(blocked: boolean): Expr {
    let rest = this.defaultVersions(blocked ? 'deny' : 'allow');
    const rules = this.policy.rules;
    for (let k = this.deciding.length - 1; k >= 0;) {
      const gives = isBlocking(rules[this.deciding[k]!]!.action) === blocked;
      const run: Expr[] = [];
      while (k >= 0 && (isBlocking(rules[this.deciding[k]!]!.action) === blocked) === gives) run.push(this.exprs[this.deciding[k--]!]!);
      run.reverse();
      rest = gives ? or(orAll(run), rest) : and(not(orAll(run)), rest);
    }
    return and(this.covered, rest);
  }
}
