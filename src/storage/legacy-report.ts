// Saved analyses and library files made before states existed hold a whole report (schema 1).
// This turns such a report back into the state it was drawn from, so it opens in the same
// views: everything the report's flows and counters carry is kept.
import { NO_IP } from '../decoder/decoded-packet';
import { parseIpv4, parseIpv6 } from '../net/address';
import { tunnelChainOf } from '../views/tunnels';
import { APP_NAMES } from '../net/payload-signatures';
import type { Report } from '../schema/report';
import { AnalysisState } from '../tap/analysis-state';
import { BITS, FLOW_KEY, flowHash, FlowTable, NUM, swapHandshake } from '../tap/flow-table';
import { PORTS_PER_BUCKET, SERIES_CLASSES } from '../tap/time-series';

const NO_IP_BY_ID: Record<string, number> = {
  'not-ip': NO_IP.NOT_IP, 'link-type-not-decoded': NO_IP.LINK_UNSUPPORTED, 'link-header-truncated': NO_IP.LINK_TRUNCATED, 'ip-header-incomplete': NO_IP.IP_INCOMPLETE,
};

export class LegacyReportError extends Error {}

function words(version: 4 | 6, text: string): number[] {
  if (version === 4) {
    const v = parseIpv4(text);
    if (v === null) throw new LegacyReportError(`"${text}" is not an IPv4 address`);
    return [v, 0, 0, 0];
  }
  const w = parseIpv6(text);
  if (w === null) throw new LegacyReportError(`"${text}" is not an IPv6 address`);
  return w;
}

interface Row {
  proto: number;
  version: 4 | 6;
  a: string;
  aPort: number;
  b: string;
  bPort: number;
  /** Tunnel chain id, 0 for the outermost layer. */
  chain: number;
}

function chainOf(tunnel: string | undefined): number {
  if (!tunnel) return 0;
  const id = tunnelChainOf(tunnel);
  if (id < 0) throw new LegacyReportError(`the report names an unknown tunnel "${tunnel}"`);
  return id;
}

/** Insert the row's key into a table (its a→b orientation), returning the row and whether a is the key's A. */
function insert(t: FlowTable, r: Row): { row: number; aIsA: boolean } {
  const layer = { ipVersion: r.version, addr: new Uint32Array([...words(r.version, r.a), ...words(r.version, r.b)]), l4: r.proto, sport: r.aPort, dport: r.bPort, tcpFlags: -1 };
  t.keyOf(layer, r.chain);
  const key = t.key;
  const hash = flowHash(key);
  if (t.index.find(key, hash) >= 0) throw new LegacyReportError(`the report lists the conversation ${r.a} ${r.b} twice`);
  const aIsA = t.fromA;
  const row = t.add(layer, r.chain, 0, 0, false, 1);
  return { row, aIsA };
}

/** Write a row's numbers (NUM order) and small fields (BITS order). */
function setRow(t: FlowTable, row: number, num: number[], bits: number[]): void {
  t.num.set(num, row * NUM.STRIDE);
  t.bits.set(bits, row * BITS.STRIDE);
}

export function stateFromReport(report: Report): AnalysisState {
  const s = new AnalysisState({ name: report.source.name, size: report.source.size }, report.otherFlows?.cap);
  s.capture = structuredClone(report.capture);
  s.read = { ...report.read };
  const d = report.decode;
  const st = s.stats;
  st.packets = d.packets;
  st.bytes = d.bytes;
  st.capturedBytes = d.capturedBytes;
  st.sliced = d.sliced;
  st.ipv4Packets = d.ipVersions['4'].packets;
  st.ipv4Bytes = d.ipVersions['4'].bytes;
  st.ipv6Packets = d.ipVersions['6'].packets;
  st.ipv6Bytes = d.ipVersions['6'].bytes;
  st.portPackets = d.withPorts.packets;
  st.portBytes = d.withPorts.bytes;
  st.firstFragments = d.fragments.first;
  st.nonFirstFragments = d.fragments.nonfirst;
  st.ipv6UnderIpv4 = d.ipv6UnderIpv4;
  st.firstTs = report.totals.firstTime ?? Infinity;
  st.lastTs = report.totals.lastTime ?? -Infinity;
  for (const lt of d.linkTypes) st.addLinkType(lt.linkType, lt.packets, lt.bytes);
  for (const n of d.noIp) {
    const reason = NO_IP_BY_ID[n.reason];
    if (reason === undefined) throw new LegacyReportError(`unknown reason "${n.reason}"`);
    st.noIpPackets[reason] = n.packets;
    st.noIpBytes[reason] = n.bytes;
  }
  for (const l of d.l4) {
    st.l4Packets[l.proto & 0xff] = l.packets;
    st.l4Bytes[l.proto & 0xff] = l.bytes;
  }
  for (const f of report.flows) {
    const t = s.flows;
    const { row, aIsA } = insert(t, { proto: f.proto === 'tcp' ? 6 : 17, version: f.ipVersion, a: f.a, aPort: f.aPort, b: f.b, bPort: f.bPort, chain: chainOf(f.tunnel) });
    const fa = f.tcpFlagsAB ?? 0, fb = f.tcpFlagsBA ?? 0;
    // Marks from ICMP errors are kept apart below; the report's handshake already includes them.
    const hs = f.handshake & 0x3f;
    setRow(t, row, [aIsA ? f.packetsAB : f.packetsBA, aIsA ? f.bytesAB : f.bytesBA, aIsA ? f.packetsBA : f.packetsAB, aIsA ? f.bytesBA : f.bytesAB,
      f.start ?? Infinity, f.end ?? -Infinity, f.firstPacket, f.lastPacket], [aIsA ? 1 : 0, aIsA ? fa : fb, aIsA ? fb : fa, aIsA ? hs : swapHandshake(hs)]);
    if (f.app !== null) s.payloads.record(row, f.firstPacket, APP_NAMES.indexOf(f.app), f.appName);
  }
  for (const c of report.ipConversations) {
    const t = s.ipPairs;
    const { row, aIsA } = insert(t, { proto: c.proto, version: c.ipVersion, a: c.a, aPort: 0, b: c.b, bPort: 0, chain: 0 });
    setRow(t, row, [aIsA ? c.packetsAB : c.packetsBA, aIsA ? c.bytesAB : c.bytesBA, aIsA ? c.packetsBA : c.packetsAB, aIsA ? c.bytesBA : c.bytesAB,
      c.start ?? Infinity, c.end ?? -Infinity, c.firstPacket, c.firstPacket], [aIsA ? 1 : 0, 0, 0, 0]);
  }
  for (const [a, ap, b, bp, bits] of report.unreachable) {
    const version = a.includes(':') ? 6 : 4;
    const key = new Uint32Array(FLOW_KEY.WIDTH);
    key[0] = (17 << 8) | version;
    const wa = words(version, a), wb = words(version, b);
    for (let i = 0; i < 4; i++) {
      key[1 + i] = wa[i]!;
      key[5 + i] = wb[i]!;
    }
    key[9] = ((ap << 16) | bp) >>> 0;
    s.marks.set(key, bits);
  }
  if (report.otherFlows) {
    s.flows.overflowFlows = report.otherFlows.flows;
    s.flows.overflowPackets = report.otherFlows.packets;
    s.flows.overflowBytes = report.otherFlows.bytes;
  }
  const ts = report.timeSeries;
  const slots = ts.packets.length;
  const cp = new Float64Array(slots * SERIES_CLASSES), cb = new Float64Array(slots * SERIES_CLASSES);
  for (let i = 0; i < slots; i++) {
    for (let c = 0; c < SERIES_CLASSES; c++) {
      cp[i * SERIES_CLASSES + c] = ts.packets[i]![c]!;
      cb[i * SERIES_CLASSES + c] = ts.bytes[i]![c]!;
    }
  }
  s.series.restore(ts.widthExp, ts.startIndex, slots, cp, cb, new Int32Array(slots * PORTS_PER_BUCKET).fill(-1),
    new Float64Array(slots * PORTS_PER_BUCKET), new Float64Array(slots * PORTS_PER_BUCKET));
  for (const [slot, key, p, b] of ts.portCells) s.series.addPort(slot!, key!, p!, b!);
  return s;
}
