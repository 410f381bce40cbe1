import type { DecodedPacket } from '../decoder/decoded-packet';
import { FRAG } from '../decoder/decoded-packet';

export const NO_IP_REASONS = 5;

/**
 * Per-packet counters of what the decoder saw: link types, why frames had no IP, IP versions,
 * transport protocols, fragments. Nothing is dropped silently: every packet lands in exactly
 * one no-IP reason or one IP version.
 */
export class DecodeStats {
  packets = 0;
  bytes = 0;
  capturedBytes = 0;
  /** Frames whose captured length is shorter than their wire length (snaplen). */
  sliced = 0;
  ipv4Packets = 0;
  ipv4Bytes = 0;
  ipv6Packets = 0;
  ipv6Bytes = 0;
  /** Indexed by NO_IP reason. */
  readonly noIpPackets = new Float64Array(NO_IP_REASONS);
  readonly noIpBytes = new Float64Array(NO_IP_REASONS);
  /** Indexed by IP protocol number (l4). */
  readonly l4Packets = new Float64Array(256);
  readonly l4Bytes = new Float64Array(256);
  portPackets = 0;
  portBytes = 0;
  firstFragments = 0;
  nonFirstFragments = 0;
  ipv6UnderIpv4 = 0;
  /** Link type -> [packets, bytes]; few distinct values, so a Map is fine (last one cached). */
  readonly linkTypes = new Map<number, Float64Array>();
  private lastLinkType = -1;
  private lastLinkCounts: Float64Array = new Float64Array(2);
  firstTs = Infinity;
  lastTs = -Infinity;

  add(d: DecodedPacket, linkType: number, wireLen: number, caplen: number, ts: number, hasTime: boolean): void {
    this.packets++;
    this.bytes += wireLen;
    this.capturedBytes += caplen;
    if (caplen < wireLen) this.sliced++;
    if (hasTime) {
      if (ts < this.firstTs) this.firstTs = ts;
      if (ts > this.lastTs) this.lastTs = ts;
    }
    if (linkType !== this.lastLinkType) {
      let counts = this.linkTypes.get(linkType);
      if (counts === undefined) {
        counts = new Float64Array(2);
        this.linkTypes.set(linkType, counts);
      }
      this.lastLinkType = linkType;
      this.lastLinkCounts = counts;
    }
    this.lastLinkCounts[0]++;
    this.lastLinkCounts[1] += wireLen;
    if (d.ipVersion === 0) {
      this.noIpPackets[d.noIpReason]++;
      this.noIpBytes[d.noIpReason] += wireLen;
      return;
    }
    if (d.ipVersion === 4) {
      this.ipv4Packets++;
      this.ipv4Bytes += wireLen;
    } else {
      this.ipv6Packets++;
      this.ipv6Bytes += wireLen;
    }
    if (d.ipv6UnderIpv4) this.ipv6UnderIpv4++;
    this.l4Packets[d.l4 & 0xff]++;
    this.l4Bytes[d.l4 & 0xff] += wireLen;
    if (d.sport >= 0) {
      this.portPackets++;
      this.portBytes += wireLen;
    }
    if (d.frag === FRAG.FIRST) this.firstFragments++;
    else if (d.frag === FRAG.NONFIRST) this.nonFirstFragments++;
  }

  /** Add another part's counters (exact: sums, min and max). */
  absorb(o: DecodeStats): void {
    this.packets += o.packets;
    this.bytes += o.bytes;
    this.capturedBytes += o.capturedBytes;
    this.sliced += o.sliced;
    this.ipv4Packets += o.ipv4Packets;
    this.ipv4Bytes += o.ipv4Bytes;
    this.ipv6Packets += o.ipv6Packets;
    this.ipv6Bytes += o.ipv6Bytes;
    for (let i = 0; i < NO_IP_REASONS; i++) {
      this.noIpPackets[i] += o.noIpPackets[i]!;
      this.noIpBytes[i] += o.noIpBytes[i]!;
    }
    for (let i = 0; i < 256; i++) {
      this.l4Packets[i] += o.l4Packets[i]!;
      this.l4Bytes[i] += o.l4Bytes[i]!;
    }
    this.portPackets += o.portPackets;
    this.portBytes += o.portBytes;
    this.firstFragments += o.firstFragments;
    this.nonFirstFragments += o.nonFirstFragments;
    this.ipv6UnderIpv4 += o.ipv6UnderIpv4;
    for (const [linkType, c] of o.linkTypes) this.addLinkType(linkType, c[0]!, c[1]!);
    if (o.firstTs < this.firstTs) this.firstTs = o.firstTs;
    if (o.lastTs > this.lastTs) this.lastTs = o.lastTs;
  }

  addLinkType(linkType: number, packets: number, bytes: number): void {
    let counts = this.linkTypes.get(linkType);
    if (counts === undefined) this.linkTypes.set(linkType, (counts = new Float64Array(2)));
    counts[0] += packets;
    counts[1] += bytes;
  }
}
