import type { CaptureInfo, ReadOutcome } from '../decoder/capture-info';
import { NO_IP, NO_IP_NAMES } from '../decoder/decoded-packet';
import { linkTypeName } from '../decoder/link-types';
import { formatAddress } from './address';
import type { Analyzer } from './analyzer';
import { deriveReport } from './derive-report';
import { FLOW_KEY, FlowTable, HANDSHAKE } from './flow-table';
import { protoLongName } from './protocols';
import type { DecodeSummary, FlowRecord, IpConversation, Report } from './report-types';
import { REPORT_SCHEMA_VERSION } from './report-types';
import { timeSeriesReport } from './time-series-codec';
import { PORTHOLE_VERSION } from './version';
import { APP_NAMES, type AppName } from './intel/signatures';
import { DEFAULT_SCAN_THRESHOLDS, type ScanThresholds } from './intel/findings';
import type { PayloadInspector } from './payload-inspector';

export interface ReportSource {
  name: string;
  size: number | null;
}

export interface BuildOptions {
  /** Keep only this many flows (the largest by bytes): for cheap partial reports while reading. */
  flowLimit?: number;
  scanThresholds?: ScanThresholds;
}

const NO_IP_REASON_IDS: Record<number, string> = {
  [NO_IP.NOT_IP]: 'not-ip',
  [NO_IP.LINK_UNSUPPORTED]: 'link-type-not-decoded',
  [NO_IP.LINK_TRUNCATED]: 'link-header-truncated',
  [NO_IP.IP_INCOMPLETE]: 'ip-header-incomplete',
};

/** The "draw" step: turn the analyzer's typed arrays into a JSON-serializable Report. */
export function buildReport(analyzer: Analyzer, capture: CaptureInfo, read: ReadOutcome, source: ReportSource, options: BuildOptions = {}): Report {
  const s = analyzer.stats;
  const flows = flowRecords(analyzer.flows, analyzer.payloads, options.flowLimit);
  const unreachable = unreachableMarks(analyzer.flows);
  applyUnreachable(flows, unreachable);
  const of = analyzer.flows;
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: 'porthole', version: PORTHOLE_VERSION },
    source: { name: source.name, size: source.size },
    capture: structuredClone(capture),
    read: { ...read },
    decode: decodeSummary(analyzer),
    totals: {
      packets: s.packets,
      bytes: s.bytes,
      ipPackets: s.ipv4Packets + s.ipv6Packets,
      ipBytes: s.ipv4Bytes + s.ipv6Bytes,
      flows: { tcp: 0, udp: 0 },
      firstTime: s.packets > 0 ? s.firstTs : null,
      lastTime: s.packets > 0 ? s.lastTs : null,
      duration: s.packets > 0 ? s.lastTs - s.firstTs : 0,
    },
    classes: emptyClasses(),
    ports: [],
    flows,
    ipConversations: ipConversations(analyzer.ipPairs),
    hosts: [],
    otherFlows: of.overflowPackets > 0
      ? { flows: of.overflowFlows, packets: of.overflowPackets, bytes: of.overflowBytes, cap: of.maxFlows }
      : null,
    timeSeries: timeSeriesReport(analyzer.series),
    intel: { exposed: [], findings: [], thresholds: options.scanThresholds ?? DEFAULT_SCAN_THRESHOLDS },
    unreachable,
    warnings: [],
    filter: null,
  };
  return deriveReport(report);
}

export function emptyClasses(): Report['classes'] {
  const z = () => ({ packets: 0, bytes: 0, flows: 0 });
  return {
    byServerPort: { 'well-known': z(), registered: z(), ephemeral: z() },
    byPort: { 'well-known': z(), registered: z(), ephemeral: z() },
  };
}

function rowAddresses(keys: Uint32Array, row: number): { version: 4 | 6; a: string; b: string; meta: number } {
  const k = row * FLOW_KEY.WIDTH;
  const meta = keys[k + FLOW_KEY.META]!;
  const version = (meta & 0xff) === 4 ? 4 : 6;
  return {
    version,
    meta,
    a: formatAddress(version, keys, k + FLOW_KEY.ADDR_A),
    b: formatAddress(version, keys, k + FLOW_KEY.ADDR_B),
  };
}

/** Swap A_* and B_* handshake bits (when the reported orientation is the table's B first). */
export function swapHandshake(bits: number): number {
  let out = 0;
  const pairs: Array<[number, number]> = [
    [HANDSHAKE.A_SYN, HANDSHAKE.B_SYN], [HANDSHAKE.A_SYNACK, HANDSHAKE.B_SYNACK], [HANDSHAKE.A_RST, HANDSHAKE.B_RST],
    [HANDSHAKE.A_UNREACH, HANDSHAKE.B_UNREACH],
  ];
  for (const [x, y] of pairs) {
    if (bits & x) out |= y;
    if (bits & y) out |= x;
  }
  return out;
}

/** Rows of the `limit` largest flows by bytes (all rows when there are fewer). */
function largestRows(t: FlowTable, limit: number): number[] {
  const n = t.size;
  const bytes = (r: number) => t.bytesAB[r] + t.bytesBA[r];
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  // Keep a min-heap of the largest `limit` rows: O(n log limit), no full sort.
  const heap: number[] = [];
  const less = (a: number, b: number) => bytes(a) < bytes(b) || (bytes(a) === bytes(b) && a > b);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let row = 0; row < n; row++) {
    if (heap.length < limit) {
      heap.push(row);
      for (let i = heap.length - 1; i > 0;) {
        const p = (i - 1) >> 1;
        if (!less(heap[i], heap[p])) break;
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
      }
    } else if (less(heap[0], row)) {
      heap[0] = row;
      down(0);
    }
  }
  return heap.sort((a, b) => a - b);
}

function flowRecords(t: FlowTable, payloads: PayloadInspector, limit = Infinity): FlowRecord[] {
  const keys = t.index.keys;
  const rows = limit < t.size ? largestRows(t, limit) : null;
  const count = rows ? rows.length : t.size;
  const out: FlowRecord[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const row = rows ? rows[i] : i;
    const { version, meta, a, b } = rowAddresses(keys, row);
    const ports = keys[row * FLOW_KEY.WIDTH + FLOW_KEY.PORTS]!;
    const proto = meta >>> 8 === 6 ? 'tcp' : 'udp';
    const fromA = t.firstFromA[row] === 1;
    const tcp = proto === 'tcp';
    const pAB = t.packetsAB[row]!, bAB = t.bytesAB[row]!, pBA = t.packetsBA[row]!, bBA = t.bytesBA[row]!;
    const fAB = tcp ? t.tcpFlagsAB[row]! : null, fBA = tcp ? t.tcpFlagsBA[row]! : null;
    const hs = t.handshake[row]!;
    const aPort = ports >>> 16, bPort = ports & 0xffff;
    const start = t.firstTs[row]!, end = t.lastTs[row]!;
    out[i] = {
      proto, ipVersion: version,
      a: fromA ? a : b, aPort: fromA ? aPort : bPort, b: fromA ? b : a, bPort: fromA ? bPort : aPort,
      packetsAB: fromA ? pAB : pBA, bytesAB: fromA ? bAB : bBA, packetsBA: fromA ? pBA : pAB, bytesBA: fromA ? bBA : bAB,
      packets: pAB + pBA, bytes: bAB + bBA,
      firstPacket: t.firstFrame[row]!, lastPacket: t.lastFrame[row]!,
      start, end, duration: end - start,
      tcpFlagsAB: fromA ? fAB : fBA, tcpFlagsBA: fromA ? fBA : fAB,
      handshake: fromA ? hs : swapHandshake(hs),
      app: payloads.app[row] ? APP_NAMES[payloads.app[row]!] as AppName : null,
      appName: payloads.names.get(row) ?? null,
      server: 'b', serverPort: 0, clientPort: 0, role: 'lower-port', service: null, serviceDescription: null,
      class: 'well-known', clientPortClass: 'well-known', clientPortRanges: [], appVerdict: 'unknown',
    };
  }
  return out;
}

/** ICMP port-unreachable marks as [address A, port A, address B, port B, bits] (UDP flows). */
function unreachableMarks(t: FlowTable): Array<[string, number, string, number, number]> {
  const out: Array<[string, number, string, number, number]> = [];
  const keys = t.unreachable.keys;
  for (let row = 0; row < t.unreachable.rows; row++) {
    const { a, b } = rowAddresses(keys, row);
    const ports = keys[row * FLOW_KEY.WIDTH + FLOW_KEY.PORTS]!;
    out.push([a, ports >>> 16, b, ports & 0xffff, t.unreachableBits[row]!]);
  }
  return out;
}

/** Set the marks on the UDP flows they name (orientation-aware). */
export function applyUnreachable(flows: FlowRecord[], marks: Array<[string, number, string, number, number]>): void {
  if (marks.length === 0) return;
  const byKey = new Map<string, number>();
  for (const [a, ap, b, bp, bits] of marks) byKey.set(`${a}|${ap}|${b}|${bp}`, (byKey.get(`${a}|${ap}|${b}|${bp}`) ?? 0) | bits);
  for (const f of flows) {
    if (f.proto !== 'udp') continue;
    const direct = byKey.get(`${f.a}|${f.aPort}|${f.b}|${f.bPort}`);
    if (direct !== undefined) f.handshake |= direct;
    const reversed = byKey.get(`${f.b}|${f.bPort}|${f.a}|${f.aPort}`);
    if (reversed !== undefined) f.handshake |= swapHandshake(reversed);
  }
}

function ipConversations(t: FlowTable): IpConversation[] {
  const keys = t.index.keys;
  const out: IpConversation[] = [];
  for (let row = 0; row < t.size; row++) {
    const { version, meta, a, b } = rowAddresses(keys, row);
    const proto = meta >>> 8;
    const fromA = t.firstFromA[row] === 1;
    const pAB = t.packetsAB[row]!, bAB = t.bytesAB[row]!, pBA = t.packetsBA[row]!, bBA = t.bytesBA[row]!;
    out.push({
      proto, protoName: protoLongName(proto), ipVersion: version,
      a: fromA ? a : b, b: fromA ? b : a,
      packetsAB: fromA ? pAB : pBA, bytesAB: fromA ? bAB : bBA, packetsBA: fromA ? pBA : pAB, bytesBA: fromA ? bBA : bAB,
      firstPacket: t.firstFrame[row]!, start: t.firstTs[row]!, end: t.lastTs[row]!,
    });
  }
  out.sort((x, y) => x.proto - y.proto || x.firstPacket - y.firstPacket);
  return out;
}

function decodeSummary(analyzer: Analyzer): DecodeSummary {
  const s = analyzer.stats;
  const linkTypes = [...s.linkTypes.entries()]
    .map(([linkType, c]) => ({ linkType, name: linkTypeName(linkType), decoded: isDecodedLinkType(linkType), packets: c[0]!, bytes: c[1]! }))
    .sort((x, y) => x.linkType - y.linkType);
  const noIp = [];
  for (const reason of [NO_IP.NOT_IP, NO_IP.LINK_UNSUPPORTED, NO_IP.LINK_TRUNCATED, NO_IP.IP_INCOMPLETE]) {
    if (s.noIpPackets[reason]! > 0) {
      noIp.push({ reason: NO_IP_REASON_IDS[reason]!, description: NO_IP_NAMES[reason]!, packets: s.noIpPackets[reason]!, bytes: s.noIpBytes[reason]! });
    }
  }
  const l4 = [];
  for (let p = 0; p < 256; p++) {
    if (s.l4Packets[p]! > 0) l4.push({ proto: p, name: protoLongName(p), packets: s.l4Packets[p]!, bytes: s.l4Bytes[p]! });
  }
  return {
    packets: s.packets, bytes: s.bytes, capturedBytes: s.capturedBytes, sliced: s.sliced,
    linkTypes, noIp,
    ipVersions: { '4': { packets: s.ipv4Packets, bytes: s.ipv4Bytes }, '6': { packets: s.ipv6Packets, bytes: s.ipv6Bytes } },
    l4,
    withPorts: { packets: s.portPackets, bytes: s.portBytes },
    fragments: { first: s.firstFragments, nonfirst: s.nonFirstFragments },
    ipv6UnderIpv4: s.ipv6UnderIpv4,
  };
}

const DECODED_LINK_TYPES = new Set([0, 1, 9, 12, 14, 50, 101, 104, 105, 107, 108, 113, 127, 129, 149, 178, 226, 228, 229, 239, 242, 258, 276]);

export function isDecodedLinkType(linkType: number): boolean {
  return DECODED_LINK_TYPES.has(linkType);
}

