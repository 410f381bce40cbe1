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

/** Tunnels followed below the outermost IP layer at most (a crafted frame cannot nest forever). */
export const TUNNEL_DEPTH_CAP = 4;

/**
 * One IP layer and what follows it: the outermost one, or one reached through a tunnel.
 * Every decoder fills this one class, so the hot functions stay monomorphic.
 */
export class IpLayer {
  /** 0 without IP, else 4 or 6. */
  ipVersion = 0;
  /** NO_IP code explaining ipVersion 0. */
  noIpReason: number = NO_IP.NONE;
  /**
   * Where decoding stopped without IP: the table the decoder looked the next protocol up in
   * (STOP_TABLE in encapsulations.ts) and the value it found there (stopType). For NOT_IP and
   * LINK_UNSUPPORTED the value it does not follow to IP; for LINK_TRUNCATED the header that
   * was cut; for IP_INCOMPLETE STOP_TABLE.IP_VERSION and the version nibble (-1 if not captured).
   * encapsulationInfo(stopTable, stopType) gives Wireshark's name and the reason.
   */
  stopTable = 0;
  stopType = -1;
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
  /** Byte offset of the transport header within the frame, -1 when not reached (TCP, UDP, ICMP only). */
  l4Offset = -1;
  /** Bytes of the IP datagram after the transport header offset that lie inside the datagram. */
  l4Len = 0;
  /** Offset of the TCP/UDP payload within the frame, -1 when the header was not captured whole. */
  payloadOffset = -1;
  /**
   * Offset of what follows the IP header (and the IPv6 extension headers), -1 for a non-first
   * fragment or a cut extension chain; dataEnd is where it stops (captured and inside the datagram).
   * Tunnels are followed from here.
   */
  dataOffset = -1;
  dataEnd = -1;
  /** Encapsulation chain up to this layer (0 for the outermost; tunnelChainName() names it). */
  chain = 0;

  reset(): void {
    this.ipVersion = 0;
    this.noIpReason = NO_IP.NONE;
    this.stopTable = 0;
    this.stopType = -1;
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
    this.dataOffset = -1;
    this.dataEnd = -1;
    this.chain = 0;
  }
}

/** A layer reached through a tunnel: the same fields as the outer scratch. */
export type InnerLayer = IpLayer;

/**
 * The scratch for one frame. It is itself the outermost IP layer (the fields above, as before:
 * ipVersion, addr, l4, ports, ... and stopTable/stopType when there is no IP), so plain frames
 * cost nothing extra; tunnels fill `inner`.
 */
export class DecodedPacket extends IpLayer {
  /**
   * Tunnels followed below the outermost IP layer (0 = none). inner[0 .. tunnelDepth-1] are
   * the IP layers reached after each encapsulation, outermost first; each has its transport
   * fields and its `chain` (tunnelChainName). Entries at tunnelDepth and beyond are stale.
   * Like tshark's conversation tables, count a frame in every TCP/UDP layer it contains.
   */
  tunnelDepth = 0;
  readonly inner: InnerLayer[];
  /** layers[0] is this packet (the outermost layer); layers[i + 1] === inner[i]. */
  readonly layers: IpLayer[];
  /** Layers touched by the last frame (inner ones are reset lazily, so plain frames pay nothing). */
  usedLayers = 1;

  constructor() {
    super();
    const inner: IpLayer[] = [];
    for (let i = 0; i < TUNNEL_DEPTH_CAP; i++) inner.push(new IpLayer());
    this.inner = inner;
    this.layers = [this as IpLayer, ...inner];
  }

  override reset(): void {
    super.reset();
    const layers = this.layers;
    for (let i = 1; i < this.usedLayers; i++) layers[i]!.reset();
    this.usedLayers = 1;
    this.tunnelDepth = 0;
  }
}
