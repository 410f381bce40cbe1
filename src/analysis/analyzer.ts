import { decodeFrame } from '../decoder/decode-frame';
import { u16be, u32be } from '../decoder/bytes';
import { DecodedPacket } from '../decoder/decoded-packet';
import type { PacketRecord, PacketSink } from '../decoder/packet-record';
import { DecodeStats } from './decode-stats';
import { DEFAULT_MAX_FLOWS, FlowTable } from './flow-table';
import { PayloadInspector } from './payload-inspector';
import { portClass } from './port-class';
import { TimeSeries } from './time-series';

export interface AnalyzerOptions {
  /** Cap on distinct flows (and on distinct non-port IP conversations). */
  maxFlows?: number;
  /** Recognize services from the first payload bytes of each flow (default true). */
  inspectPayloads?: boolean;
}

/**
 * The per-packet "tap": decode the frame into one reused scratch and add it to the counters,
 * the flow table and the time series. Everything expensive (names, labels, sorting) waits
 * for buildReport().
 */
export class Analyzer implements PacketSink {
  readonly decoded = new DecodedPacket();
  readonly stats = new DecodeStats();
  readonly flows: FlowTable;
  /** IP traffic without ports (ICMP, GRE, ESP, non-first fragments, ...) per protocol and address pair. */
  readonly ipPairs: FlowTable;
  readonly series = new TimeSeries();
  readonly payloads = new PayloadInspector();
  /** Scratch for the datagram quoted inside ICMP errors. */
  private readonly quoted = new DecodedPacket();
  private readonly inspectPayloads: boolean;

  constructor(options: AnalyzerOptions = {}) {
    this.flows = new FlowTable(options.maxFlows ?? DEFAULT_MAX_FLOWS);
    this.ipPairs = new FlowTable(options.maxFlows ?? DEFAULT_MAX_FLOWS);
    this.inspectPayloads = options.inspectPayloads ?? true;
  }

  packet(r: PacketRecord): void {
    const d = this.decoded;
    decodeFrame(r.bytes, r.offset, r.caplen, r.linkType, d);
    const ts = r.tsSec + r.tsNs * 1e-9;
    const len = r.origLen;
    this.stats.add(d, r.linkType, len, r.caplen, ts);
    if (d.ipVersion === 0) return;
    if (d.sport >= 0) {
      const row = this.flows.add(d, len, ts, r.number);
      if (this.inspectPayloads && row >= 0 && d.payloadOffset >= 0) {
        this.payloads.inspect(row, r.bytes, d.payloadOffset, d.l4Offset + d.l4Len, d.l4 === 17);
      }
      this.series.add(ts, len, d.l4, likelyServicePort(d.sport, d.dport));
    } else {
      this.ipPairs.add(d, len, ts, r.number);
      this.series.add(ts, len, d.l4, -1);
      if ((d.l4 === 1 || d.l4 === 58) && d.l4Offset >= 0) this.icmpError(r.bytes, d);
    }
  }

  /** ICMP/ICMPv6 port unreachable (RFC 792, RFC 4443): mark the quoted UDP flow as refused. */
  private icmpError(b: Uint8Array, d: DecodedPacket): void {
    const o = d.l4Offset;
    const end = o + d.l4Len;
    if (o + 8 > end) return;
    const v4 = d.l4 === 1;
    if (v4 ? b[o] !== 3 || b[o + 1] !== 3 : b[o] !== 1 || b[o + 1] !== 4) return;
    const q = this.quoted;
    q.reset();
    const ip = o + 8;
    let udp: number;
    if (v4) {
      if (ip + 20 > end || b[ip]! >> 4 !== 4 || b[ip + 9] !== 17) return;
      udp = ip + (b[ip]! & 0x0f) * 4;
      q.ipVersion = 4;
      q.addr[0] = u32be(b, ip + 12);
      q.addr[4] = u32be(b, ip + 16);
    } else {
      if (ip + 40 > end || b[ip]! >> 4 !== 6 || b[ip + 6] !== 17) return;
      udp = ip + 40;
      q.ipVersion = 6;
      for (let i = 0; i < 4; i++) {
        q.addr[i] = u32be(b, ip + 8 + 4 * i);
        q.addr[4 + i] = u32be(b, ip + 24 + 4 * i);
      }
    }
    if (udp + 4 > end) return;
    q.l4 = 17;
    q.sport = u16be(b, udp);
    q.dport = u16be(b, udp + 2);
    this.flows.markUnreachable(q);
  }
}

/** Per-packet guess of the service end for the time series: lower IANA class, then lower port. */
function likelyServicePort(sport: number, dport: number): number {
  const cs = portClass(sport);
  const cd = portClass(dport);
  if (cs !== cd) return cs < cd ? sport : dport;
  return sport < dport ? sport : dport;
}
