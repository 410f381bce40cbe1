import { APP_NAMES } from '../../net/payload-signatures';
import type { Finding } from '../../schema/report';
import { serviceFor } from '../../net/services';
import { VERDICT, type FlowFacts } from '../flow-facts';

/** The payload says another protocol than the port's service (e.g. SSH on port 443). */
export function unexpectedProtocols(facts: FlowFacts, rows: Uint32Array): Finding[] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (facts.verdict[r] !== VERDICT.DIFFERENT) continue;
    const k = facts.serverKey(r) * 16 + facts.app[r]!;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  const book = facts.addresses;
  const payloads = facts.state.payloads;
  return [...groups.values()].map((g) => {
    const f = g[0]!;
    const proto = facts.l4[f] === 6 ? 'tcp' : 'udp';
    const port = facts.serverPort(f);
    const app = APP_NAMES[facts.app[f]!]!.toUpperCase();
    const servers = [...new Set(g.map((r) => facts.serverAddr(r)))].map((id) => book.text(id));
    const names = [...new Set(g.map((r) => payloads.name(r)).filter((x): x is string => !!x))].slice(0, 20);
    return {
      kind: 'unexpected-protocol' as const, severity: 'medium' as const,
      title: `${app} on ${proto} port ${port} (expected ${serviceFor(proto, port)?.name ?? 'its registered service'})`,
      why: `The first payload bytes are ${app}, not what port ${port} is registered for: a tunnel, a misconfiguration or a service hiding behind a trusted port.`,
      hosts: servers.slice(0, 50), flows: g.length,
      filter: `${proto} and server port ${port} and payload ${APP_NAMES[facts.app[f]!]}`,
      details: { servers: servers.slice(0, 100), names },
    };
  });
}
