// One reused scratch per decoder: decodeFrame() resets and fills it for every packet,
// so the hot path allocates nothing (gopacket's DecodingLayerParser idea).

export const FRAG = { NONE: 0, FIRST: 1, NONFIRST: 2 } as const;

/** Why no IP header was shown for a frame (0 when one was). */
export const NO_IP = {
  NONE: 0,
  /** The link layer carries something other than IP (ARP, STP, LLC, ...). */
  NOT_IP: 1,
  /** The link type is not one Porthole decodes. */
  LINK_UNSUPPORTED: 2,
  /** The link-layer header itself was cut by the snap length. */
  LINK_TRUNCATED: 3,
  /** An IP header too short, cut, or contradicting itself (IHL < 5, total length < header). */
  IP_INCOMPLETE: 4,
} as const;

export const NO_IP_NAMES: Record<number, string> = {
  [NO_IP.NOT_IP]: 'not IP at the link layer',
  [NO_IP.LINK_UNSUPPORTED]: 'link type not decoded',
  [NO_IP.LINK_TRUNCATED]: 'link-layer header cut short',
  [NO_IP.IP_INCOMPLETE]: 'IP header truncated or malformed',
};

export class DecodedPacket {
  /** 0 without IP, else 4 or 6. */
  ipVersion = 0;
  /** NO_IP code explaining ipVersion 0. */
  noIpReason: number = NO_IP.NONE;
  /** Source words 0..3, destination words 4..7; IPv4 uses words 0 and 4. */
  readonly addr = new Uint32Array(8);
  /** IP protocol / IPv6 next header after extension headers; -1 without IP. */
  l4 = -1;
  /** Transport ports, -1 when absent. */
  sport = -1;
  dport = -1;
  /** TCP flags byte, -1 when not captured or not TCP. */
  tcpFlags = -1;
  frag: number = FRAG.NONE;
  /** The IPv4 link type carried an IPv6 header (tshark dissects it as IPv6). */
  ipv6UnderIpv4 = false;
  /** Byte offset of the IP header within the frame, -1 without IP. */
  ipOffset = -1;
  /** Byte offset of the transport header within the frame, -1 when not reached. */
  l4Offset = -1;
  /** Bytes of the IP datagram after the transport header offset that lie inside the datagram. */
  l4Len = 0;
  /** Offset of the TCP/UDP payload within the frame, -1 when the header was not captured whole. */
  payloadOffset = -1;

  reset(): void {
    this.ipVersion = 0;
    this.noIpReason = NO_IP.NONE;
    this.l4 = -1;
    this.sport = -1;
    this.dport = -1;
    this.tcpFlags = -1;
    this.frag = FRAG.NONE;
    this.ipv6UnderIpv4 = false;
    this.ipOffset = -1;
    this.l4Offset = -1;
    this.l4Len = 0;
    this.payloadOffset = -1;
  }
}
