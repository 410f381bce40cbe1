// `porthole policy suggest`: a least-privilege allowlist from what a capture shows was served.
// One rule per answered service (server host, protocol, port) allowing the clients seen,
// aggregated into address blocks, then established/related traffic, then default deny.
import { protoOfKey } from '../net/port-key';
import { serviceLabels } from '../net/services';
import { ATTEMPT } from '../views/flow-facts';
import type { Selection } from '../views/selection';
import { aggregate, cidrText, hostCidr, type AggregateOptions, type Cidr } from './cidr';
import { PROTO, type Policy, type PolicyRule } from './policy';
import { serviceAdvice } from './service-advice';

export interface SuggestOptions extends AggregateOptions {
  /** Leave out clients that port-scan findings name as scanners. */
  excludeScanners: boolean;
}

export const DEFAULT_SUGGEST_OPTIONS: SuggestOptions = { prefix4: 32, prefix6: 128, widen: false, excludeScanners: false };

export interface SuggestedService {
  host: string;
  proto: 'tcp' | 'udp';
  port: number;
  service: string | null;
  flows: number;
  clients: number;
  /** The client blocks the rule allows. */
  from: string[];
  firstSeen: number | null;
  /** Why this service deserves a closer look. */
  risk: { name: string; why: string; severity: string; admin: boolean } | null;
  /** Clients that port-scan findings name as scanners. */
  scanners: string[];
  /** Index of its rule in the policy, or null when left out (only scanners were its clients). */
  rule: number | null;
}

export interface Suggestion {
  policy: Policy;
  services: SuggestedService[];
}

export function suggestPolicy(sel: Selection, options: SuggestOptions = DEFAULT_SUGGEST_OPTIONS): Suggestion {
  const facts = sel.facts;
  const book = facts.addresses;
  const groups = sel.groups();
  const order = sel.exposureOrder();
  const labels = serviceLabels();
  const advice = serviceAdvice();
  const scannerIds = new Set<string>();
  for (const f of sel.findings()) if (f.kind === 'port-scan' && typeof f.details.scanner === 'string') scannerIds.add(f.details.scanner);

  const rules: PolicyRule[] = [{
    line: 0, at: 'rule 1', text: 'allow established', action: 'allow', protos: PROTO.ANY, family: null,
    src: null, dst: null, sport: null, dport: null, state: 'established',
    comment: 'replies of allowed connections (and of connections the servers open)',
  }];
  const services: SuggestedService[] = [];
  for (let o = 0; o < order.length; o++) {
    const g = order[o]!;
    if (groups.state[g] !== ATTEMPT.OPEN) continue;
    const seen = new Set<number>();
    const scanners: string[] = [];
    const kept: Cidr[] = [];
    for (let i = groups.start[g]!; i < groups.start[g + 1]!; i++) {
      const c = facts.clientAddr(groups.members[i]!);
      if (seen.has(c)) continue;
      seen.add(c);
      const isScanner = scannerIds.has(book.text(c));
      if (isScanner) scanners.push(book.text(c));
      if (!(isScanner && options.excludeScanners)) kept.push(hostCidr(book, c));
    }
    const k = groups.portKey[g]!;
    const proto = protoOfKey(k), port = k & 0xffff;
    const host = book.text(groups.host[g]!);
    const a = advice[k];
    const from = aggregate(kept, options);
    const risk = a ? { name: a.name, why: a.why, severity: a.severity, admin: a.admin } : null;
    const entry: SuggestedService = {
      host, proto, port, service: labels[k]?.name ?? null, flows: groups.flows[g]!, clients: seen.size, from: from.map(cidrText),
      firstSeen: Number.isFinite(groups.firstSeen[g]!) ? groups.firstSeen[g]! : null, risk, scanners, rule: null,
    };
    services.push(entry);
    if (from.length === 0) continue;
    const notes = [`${entry.flows} flow${entry.flows === 1 ? '' : 's'} from ${entry.clients} client${entry.clients === 1 ? '' : 's'}`];
    if (entry.service) notes.push(entry.service);
    if (risk) notes.push(`RISK ${risk.name}${risk.admin ? ": allow only the administrators' addresses" : ''}`);
    if (scanners.length) notes.push(`includes the scanner${scanners.length > 1 ? 's' : ''} ${scanners.join(', ')} (port-scan finding)`);
    entry.rule = rules.length;
    rules.push({
      line: 0, at: `rule ${rules.length + 1}`, text: `allow ${proto} ${port} from ${entry.from.join(',')} to ${host}`,
      action: 'allow', protos: proto === 'tcp' ? PROTO.TCP : PROTO.UDP, family: null,
      src: from, dst: [hostCidr(book, groups.host[g]!)], sport: null, dport: [{ first: port, last: port }], state: 'new',
      comment: notes.join('; '),
    });
  }
  const deny = { action: 'deny' as const, at: 'suggested' };
  return {
    policy: { format: 'porthole', rules, defaults: { 4: deny, 6: deny }, scope: 'suggested from the capture', notes: [], stateful: true },
    services,
  };
}
