import { HANDSHAKE } from './flow-table';
import { ephemeralRangesOf, portClass, portClassName, type PortClassName } from './port-class';
import type { ClassCounts, FlowRecord, HostRecord, HostService, PortRecord, Report, RoleRule } from './report-types';
import { serviceFor } from './services';
import { expectedApp } from './intel/signatures';
import { exposedServices } from './intel/exposure';
import { DEFAULT_SCAN_THRESHOLDS, detectScans, riskyServices, unexpectedProtocols } from './intel/findings';

const TOP_PORT_SERIES = 8;

/**
 * Everything in a Report that follows from its flows: server/client roles, service labels,
 * port table, class split, hosts and the per-port time series. Run after building, merging
 * or filtering, so derived numbers always agree with the flows they came from.
 */
export function deriveReport(report: Report): Report {
  const flows = report.flows;
  flows.sort((x, y) => (x.proto === y.proto ? 0 : x.proto === 'tcp' ? -1 : 1) || x.firstPacket - y.firstPacket);
  // Peer counts are needed only by flows that handshakes, names and classes leave undecided.
  let peers: Map<string, number> | null = null;
  for (const f of flows) {
    if (!decideRole(f, null)) decideRole(f, (peers ??= endpointPeerCounts(flows)));
  }
  return deriveAggregates(report);
}

/** Ports, classes, hosts, flow counts, top-port series and warnings from the flows as they are. */
export function deriveAggregates(report: Report): Report {
  const flows = report.flows;
  report.ports = portRecords(flows);
  report.classes = classSplit(flows);
  report.hosts = hostRecords(flows);
  report.totals.flows = { tcp: flows.filter((f) => f.proto === 'tcp').length, udp: flows.filter((f) => f.proto === 'udp').length };
  report.timeSeries.topPorts = topPortSeries(report);
  const thresholds = report.intel?.thresholds ?? DEFAULT_SCAN_THRESHOLDS;
  report.intel = {
    exposed: exposedServices(flows),
    findings: [...detectScans(flows, thresholds), ...riskyServices(flows), ...unexpectedProtocols(flows)],
    thresholds,
  };
  report.warnings = warnings(report);
  return report;
}

function endpointKey(proto: string, addr: string, port: number): string {
  return `${proto} ${addr} ${port}`;
}

/** Distinct remote addresses per (proto, address, port) endpoint. */
function endpointPeerCounts(flows: FlowRecord[]): Map<string, number> {
  const sets = new Map<string, Set<string>>();
  const add = (k: string, peer: string) => {
    let s = sets.get(k);
    if (!s) sets.set(k, (s = new Set()));
    s.add(peer);
  };
  for (const f of flows) {
    add(endpointKey(f.proto, f.a, f.aPort), f.b);
    add(endpointKey(f.proto, f.b, f.bPort), f.a);
  }
  const counts = new Map<string, number>();
  for (const [k, s] of sets) counts.set(k, s.size);
  return counts;
}

/**
 * Which end offers the service. TCP handshakes decide when seen (the end that received a
 * bare SYN, else the end that sent SYN+ACK); otherwise the port decides: an IANA name, a
 * lower class, more distinct peers, the lower number — in that order.
 */
export function decideRole(f: FlowRecord, peers: Map<string, number> | null): boolean {
  let server: 'a' | 'b' | null = null;
  let role: RoleRule = 'lower-port';
  const hs = f.handshake;
  const aSyn = (hs & HANDSHAKE.A_SYN) !== 0, bSyn = (hs & HANDSHAKE.B_SYN) !== 0;
  const aSynAck = (hs & HANDSHAKE.A_SYNACK) !== 0, bSynAck = (hs & HANDSHAKE.B_SYNACK) !== 0;
  if (f.proto === 'tcp' && aSyn !== bSyn) {
    server = aSyn ? 'b' : 'a';
    role = 'syn';
  } else if (f.proto === 'tcp' && aSynAck !== bSynAck) {
    server = aSynAck ? 'a' : 'b';
    role = 'syn-ack';
  } else {
    const sa = serviceFor(f.proto, f.aPort) !== null, sb = serviceFor(f.proto, f.bPort) !== null;
    const ca = portClass(f.aPort), cb = portClass(f.bPort);
    const pa = peers?.get(endpointKey(f.proto, f.a, f.aPort)) ?? 0, pb = peers?.get(endpointKey(f.proto, f.b, f.bPort)) ?? 0;
    if (sa !== sb) {
      server = sa ? 'a' : 'b';
      role = 'service-name';
    } else if (ca !== cb) {
      server = ca < cb ? 'a' : 'b';
      role = 'port-class';
    } else if (peers === null) {
      return false;
    } else if (pa !== pb) {
      server = pa > pb ? 'a' : 'b';
      role = 'peer-count';
    } else {
      server = f.aPort <= f.bPort ? 'a' : 'b';
      role = 'lower-port';
    }
  }
  const serverPort = server === 'a' ? f.aPort : f.bPort;
  const clientPort = server === 'a' ? f.bPort : f.aPort;
  const label = serviceFor(f.proto, serverPort);
  f.server = server;
  f.serverPort = serverPort;
  f.clientPort = clientPort;
  f.role = role;
  f.service = label?.name ?? null;
  f.serviceDescription = label?.description ?? null;
  f.class = portClassName(serverPort);
  f.clientPortClass = portClassName(clientPort);
  f.clientPortRanges = ephemeralRangesOf(clientPort);
  const expected = expectedApp(f.proto, serverPort);
  // Only ports with a known expectation can be confirmed or contradicted.
  f.appVerdict = f.app === null || expected === null ? 'unknown' : f.app === expected ? 'confirmed' : 'different';
  return true;
}

/** Addresses as small integers, so the sets of peers and clients hold numbers, not strings. */
function interner(): (address: string) => number {
  const ids = new Map<string, number>();
  return (a) => {
    let v = ids.get(a);
    if (v === undefined) ids.set(a, (v = ids.size));
    return v;
  };
}

function portRecords(flows: FlowRecord[]): PortRecord[] {
  const id = interner();
  const byKey = new Map<number, PortRecord & { peerSet: Set<number> }>();
  const get = (proto: 'tcp' | 'udp', port: number) => {
    const k = proto === 'tcp' ? port : 65536 + port;
    let r = byKey.get(k);
    if (!r) {
      const label = serviceFor(proto, port);
      r = {
        proto, port, service: label?.name ?? null, serviceDescription: label?.description ?? null,
        class: portClassName(port), packets: 0, bytes: 0, flows: 0,
        asSource: { packets: 0, bytes: 0 }, asDestination: { packets: 0, bytes: 0 },
        asServer: { flows: 0, packets: 0, bytes: 0 }, peers: 0, peerSet: new Set(),
      };
      byKey.set(k, r);
    }
    return r;
  };
  for (const f of flows) {
    const pa = get(f.proto, f.aPort);
    const pb = f.bPort === f.aPort ? pa : get(f.proto, f.bPort);
    pa.packets += f.packets;
    pa.bytes += f.bytes;
    pa.flows++;
    if (pb !== pa) {
      pb.packets += f.packets;
      pb.bytes += f.bytes;
      pb.flows++;
    }
    pa.asSource.packets += f.packetsAB;
    pa.asSource.bytes += f.bytesAB;
    pb.asDestination.packets += f.packetsAB;
    pb.asDestination.bytes += f.bytesAB;
    pb.asSource.packets += f.packetsBA;
    pb.asSource.bytes += f.bytesBA;
    pa.asDestination.packets += f.packetsBA;
    pa.asDestination.bytes += f.bytesBA;
    pa.peerSet.add(id(f.b));
    pb.peerSet.add(id(f.a));
    const server = f.server === 'a' ? pa : pb;
    server.asServer.flows++;
    server.asServer.packets += f.packets;
    server.asServer.bytes += f.bytes;
  }
  const out: PortRecord[] = [];
  for (const r of byKey.values()) {
    const { peerSet, ...rest } = r;
    out.push({ ...rest, peers: peerSet.size });
  }
  out.sort((x, y) => (x.proto === y.proto ? 0 : x.proto === 'tcp' ? -1 : 1) || x.port - y.port);
  return out;
}

function zeroClasses(): Record<PortClassName, ClassCounts> {
  return {
    'well-known': { packets: 0, bytes: 0, flows: 0 },
    registered: { packets: 0, bytes: 0, flows: 0 },
    ephemeral: { packets: 0, bytes: 0, flows: 0 },
  };
}

/** By server port: each flow once. By port: each flow once per distinct class of its two ports. */
function classSplit(flows: FlowRecord[]): Report['classes'] {
  const byServerPort = zeroClasses();
  const byPort = zeroClasses();
  for (const f of flows) {
    const s = byServerPort[f.class];
    s.packets += f.packets;
    s.bytes += f.bytes;
    s.flows++;
    const ca = portClassName(f.aPort), cb = portClassName(f.bPort);
    byPort[ca].packets += f.packets;
    byPort[ca].bytes += f.bytes;
    byPort[ca].flows++;
    if (cb !== ca) {
      byPort[cb].packets += f.packets;
      byPort[cb].bytes += f.bytes;
      byPort[cb].flows++;
    }
  }
  return { byServerPort, byPort };
}

function hostRecords(flows: FlowRecord[]): HostRecord[] {
  const id = interner();
  const hosts = new Map<string, HostRecord & { svc: Map<number, HostService & { clientSet: Set<number> }> }>();
  const get = (addr: string, v: 4 | 6) => {
    let h = hosts.get(addr);
    if (!h) {
      h = { address: addr, ipVersion: v, packetsSent: 0, bytesSent: 0, packetsReceived: 0, bytesReceived: 0, flows: 0, services: [], svc: new Map() };
      hosts.set(addr, h);
    }
    return h;
  };
  for (const f of flows) {
    const ha = get(f.a, f.ipVersion);
    const hb = f.b === f.a ? ha : get(f.b, f.ipVersion);
    ha.packetsSent += f.packetsAB; ha.bytesSent += f.bytesAB; ha.packetsReceived += f.packetsBA; ha.bytesReceived += f.bytesBA;
    hb.packetsSent += f.packetsBA; hb.bytesSent += f.bytesBA; hb.packetsReceived += f.packetsAB; hb.bytesReceived += f.bytesAB;
    ha.flows++;
    if (hb !== ha) hb.flows++;
    const server = f.server === 'a' ? ha : hb;
    const client = f.server === 'a' ? f.b : f.a;
    const k = f.proto === 'tcp' ? f.serverPort : 65536 + f.serverPort;
    let s = server.svc.get(k);
    if (!s) {
      s = { proto: f.proto, port: f.serverPort, service: f.service, class: f.class, flows: 0, packets: 0, bytes: 0, clients: 0, clientSet: new Set() };
      server.svc.set(k, s);
    }
    s.flows++;
    s.packets += f.packets;
    s.bytes += f.bytes;
    s.clientSet.add(id(client));
  }
  const out: HostRecord[] = [];
  for (const h of hosts.values()) {
    const { svc, ...rest } = h;
    const services = [...svc.values()].map(({ clientSet, ...x }) => ({ ...x, clients: clientSet.size }))
      .sort((x, y) => y.bytes - x.bytes || x.port - y.port);
    out.push({ ...rest, services });
  }
  out.sort((x, y) => (y.bytesSent + y.bytesReceived) - (x.bytesSent + x.bytesReceived) || (x.address < y.address ? -1 : 1));
  return out;
}

function topPortSeries(report: Report): Report['timeSeries']['topPorts'] {
  const ts = report.timeSeries;
  const buckets = ts.packets.length;
  const totals = new Map<number, number>();
  for (const [, key, , bytes] of ts.portCells) totals.set(key!, (totals.get(key!) ?? 0) + bytes!);
  const top = [...totals.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, TOP_PORT_SERIES).map(([k]) => k);
  return top.map((key) => {
    const proto = key >>> 16 === 6 ? 'tcp' : 'udp';
    const port = key & 0xffff;
    const packets = new Array<number>(buckets).fill(0);
    const bytes = new Array<number>(buckets).fill(0);
    for (const [slot, k, p, b] of ts.portCells) {
      if (k === key) {
        packets[slot!] = p!;
        bytes[slot!] = b!;
      }
    }
    return { proto, port, service: serviceFor(proto, port)?.name ?? null, packets, bytes };
  });
}

function warnings(report: Report): string[] {
  const out: string[] = [];
  const d = report.decode;
  for (const lt of d.linkTypes) {
    if (!lt.decoded) out.push(`${lt.packets} packets of link type ${lt.linkType} (${lt.name}) were not decoded`);
  }
  for (const r of d.noIp) {
    if (r.reason === 'link-header-truncated' || r.reason === 'ip-header-incomplete') {
      out.push(`${r.packets} packets skipped: ${r.description}`);
    }
  }
  if (d.sliced > 0) out.push(`${d.sliced} packets were cut by the capture's snap length (bytes count their full wire length)`);
  if (report.otherFlows) {
    out.push(`the flow table reached its cap of ${report.otherFlows.cap} flows: ${report.otherFlows.flows} more flows `
      + `(${report.otherFlows.packets} packets, ${report.otherFlows.bytes} bytes) are counted together as "other flows"`);
  }
  if (report.read.status !== 'complete') {
    out.push(`reading stopped ${report.read.offset !== null ? `at byte ${report.read.offset}` : ''}: ${report.read.message}`);
  }
  return out;
}

