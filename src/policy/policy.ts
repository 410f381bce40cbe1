// A firewall policy as Porthole reads it, whatever it was written in: an ordered list of rules,
// the first that matches a connection's first packet decides, else the default of its IP
// version. Every importer produces this; every exporter reads it.
import type { Cidr } from './cidr';

export const POLICY_FORMATS = ['porthole', 'iptables', 'nft', 'aws'] as const;
export type PolicyFormat = (typeof POLICY_FORMATS)[number];

/** reject answers the client (RST / ICMP); for a verdict it blocks like deny. */
export type RuleAction = 'allow' | 'deny' | 'reject';

/** Protocol bits of a rule. */
export const PROTO = { TCP: 1, UDP: 2, OTHER: 4, ANY: 7 } as const;

export interface PortRange {
  first: number;
  last: number;
}

export interface PolicyRule {
  /** 1-based line of the rule in its text (0 for JSON input). */
  line: number;
  /** Where it is, for messages: "line 12" or a JSON path. */
  at: string;
  /** The rule as written, for showing (one line). */
  text: string;
  action: RuleAction;
  /** PROTO bits; OTHER alone (ICMP, ...) never matches a TCP/UDP flow. */
  protos: number;
  /** Only IPv4 or IPv6 packets (from the table family or the addresses), null for both. */
  family: 4 | 6 | null;
  /** Client addresses (the first packet's source); null for any. */
  src: Cidr[] | null;
  /** Server addresses (the first packet's destination); null for any. */
  dst: Cidr[] | null;
  /** Client ports; null for any. */
  sport: PortRange[] | null;
  /** Server ports; null for any. */
  dport: PortRange[] | null;
  /**
   * 'new': matches a connection's first packet (no state match, or a state set with NEW);
   * 'established': only packets of known connections (ESTABLISHED, RELATED, INVALID) — it lets the
   * replies of allowed flows through and never decides a flow.
   */
  state: 'new' | 'established';
  comment: string | null;
}

export interface DefaultPolicy {
  action: 'allow' | 'deny';
  /** Where it was set ("line 3", "chain INPUT policy"); null when implicit. */
  at: string | null;
}

export interface Policy {
  format: PolicyFormat;
  rules: PolicyRule[];
  /** Per IP version what happens to a flow no rule matches; null: the policy does not cover that version. */
  defaults: { 4: DefaultPolicy | null; 6: DefaultPolicy | null };
  /** What the rules guard, e.g. "chain INPUT" or "security groups sg-1 (any destination)". */
  scope: string;
  /** What was read but does not judge arriving flows (said, never silently dropped). */
  notes: string[];
  /** Replies of allowed flows pass (a rule for established traffic, or a stateful firewall). */
  stateful: boolean;
}

export class PolicyError extends Error {
  constructor(
    /** 1-based; 0 for JSON input. */
    readonly line: number,
    /** 1-based; 0 when not known. */
    readonly column: number,
    readonly detail: string,
    /** JSON path for JSON input. */
    readonly path: string | null = null,
  ) {
    super(path !== null ? `${path}: ${detail}` : `line ${line}, column ${column}: ${detail}`);
    this.name = 'PolicyError';
  }
}

export const isBlocking = (a: RuleAction | 'allow' | 'deny'): boolean => a !== 'allow';

/** A rule that can decide a TCP/UDP flow at all. */
export function decides(rule: PolicyRule): boolean {
  return rule.state === 'new' && (rule.protos & (PROTO.TCP | PROTO.UDP)) !== 0;
}
