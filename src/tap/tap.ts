import { u16be, u32be } from '../decoder/bytes';
import { decodeFrame } from '../decoder/decode-frame';
import { DecodedPacket, type IpLayer } from '../decoder/decoded-packet';
import type { PacketRecord, PacketSink } from '../decoder/packet-record';
import { portClass } from '../net/port-class';
import { AnalysisState } from './analysis-state';
import { TUNNEL_CHAIN_DEEP } from './flow-table';

export interface TapOptions {
  /** Cap on distinct flows (and on distinct IP conversations without ports). */
  maxFlows?: number;
  /** Recognize services from the first payload bytes of each flow (default true). */
  inspectPayloads?: boolean;
}

/**
 * The per-packet "tap": decode the frame into one reused scratch and add it to the state's
 * counters, flow table and time series. Nothing per packet allocates; names, labels and
 * sorting wait for the views.
 */
export class Tap implements PacketSink {
  readonly decoded = new DecodedPacket();
  readonly state: AnalysisState;
  /** Scratch for the datagram quoted inside ICMP errors. */
  private readonly quoted = new DecodedPacket();
  private readonly inspectPayloads: boolean;

  constructor(state: AnalysisState, options: TapOptions = {}) {
    this.state = state;
    this.inspectPayloads = options.inspectPayloads ?? true;
  }

  static create(source: AnalysisState['source'], options: TapOptions = {}): Tap {
    return new Tap(new AnalysisState(source, options.maxFlows), options);
  }

  packet(r: PacketRecord): void {
    const d = this.decoded;
    const s = this.state;
    decodeFrame(r.bytes, r.offset, r.caplen, r.linkType, d);
    const hasTime = r.hasTime;
    const ts = r.tsSec + r.tsNs * 1e-9;
    const len = r.origLen;
    s.stats.add(d, r.linkType, len, r.caplen, ts, hasTime);
    if (d.ipVersion === 0) return;
    if (d.sport >= 0) {
      const row = s.flows.add(d, 0, len, ts, hasTime, r.number);
      if (this.inspectPayloads && row >= 0 && d.payloadOffset >= 0) {
        s.payloads.inspect(row, r.number, r.bytes, d.payloadOffset, d.l4Offset + d.l4Len, d.l4 === 17);
      }
      if (hasTime) s.series.add(ts, len, d.l4, likelyServicePort(d.sport, d.dport));
    } else {
      s.ipPairs.add(d, 0, len, ts, hasTime, r.number);
      if (hasTime) s.series.add(ts, len, d.l4, -1);
      if ((d.l4 === 1 || d.l4 === 58) && d.l4Offset >= 0) this.icmpError(r.bytes, d);
    }
    for (let i = 0; i < d.tunnelDepth; i++) this.tunnelled(r, d.inner[i]!, len, ts, hasTime);
  }

  /**
   * A TCP/UDP layer inside a tunnel: a flow of its own, keyed with its encapsulation chain, as
   * Wireshark's Conversations count it. Only flows: the frame's packets and bytes, the time
   * series and the IP conversations stay with the outermost layer, so nothing is counted twice.
   */
  private tunnelled(r: PacketRecord, l: IpLayer, len: number, ts: number, hasTime: boolean): void {
    // Like tshark's conversation taps, only a transport header captured whole counts (the
    // outermost layer's contract keeps any flow whose ports were captured).
    if (l.ipVersion === 0 || l.sport < 0 || l.payloadOffset < 0) return;
    const row = this.state.flows.add(l, keyChain(l.chain), len, ts, hasTime, r.number);
    if (this.inspectPayloads && row >= 0) {
      this.state.payloads.inspect(row, r.number, r.bytes, l.payloadOffset, l.l4Offset + l.l4Len, l.l4 === 17);
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
    this.state.marks.mark(q);
  }
}

function keyChain(chain: number): number {
  return chain < TUNNEL_CHAIN_DEEP ? chain : TUNNEL_CHAIN_DEEP;
}

/** Per-packet guess of the service end for the time series: lower IANA class, then lower port. */
function likelyServicePort(sport: number, dport: number): number {
  const cs = portClass(sport);
  const cd = portClass(dport);
  if (cs !== cd) return cs < cd ? sport : dport;
  return sport < dport ? sport : dport;
}
