// Rows as objects with text, made only for the rows someone looks at or exports.
import { APP_NAMES, type AppName } from '../net/payload-signatures';
import { ephemeralRangesOf, portClassName } from '../net/port-class';
import { protoOfKey } from '../net/port-key';
import { protoLongName } from '../net/protocols';
import { serviceLabels } from '../net/services';
import type { ExposedService, FlowRecord, HostRecord, IpConversation, PortRecord } from '../schema/report';
import { FLOW_KEY, swapHandshake } from '../tap/flow-table';
import { formatAddress } from '../net/address';
import type { AnalysisState } from '../tap/analysis-state';
import type { AddressBook } from './address-book';
import { ATTEMPT_STATES, ROLE_RULES, VERDICTS, type FlowFacts } from './flow-facts';
import type { HostTotals } from './host-totals';
import type { PortTotals } from './port-totals';
import type { ServiceGroups } from './service-groups';
import type { Selection } from './selection';
import { tunnelName } from './tunnels';

const time = (t: number): number | null => (Number.isFinite(t) ? t : null);

/** One flow, oriented like tshark: `a` sent the first packet. */
export function flowRecord(facts: FlowFacts, r: number): FlowRecord {
  const t = facts.state.flows;
  const book = facts.addresses;
  const fromA = t.firstFromA(r) === 1;
  const tcp = facts.l4[r] === 6;
  const proto = tcp ? 'tcp' : 'udp';
  const ka = book.text(facts.addrA[r]!), kb = book.text(facts.addrB[r]!);
  const pa = facts.portA[r]!, pb = facts.portB[r]!;
  const pAB = t.packetsAB(r), bAB = t.bytesAB(r), pBA = t.packetsBA(r), bBA = t.bytesBA(r);
  const fAB = tcp ? t.tcpFlagsAB(r) : null, fBA = tcp ? t.tcpFlagsBA(r) : null;
  const hs = facts.handshake[r]!;
  const serverIsA = facts.serverIsA[r] === 1;
  const serverPort = serverIsA ? pa : pb, clientPort = serverIsA ? pb : pa;
  const label = serviceLabels()[facts.serverKey(r)] ?? null;
  const app = facts.app[r]!;
  const start = t.firstTs(r), end = t.lastTs(r);
  const record: FlowRecord = {
    proto, ipVersion: facts.ipVersion[r] === 4 ? 4 : 6,
    a: fromA ? ka : kb, aPort: fromA ? pa : pb, b: fromA ? kb : ka, bPort: fromA ? pb : pa,
    packetsAB: fromA ? pAB : pBA, bytesAB: fromA ? bAB : bBA, packetsBA: fromA ? pBA : pAB, bytesBA: fromA ? bBA : bAB,
    packets: pAB + pBA, bytes: bAB + bBA,
    firstPacket: t.firstFrame(r), lastPacket: t.lastFrame(r),
    start: time(start), end: time(end), duration: Number.isFinite(end - start) ? end - start : 0,
    tcpFlagsAB: fromA ? fAB : fBA, tcpFlagsBA: fromA ? fBA : fAB,
    handshake: fromA ? hs : swapHandshake(hs),
    app: app ? (APP_NAMES[app] as AppName) : null,
    appName: app ? facts.state.payloads.name(r) : null,
    server: serverIsA === fromA ? 'a' : 'b',
    serverPort, clientPort,
    role: ROLE_RULES[facts.role[r]!]!,
    service: label?.name ?? null,
    serviceDescription: label?.description ?? null,
    class: portClassName(serverPort),
    clientPortClass: portClassName(clientPort),
    clientPortRanges: ephemeralRangesOf(clientPort),
    appVerdict: VERDICTS[facts.verdict[r]!]!,
  };
  if (facts.chain[r]) record.tunnel = tunnelName(facts.chain[r]!);
  return record;
}

/** The port at position i of the totals. */
export function portRecord(p: PortTotals, i: number, tunnel?: string): PortRecord {
  const k = p.keys[i]!;
  const port = k & 0xffff;
  const label = serviceLabels()[k] ?? null;
  const record: PortRecord = {
    proto: protoOfKey(k), port, service: label?.name ?? null, serviceDescription: label?.description ?? null,
    class: portClassName(port), packets: p.packets[i]!, bytes: p.bytes[i]!, flows: p.flows[i]!,
    asSource: { packets: p.srcPackets[i]!, bytes: p.srcBytes[i]! },
    asDestination: { packets: p.dstPackets[i]!, bytes: p.dstBytes[i]! },
    asServer: { flows: p.serverFlows[i]!, packets: p.serverPackets[i]!, bytes: p.serverBytes[i]! },
    peers: p.peers[i]!,
  };
  if (tunnel) record.tunnel = tunnel;
  return record;
}

/**
 * The selection's port rows: the outermost layer's, then those inside tunnels, one set per
 * encapsulation chain (marked with it). Row i is row index[i] of sets[set[i]].
 */
export interface PortRows {
  length: number;
  sets: PortTotals[];
  /** Chain id per set (0: the outermost layer). */
  chains: number[];
  set: Uint16Array;
  index: Uint32Array;
  at(i: number): PortRecord;
}

export function portRecordList(sel: Selection): PortRows {
  const inner = sel.tunnelPorts();
  const sets = [sel.ports(), ...inner.map((t) => t.ports)];
  const chains = [0, ...inner.map((t) => t.chain)];
  const length = sets.reduce((n, p) => n + p.keys.length, 0);
  const set = new Uint16Array(length);
  const index = new Uint32Array(length);
  let i = 0;
  sets.forEach((p, g) => {
    for (let j = 0; j < p.keys.length; j++, i++) {
      set[i] = g;
      index[i] = j;
    }
  });
  return {
    length, sets, chains, set, index,
    at: (x) => portRecord(sets[set[x]!]!, index[x]!, chains[set[x]!] ? tunnelName(chains[set[x]!]!) : undefined),
  };
}

export function exposedRecord(facts: FlowFacts, g: ServiceGroups, i: number): ExposedService {
  const k = g.portKey[i]!;
  const port = k & 0xffff;
  const apps: string[] = [];
  for (let a = 1; a < APP_NAMES.length; a++) if (g.apps[i]! & (1 << a)) apps.push(APP_NAMES[a]!);
  return {
    host: facts.addresses.text(g.host[i]!), proto: protoOfKey(k), port, service: serviceLabels()[k]?.name ?? null,
    class: portClassName(port), state: ATTEMPT_STATES[g.state[i]!]!, flows: g.flows[i]!, packets: g.packets[i]!, bytes: g.bytes[i]!,
    clients: g.clients[i]!, clientList: g.clientIds(facts, i).map((id) => facts.addresses.text(id)),
    firstSeen: time(g.firstSeen[i]!), lastSeen: time(g.lastSeen[i]!), apps: apps.sort(),
  };
}

export function hostRecord(book: AddressBook, h: HostTotals, g: ServiceGroups, id: number): HostRecord {
  return {
    address: book.text(id), ipVersion: book.version(id),
    packetsSent: h.packetsSent[id]!, bytesSent: h.bytesSent[id]!, packetsReceived: h.packetsReceived[id]!, bytesReceived: h.bytesReceived[id]!,
    flows: h.flows[id]!,
    serverFlows: h.serverFlows[id]!,
    clientFlows: h.clientFlows[id]!,
    role: h.serverFlows[id]! > 0 ? (h.clientFlows[id]! > 0 ? 'both' : 'server') : 'client',
    peers: h.peers[id]!,
    services: h.services(g, id).map((i) => {
      const k = g.portKey[i]!;
      return {
        proto: protoOfKey(k), port: k & 0xffff, service: serviceLabels()[k]?.name ?? null, class: portClassName(k & 0xffff),
        flows: g.flows[i]!, packets: g.packets[i]!, bytes: g.bytes[i]!, clients: g.clients[i]!,
      };
    }),
  };
}

/** An IP conversation without ports (ICMP, GRE, ...), oriented by its first packet. */
export function ipConversation(state: AnalysisState, r: number): IpConversation {
  const t = state.ipPairs;
  const keys = t.index.keys;
  const k = r * FLOW_KEY.WIDTH;
  const meta = keys[k + FLOW_KEY.META]!;
  const version = (meta & 0xff) === 4 ? 4 : 6;
  const a = formatAddress(version, keys, k + FLOW_KEY.ADDR_A), b = formatAddress(version, keys, k + FLOW_KEY.ADDR_B);
  const proto = (meta >>> 8) & 0xff;
  const fromA = t.firstFromA(r) === 1;
  const pAB = t.packetsAB(r), bAB = t.bytesAB(r), pBA = t.packetsBA(r), bBA = t.bytesBA(r);
  return {
    proto, protoName: protoLongName(proto), ipVersion: version,
    a: fromA ? a : b, b: fromA ? b : a,
    packetsAB: fromA ? pAB : pBA, bytesAB: fromA ? bAB : bBA, packetsBA: fromA ? pBA : pAB, bytesBA: fromA ? bBA : bAB,
    firstPacket: t.firstFrame(r), start: time(t.firstTs(r)), end: time(t.lastTs(r)),
  };
}
