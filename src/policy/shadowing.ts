// Shadowed rules: a rule that can never decide a flow because an earlier rule matches every
// flow it matches. Decided per rule by set containment of IP versions, protocols, server and
// client ports, client and server addresses — whatever the traffic was.
import { everything, setContains, type Cidr } from './cidr';
import { decides, isBlocking, PROTO, type Policy, type PolicyRule, type PortRange } from './policy';

export interface Shadowing {
  /** Index of the shadowed rule. */
  rule: number;
  /** Index of the earliest rule that covers it. */
  by: number;
  /** The covering rule gives the other verdict: the shadowed rule's intent is lost. */
  conflict: boolean;
}

/** Each rule's addresses restricted to the versions it can match, with "any" made explicit. */
function addresses(rule: PolicyRule, set: Cidr[] | null): Cidr[] {
  const versions: Array<4 | 6> = rule.family ? [rule.family] : [4, 6];
  return set === null ? versions.map(everything) : set.filter((c) => versions.includes(c.version));
}

/** Does every port of `inner` fall in `outer` (null: all ports)? */
function portsContain(outer: PortRange[] | null, inner: PortRange[] | null): boolean {
  if (outer === null) return true;
  const want = inner ?? [{ first: 0, last: 65535 }];
  const merged = [...outer].sort((a, b) => a.first - b.first).reduce<PortRange[]>((acc, r) => {
    const last = acc[acc.length - 1];
    if (last && r.first <= last.last + 1) last.last = Math.max(last.last, r.last);
    else acc.push({ ...r });
    return acc;
  }, []);
  return want.every((w) => merged.some((m) => m.first <= w.first && w.last <= m.last));
}

/** Does rule `a` match every flow rule `b` matches? */
export function covers(a: PolicyRule, b: PolicyRule): boolean {
  const l4 = PROTO.TCP | PROTO.UDP;
  if (((b.protos & l4) & ~a.protos) !== 0) return false;
  if (a.family !== null && b.family !== a.family) {
    // b of both versions is covered only when its addresses are all of a's version.
    const bv = new Set([...addresses(b, b.src), ...addresses(b, b.dst)].map((c) => c.version));
    if (bv.size !== 1 || !bv.has(a.family)) return false;
  }
  return portsContain(a.dport, b.dport) && portsContain(a.sport, b.sport)
    && setContains(addresses(a, a.src), addresses(b, b.src)) && setContains(addresses(a, a.dst), addresses(b, b.dst));
}

export function shadowedRules(policy: Policy): Shadowing[] {
  const out: Shadowing[] = [];
  const rules = policy.rules;
  for (let j = 0; j < rules.length; j++) {
    if (!decides(rules[j]!)) continue;
    for (let i = 0; i < j; i++) {
      if (!decides(rules[i]!) || !covers(rules[i]!, rules[j]!)) continue;
      out.push({ rule: j, by: i, conflict: isBlocking(rules[i]!.action) !== isBlocking(rules[j]!.action) });
      break;
    }
  }
  return out;
}
