import { HANDSHAKE } from '../flow-table';
import type { FlowRecord } from '../report-types';

/** How a server port answered a flow's attempt. */
export type AttemptState = 'open' | 'refused' | 'unanswered';

/**
 * TCP: SYN answered by SYN+ACK (or traffic back without a handshake seen) is open, a RST
 * without SYN+ACK is refused, silence is unanswered. UDP: any answer from the port is open,
 * an ICMP port unreachable for it is refused.
 */
export function attemptState(f: FlowRecord): AttemptState {
  const serverIsA = f.server === 'a';
  const fromServer = serverIsA ? f.packetsAB : f.packetsBA;
  if (f.proto === 'udp') {
    if (fromServer > 0) return 'open';
    return f.handshake & (serverIsA ? HANDSHAKE.A_UNREACH : HANDSHAKE.B_UNREACH) ? 'refused' : 'unanswered';
  }
  const synAck = (f.handshake & (serverIsA ? HANDSHAKE.A_SYNACK : HANDSHAKE.B_SYNACK)) !== 0;
  const rst = (f.handshake & (serverIsA ? HANDSHAKE.A_RST : HANDSHAKE.B_RST)) !== 0;
  if (synAck) return 'open';
  if (rst) return 'refused';
  return fromServer > 0 ? 'open' : 'unanswered';
}

export interface ExposedService {
  host: string;
  proto: 'tcp' | 'udp';
  port: number;
  service: string | null;
  class: FlowRecord['class'];
  /** open if any attempt was accepted; refused if refused and never accepted; else unanswered. */
  state: AttemptState;
  flows: number;
  packets: number;
  bytes: number;
  /** Distinct clients, and up to 20 of them. */
  clients: number;
  clientList: string[];
  firstSeen: number;
  lastSeen: number;
  /** What the payload showed on this port, when recognized (e.g. "tls", "ssh"). */
  apps: string[];
}

/** Per host and server port: accepted, refused or unanswered, with the clients that used it. */
export function exposedServices(flows: FlowRecord[]): ExposedService[] {
  const byKey = new Map<string, ExposedService & { clientSet: Set<string>; appSet: Set<string> }>();
  // Clients are counted exactly but listed only up to 20, so sets stay small per service.
  const rank = { open: 2, refused: 1, unanswered: 0 } as const;
  for (const f of flows) {
    const host = f.server === 'a' ? f.a : f.b;
    const client = f.server === 'a' ? f.b : f.a;
    const key = `${host} ${f.proto} ${f.serverPort}`;
    let e = byKey.get(key);
    if (!e) {
      e = { host, proto: f.proto, port: f.serverPort, service: f.service, class: f.class, state: 'unanswered', flows: 0, packets: 0, bytes: 0,
        clients: 0, clientList: [], firstSeen: f.start, lastSeen: f.end, apps: [], clientSet: new Set(), appSet: new Set() };
      byKey.set(key, e);
    }
    const st = attemptState(f);
    if (rank[st] > rank[e.state]) e.state = st;
    e.flows++;
    e.packets += f.packets;
    e.bytes += f.bytes;
    e.clientSet.add(client);
    if (f.app) e.appSet.add(f.app);
    e.firstSeen = Math.min(e.firstSeen, f.start);
    e.lastSeen = Math.max(e.lastSeen, f.end);
  }
  return [...byKey.values()].map(({ clientSet, appSet, ...e }) => ({
    ...e, clients: clientSet.size, clientList: [...clientSet].slice(0, 20), apps: [...appSet].sort(),
  })).sort((x, y) => (x.host < y.host ? -1 : x.host > y.host ? 1 : 0) || (x.proto < y.proto ? -1 : x.proto > y.proto ? 1 : 0) || x.port - y.port);
}
