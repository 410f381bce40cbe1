import type { CaptureInfo } from '../decoder/capture-info';
import { applyUnreachable, swapHandshake } from './build-report';
import { deriveReport } from './derive-report';
import type { Counts, DecodeSummary, FlowRecord, IpConversation, Report } from './report-types';
import { timeSeriesFromReport, timeSeriesReport } from './time-series-codec';

/**
 * Merge the reports of two consecutive parts of one capture (`first` read before `second`),
 * as if the whole had been read at once: counters add up, flows with the same endpoints join
 * (frame numbers of `second` continue after `first`), derived tables are rebuilt.
 * Associative, so work split across workers merges in any grouping.
 */
export function mergeReports(first: Report, second: Report): Report {
  const frameOffset = first.totals.packets;
  const merged: Report = {
    ...first,
    capture: mergeCapture(first.capture, second.capture),
    read: first.read.status === 'complete' ? second.read : first.read,
    decode: mergeDecode(first.decode, second.decode),
    totals: {
      packets: first.totals.packets + second.totals.packets,
      bytes: first.totals.bytes + second.totals.bytes,
      ipPackets: first.totals.ipPackets + second.totals.ipPackets,
      ipBytes: first.totals.ipBytes + second.totals.ipBytes,
      flows: { tcp: 0, udp: 0 },
      firstTime: minOrNull(first.totals.firstTime, second.totals.firstTime, Math.min),
      lastTime: minOrNull(first.totals.lastTime, second.totals.lastTime, Math.max),
      duration: 0,
    },
    flows: mergeFlows(first.flows, second.flows, frameOffset),
    unreachable: [...first.unreachable, ...second.unreachable],
    ipConversations: mergeConversations(first.ipConversations, second.ipConversations, frameOffset),
    otherFlows: first.otherFlows || second.otherFlows ? {
      flows: (first.otherFlows?.flows ?? 0) + (second.otherFlows?.flows ?? 0),
      packets: (first.otherFlows?.packets ?? 0) + (second.otherFlows?.packets ?? 0),
      bytes: (first.otherFlows?.bytes ?? 0) + (second.otherFlows?.bytes ?? 0),
      cap: (first.otherFlows ?? second.otherFlows)!.cap,
    } : null,
    timeSeries: mergeSeries(first, second),
    filter: null,
  };
  // Marks from either part apply to the merged flows, as they would to a whole read.
  applyUnreachable(merged.flows, merged.unreachable);
  merged.unreachable = dedupeMarks(merged.unreachable);
  const t = merged.totals;
  t.duration = t.firstTime !== null && t.lastTime !== null ? t.lastTime - t.firstTime : 0;
  return deriveReport(merged);
}

function dedupeMarks(marks: Report['unreachable']): Report['unreachable'] {
  const seen = new Map<string, Report['unreachable'][number]>();
  for (const m of marks) {
    const k = `${m[0]}|${m[1]}|${m[2]}|${m[3]}`;
    const prev = seen.get(k);
    seen.set(k, prev ? [m[0], m[1], m[2], m[3], prev[4] | m[4]] : m);
  }
  return [...seen.values()];
}

function minOrNull(a: number | null, b: number | null, pick: (x: number, y: number) => number): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return pick(a, b);
}

function mergeCapture(a: CaptureInfo, b: CaptureInfo): CaptureInfo {
  const out = structuredClone(a);
  if (out.format === null) return structuredClone(b);
  out.blocks += b.blocks;
  for (const bi of b.interfaces) {
    const ai = out.interfaces.find((x) => x.id === bi.id);
    if (ai) {
      ai.packets += bi.packets;
      ai.bytes += bi.bytes;
    } else out.interfaces.push(structuredClone(bi));
  }
  for (const bs of b.sections) if (!out.sections.some((s) => s.index === bs.index)) out.sections.push(structuredClone(bs));
  return out;
}

function addCounts<T extends Counts>(list: T[], other: T[], key: (x: T) => string | number): T[] {
  const out = list.map((x) => ({ ...x }));
  for (const o of other) {
    const hit = out.find((x) => key(x) === key(o));
    if (hit) {
      hit.packets += o.packets;
      hit.bytes += o.bytes;
    } else out.push({ ...o });
  }
  return out;
}

function mergeDecode(a: DecodeSummary, b: DecodeSummary): DecodeSummary {
  const sum = (x: Counts, y: Counts): Counts => ({ packets: x.packets + y.packets, bytes: x.bytes + y.bytes });
  return {
    packets: a.packets + b.packets,
    bytes: a.bytes + b.bytes,
    capturedBytes: a.capturedBytes + b.capturedBytes,
    sliced: a.sliced + b.sliced,
    linkTypes: addCounts(a.linkTypes, b.linkTypes, (x) => x.linkType).sort((x, y) => x.linkType - y.linkType),
    noIp: addCounts(a.noIp, b.noIp, (x) => x.reason),
    ipVersions: { '4': sum(a.ipVersions['4'], b.ipVersions['4']), '6': sum(a.ipVersions['6'], b.ipVersions['6']) },
    l4: addCounts(a.l4, b.l4, (x) => x.proto).sort((x, y) => x.proto - y.proto),
    withPorts: sum(a.withPorts, b.withPorts),
    fragments: { first: a.fragments.first + b.fragments.first, nonfirst: a.fragments.nonfirst + b.fragments.nonfirst },
    ipv6UnderIpv4: a.ipv6UnderIpv4 + b.ipv6UnderIpv4,
  };
}

/** Direction-free identity of a conversation. */
function endpointsKey(proto: string | number, a: string, aPort: number, b: string, bPort: number): { key: string; swapped: boolean } {
  const ea = `${a}|${aPort}`, eb = `${b}|${bPort}`;
  return ea <= eb ? { key: `${proto} ${ea} ${eb}`, swapped: false } : { key: `${proto} ${eb} ${ea}`, swapped: true };
}

function mergeFlows(first: FlowRecord[], second: FlowRecord[], frameOffset: number): FlowRecord[] {
  const out = new Map<string, FlowRecord>();
  for (const f of first) out.set(endpointsKey(f.proto, f.a, f.aPort, f.b, f.bPort).key, { ...f, clientPortRanges: [...f.clientPortRanges] });
  for (const g of second) {
    const k = endpointsKey(g.proto, g.a, g.aPort, g.b, g.bPort).key;
    const f = out.get(k);
    if (!f) {
      out.set(k, { ...g, firstPacket: g.firstPacket + frameOffset, lastPacket: g.lastPacket + frameOffset, clientPortRanges: [...g.clientPortRanges] });
      continue;
    }
    // Keep the first part's orientation (its a sent the flow's first packet).
    const same = f.a === g.a && f.aPort === g.aPort;
    f.packetsAB += same ? g.packetsAB : g.packetsBA;
    f.bytesAB += same ? g.bytesAB : g.bytesBA;
    f.packetsBA += same ? g.packetsBA : g.packetsAB;
    f.bytesBA += same ? g.bytesBA : g.bytesAB;
    f.packets += g.packets;
    f.bytes += g.bytes;
    f.lastPacket = g.lastPacket + frameOffset;
    f.start = Math.min(f.start, g.start);
    f.end = Math.max(f.end, g.end);
    f.duration = f.end - f.start;
    if (f.tcpFlagsAB !== null && g.tcpFlagsAB !== null && g.tcpFlagsBA !== null) {
      f.tcpFlagsAB |= same ? g.tcpFlagsAB : g.tcpFlagsBA;
      f.tcpFlagsBA! |= same ? g.tcpFlagsBA : g.tcpFlagsAB;
    }
    f.handshake |= same ? g.handshake : swapHandshake(g.handshake);
    if (f.app === null && g.app !== null) {
      f.app = g.app;
      f.appName = g.appName;
    }
  }
  return [...out.values()];
}

function mergeConversations(first: IpConversation[], second: IpConversation[], frameOffset: number): IpConversation[] {
  const out = new Map<string, IpConversation>();
  for (const c of first) out.set(endpointsKey(c.proto, c.a, 0, c.b, 0).key, { ...c });
  for (const d of second) {
    const k = endpointsKey(d.proto, d.a, 0, d.b, 0).key;
    const c = out.get(k);
    if (!c) {
      out.set(k, { ...d, firstPacket: d.firstPacket + frameOffset });
      continue;
    }
    const same = c.a === d.a;
    c.packetsAB += same ? d.packetsAB : d.packetsBA;
    c.bytesAB += same ? d.bytesAB : d.bytesBA;
    c.packetsBA += same ? d.packetsBA : d.packetsAB;
    c.bytesBA += same ? d.bytesBA : d.bytesAB;
    c.start = Math.min(c.start, d.start);
    c.end = Math.max(c.end, d.end);
  }
  return [...out.values()].sort((x, y) => x.proto - y.proto || x.firstPacket - y.firstPacket);
}

function mergeSeries(first: Report, second: Report): Report['timeSeries'] {
  const ts = timeSeriesFromReport(first.timeSeries);
  ts.absorb(timeSeriesFromReport(second.timeSeries));
  return timeSeriesReport(ts);
}
