import { PORT_KEYS } from '../net/port-key';
import type { FlowFacts } from '../views/flow-facts';
import { membership, type Cidr } from './cidr';
import { decides, isBlocking, PROTO, type Policy, type PolicyRule } from './policy';

/** What decided a flow, besides a rule index (>= 0). */
export const DECIDED = {
  /** No rule matched: the default of the flow's IP version. */
  DEFAULT: -1,
  /** The policy does not cover the flow's IP version (e.g. an iptables-save of IPv4 and an IPv6 flow). */
  OUTSIDE: -2,
  /** The row is not in the evaluated selection. */
  NOT_EVALUATED: -3,
} as const;

/** Verdicts per flow row. */
export const VERDICT = { NONE: 0, ALLOWED: 1, BLOCKED: 2 } as const;

export interface PolicyDecisions {
  /** Per flow row of the facts: the index of the rule that decided it, or a DECIDED value. */
  decidedBy: Int32Array;
  /** Per flow row: a VERDICT value. */
  verdict: Uint8Array;
}

/**
 * Judge every flow of `rows` by the first packet its client sent (client address and port to
 * server address and port, as the server decision oriented it): the first rule that matches
 * decides, else the default of the flow's IP version. Rules are compiled once: each port key
 * (protocol and server port) maps to the few rules that can match it, address blocks become
 * lookup tables over the view's interned addresses, so a flow costs a few array reads per
 * candidate rule.
 */
export function evaluatePolicy(policy: Policy, facts: FlowFacts, rows: Uint32Array): PolicyDecisions {
  const compiled = compilePolicy(policy, facts);
  const decidedBy = new Int32Array(facts.size).fill(DECIDED.NOT_EVALUATED);
  const verdict = new Uint8Array(facts.size);
  const { ipVersion, l4, serverIsA, portA, portB, addrA, addrB } = facts;
  const { intervalOf, candidates, family, src, dst, sport, blocking } = compiled;
  const default4 = policy.defaults[4], default6 = policy.defaults[6];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const v = ipVersion[r]!;
    const dflt = v === 4 ? default4 : default6;
    if (dflt === null) {
      decidedBy[r] = DECIDED.OUTSIDE;
      continue;
    }
    const sA = serverIsA[r] === 1;
    const serverPort = sA ? portA[r]! : portB[r]!;
    const clientPort = sA ? portB[r]! : portA[r]!;
    const server = sA ? addrA[r]! : addrB[r]!;
    const client = sA ? addrB[r]! : addrA[r]!;
    const cands = candidates[intervalOf[(l4[r] === 17 ? 65536 : 0) + serverPort]!]!;
    let by: number = DECIDED.DEFAULT;
    for (let c = 0; c < cands.length; c++) {
      const j = cands[c]!;
      const f = family[j]!;
      if (f !== 0 && f !== v) continue;
      const s = src[j];
      if (s && s[client] !== 1) continue;
      const d = dst[j];
      if (d && d[server] !== 1) continue;
      const sp = sport[j];
      if (sp && !inRanges(sp, clientPort)) continue;
      by = j;
      break;
    }
    decidedBy[r] = by;
    verdict[r] = (by >= 0 ? blocking[by] === 1 : dflt.action === 'deny') ? VERDICT.BLOCKED : VERDICT.ALLOWED;
  }
  return { decidedBy, verdict };
}

function inRanges(flat: Int32Array, port: number): boolean {
  for (let i = 0; i < flat.length; i += 2) if (port >= flat[i]! && port <= flat[i + 1]!) return true;
  return false;
}

interface CompiledPolicy {
  /** Port key → interval of port keys with the same candidate rules. */
  intervalOf: Uint32Array;
  /** Per interval: indices of the rules that can match it, in rule order. */
  candidates: Int32Array[];
  family: Uint8Array;
  src: Array<Uint8Array | null>;
  dst: Array<Uint8Array | null>;
  /** Client port ranges, flat [first, last, ...]. */
  sport: Array<Int32Array | null>;
  blocking: Uint8Array;
}

/** Port keys [from, to) a rule's protocol and server ports cover. */
export function keyRanges(rule: PolicyRule): Array<[number, number]> {
  if (!decides(rule)) return [];
  const ports = rule.dport ?? [{ first: 0, last: 65535 }];
  const out: Array<[number, number]> = [];
  if (rule.protos & PROTO.TCP) for (const p of ports) out.push([p.first, p.last + 1]);
  if (rule.protos & PROTO.UDP) for (const p of ports) out.push([65536 + p.first, 65536 + p.last + 1]);
  return out;
}

function compilePolicy(policy: Policy, facts: FlowFacts): CompiledPolicy {
  const rules = policy.rules;
  const ranges = rules.map(keyRanges);
  const cuts = new Set<number>([0, PORT_KEYS]);
  for (const rs of ranges) for (const [a, b] of rs) { cuts.add(a); cuts.add(b); }
  const bounds = [...cuts].sort((a, b) => a - b);
  const intervalOf = new Uint32Array(PORT_KEYS);
  const candidates: Int32Array[] = [];
  const shared = new Map<string, Int32Array>();
  const intervals = bounds.length - 1;
  const index = new Map<number, number>();
  bounds.forEach((b, i) => index.set(b, i));
  // Each rule joins the lists of the intervals it covers (in rule order), so the work is the
  // sum of what the rules cover, not rules x intervals.
  const lists: number[][] = Array.from({ length: intervals }, () => []);
  ranges.forEach((rs, j) => {
    for (const [a, b] of rs) for (let i = index.get(a)!; i < index.get(b)!; i++) if (lists[i]!.at(-1) !== j) lists[i]!.push(j);
  });
  for (let i = 0; i < intervals; i++) {
    intervalOf.fill(i, bounds[i]!, bounds[i + 1]!);
    const key = lists[i]!.join(',');
    let arr = shared.get(key);
    if (!arr) shared.set(key, (arr = Int32Array.from(lists[i]!)));
    candidates.push(arr);
  }
  // Address tables: one per distinct block list (rules often share them).
  const tables = new Map<string, Uint8Array>();
  const table = (set: Cidr[] | null): Uint8Array | null => {
    if (set === null) return null;
    const key = set.map((c) => `${c.version}:${c.words.join('.')}/${c.prefix}`).join(',');
    let t = tables.get(key);
    if (!t) tables.set(key, (t = membership(facts.addresses, set)));
    return t;
  };
  return {
    intervalOf, candidates,
    family: Uint8Array.from(rules, (r) => r.family ?? 0),
    src: rules.map((r) => table(r.src)),
    dst: rules.map((r) => table(r.dst)),
    sport: rules.map((r) => (r.sport ? Int32Array.from(r.sport.flatMap((p) => [p.first, p.last])) : null)),
    blocking: Uint8Array.from(rules, (r) => (isBlocking(r.action) ? 1 : 0)),
  };
}
