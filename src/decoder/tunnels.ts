// Tunnels below the outermost IP layer, followed as Wireshark 4.0 does by default (by IP protocol
// number and registered UDP port, no heuristics a user must enable), to at most TUNNEL_DEPTH_CAP
// further IP layers. Every layer is kept: tshark's conversation tables count a frame in each.
import { u16be } from './bytes';
import { DecodedPacket, type IpLayer, TUNNEL_DEPTH_CAP } from './decoded-packet';
import { decodeEthertype, ETHERTYPE, NEXT_ETHERNET, NEXT_NONE, nextProtoType } from './ethertype';
import { isRegisteredUdpPort } from './udp-ports';
import { decodeMpls } from './mpls';
import { decodeNetwork, NET } from './network';
import { decodePppHdlc } from './ppp';
import { DETAIL, MAX_SHIMS, notIp, shims, STOP_TABLE, truncated } from './stop';
import { IP_PROTO } from './transport';
import { decode80211 } from './wlan';

/** Encapsulation kinds; a chain id is these digits in base CHAIN_BASE, outermost first. */
export const TUNNEL = {
  NONE: 0,
  IPIP: 1,
  SIX_IN_FOUR: 2,
  FOUR_IN_SIX: 3,
  SIX_IN_SIX: 4,
  GRE: 5,
  GRE_ERSPAN: 6,
  VXLAN: 7,
  VXLAN_GPE: 8,
  GENEVE: 9,
  TEREDO: 10,
  GTP_U: 11,
  L2TP: 12,
  ETHERIP: 13,
  MPLS_IN_IP: 14,
  ETHERNET_IN_IP: 15,
  PIM: 16,
  GRE_IN_UDP: 17,
  MPLS_IN_UDP: 18,
  LISP: 19,
} as const;

export const TUNNEL_NAMES: readonly string[] = [
  '', 'ipip', '6in4', '4in6', '6in6', 'gre', 'gre/erspan', 'vxlan', 'vxlan-gpe', 'geneve', 'teredo', 'gtp-u',
  'l2tp', 'etherip', 'mpls-in-ip', 'ethernet-in-ip', 'pim', 'gre-in-udp', 'mpls-in-udp', 'lisp',
];

export const TUNNEL_CHAIN_BASE = 32;
const CHAIN_BASE = TUNNEL_CHAIN_BASE;
const chainNames = new Map<number, string>();

/** "vxlan", "gre/erspan", "vxlan/gre", ...: the encapsulations from the outside in (built once per id). */
export function tunnelChainName(id: number): string {
  let name = chainNames.get(id);
  if (name !== undefined) return name;
  const parts: string[] = [];
  for (let v = id; v > 0; v = Math.floor(v / CHAIN_BASE)) parts.unshift(TUNNEL_NAMES[v % CHAIN_BASE] ?? `tunnel-${v % CHAIN_BASE}`);
  name = parts.join('/');
  chainNames.set(id, name);
  return name;
}

/** UDP ports whose dissector leads to IP (Wireshark's udp.port table). */
export const TUNNEL_UDP_PORT = {
  L2TP: 1701,
  GTP_C: 2123,
  GTP_U: 2152,
  TEREDO: 3544,
  LISP_DATA: 4341,
  GRE_IN_UDP: 4754,
  VXLAN: 4789,
  VXLAN_GPE: 4790,
  GENEVE: 6081,
  MPLS_IN_UDP: 6635,
} as const;

/** IP protocol numbers (ip.proto) that carry another network layer. */
const TUNNEL_PROTO = {
  IPIP: 4,
  IPV6: 41,
  ETHERIP: 97,
  PIM: 103,
  L2TPV3: 115,
  MPLS_IN_IP: 137,
  ETHERNET: 143,
} as const;

const UDP = { LENGTH: 4, LEN: 8 } as const;
/** RFC 2784/2890/1701 GRE: flags and version, protocol; optional checksum+offset, key, sequence, routing. */
const GRE = { FLAGS: 0, PROTO: 2, LEN: 4, C: 0x8000, R: 0x4000, K: 0x2000, S: 0x1000, A: 0x0080 } as const;
/** gre.proto values with their own handling (the rest map like the ethertype table where Wireshark registers them). */
const GRE_PROTO = {
  ERSPAN_II: 0x88be,
  ERSPAN_III: 0x22eb,
  PPP: 0x880b,
  WCCP: 0x883e,
  TEB_OLD: 0x6400,
  ARUBA_FIRST: 0x8200,
  ARUBA_LAST: 0x8270,
} as const;
/**
 * ERSPAN version in the top nibble: 1 = type II (8 bytes), 2 = type III (12, + 8 with the O flag);
 * type III's 5-bit frame type (bits 14..10 of bytes 10-11) is 0 for Ethernet.
 */
const ERSPAN = { VERSION: 0, TYPE2_LEN: 8, TYPE3_LEN: 12, TYPE3_FT: 10, TYPE3_O_BYTE: 11, TYPE3_O_BIT: 0x01, PLATFORM_LEN: 8 } as const;
/** Cisco MetaData inside GRE (packet-cisco-metadata.c): the next protocol comes first. */
const CMD_GRE = { TYPE: 0, LEN: 8 } as const;
/** VXLAN (RFC 7348) and VXLAN-GPE: 8 bytes; GPE's next protocol at byte 3. */
const VXLAN = { NEXT: 3, LEN: 8 } as const;
/** Geneve (RFC 8926): version and option length in 4-byte words, flags, protocol type (an ethertype). */
const GENEVE = { VER_OPTLEN: 0, PROTO: 2, LEN: 8 } as const;
/** Teredo (RFC 4380) indicators before the IPv6 packet. */
const TEREDO = { AUTH: 0x0001, ORIGIN: 0x0000, AUTH_LEN: 13, ORIGIN_LEN: 8 } as const;
/** GTPv1: flags (version 1, PT, E, S, PN), type (0xFF = T-PDU), length, TEID; 4 more with E/S/PN. */
const GTP = { FLAGS: 0, TYPE: 1, LEN: 8, OPT_LEN: 4, NEXT_EXT: 11, VERSION_1: 1, PT: 0x10, ESPN: 0x07, TPDU: 0xff } as const;
/** L2TPv2 (RFC 2661): T, L, S, O flags and version 2; then tunnel and session ids. */
const L2TP = { FLAGS: 0, T: 0x8000, L: 0x4000, S: 0x0800, O: 0x0200, VERSION_MASK: 0x000f, VERSION_2: 2 } as const;
/** PIM version 2 Register (RFC 7761 §4.9.3): header (4) and flags (4), then the packet. */
const PIM = { VER_TYPE: 0, REGISTER: 0x21, LEN: 8 } as const;
/** LISP data header (RFC 9300): 8 bytes, then an IP packet. */
const LISP_LEN = 8;
/** EtherIP (RFC 3378): version and reserved (2 bytes), then an Ethernet frame. */
const ETHERIP_LEN = 2;

/**
 * Follow tunnels from the outermost layer (layers[0], already decoded) inward. Fills
 * p.inner[0 .. tunnelDepth-1]; a layer whose IP header could not be shown ends the chain.
 */
export function followTunnels(b: Uint8Array, p: DecodedPacket): void {
  const layers = p.layers;
  let outer = layers[0]!;
  let depth = 0;
  while (depth < TUNNEL_DEPTH_CAP && outer.ipVersion !== 0 && outer.dataOffset >= 0) {
    const kind = tunnelKind(b, outer);
    if (kind === TUNNEL.NONE) break;
    const inner = layers[depth + 1]!;
    if (depth + 2 > p.usedLayers) p.usedLayers = depth + 2;
    inner.reset();
    shims.left = MAX_SHIMS;
    const found = decodeTunnel(kind, b, outer, inner);
    if (inner.ipVersion === 0) break;
    inner.chain = outer.chain * CHAIN_BASE + found;
    depth++;
    outer = inner;
  }
  p.tunnelDepth = depth;
}

/** Which encapsulation follows this layer's IP header, by protocol number and UDP port. */
function tunnelKind(b: Uint8Array, l: IpLayer): number {
  switch (l.l4) {
    case TUNNEL_PROTO.IPIP: return l.ipVersion === 4 ? TUNNEL.IPIP : TUNNEL.FOUR_IN_SIX;
    case TUNNEL_PROTO.IPV6: return l.ipVersion === 4 ? TUNNEL.SIX_IN_FOUR : TUNNEL.SIX_IN_SIX;
    case IP_PROTO.GRE: return TUNNEL.GRE;
    case TUNNEL_PROTO.ETHERIP: return TUNNEL.ETHERIP;
    case TUNNEL_PROTO.MPLS_IN_IP: return TUNNEL.MPLS_IN_IP;
    case TUNNEL_PROTO.ETHERNET: return TUNNEL.ETHERNET_IN_IP;
    case TUNNEL_PROTO.PIM: return TUNNEL.PIM;
    case IP_PROTO.UDP: return udpTunnelKind(b, l);
    default: return TUNNEL.NONE;
  }
}

/**
 * packet-udp.c decode_udp_ports: the lower port's dissector first, then the higher one; a port
 * registered to anything else wins, a zero port is skipped. The UDP header must be whole and its
 * length at least 9 (the dissector stops at a bogus length or an empty payload).
 */
function udpTunnelKind(b: Uint8Array, l: IpLayer): number {
  if (l.payloadOffset < 0 || l.sport < 0) return TUNNEL.NONE;
  const ulen = u16be(b, l.dataOffset + UDP.LENGTH);
  // RFC 2675: a zero length over IPv6 is a jumbogram running to the end of the IP payload.
  if (ulen <= UDP.LEN && !(ulen === 0 && l.ipVersion === 6)) return TUNNEL.NONE;
  const low = l.sport < l.dport ? l.sport : l.dport;
  const high = l.sport < l.dport ? l.dport : l.sport;
  if (low !== 0 && isRegisteredUdpPort(low)) return udpPortKind(low);
  if (high !== 0 && isRegisteredUdpPort(high)) return udpPortKind(high);
  return TUNNEL.NONE;
}

function isUdpKind(kind: number): boolean {
  return (kind >= TUNNEL.VXLAN && kind <= TUNNEL.L2TP) || kind >= TUNNEL.GRE_IN_UDP;
}

function udpPortKind(port: number): number {
  switch (port) {
    case TUNNEL_UDP_PORT.VXLAN: return TUNNEL.VXLAN;
    case TUNNEL_UDP_PORT.VXLAN_GPE: return TUNNEL.VXLAN_GPE;
    case TUNNEL_UDP_PORT.GENEVE: return TUNNEL.GENEVE;
    case TUNNEL_UDP_PORT.TEREDO: return TUNNEL.TEREDO;
    case TUNNEL_UDP_PORT.GTP_U:
    case TUNNEL_UDP_PORT.GTP_C: return TUNNEL.GTP_U;
    case TUNNEL_UDP_PORT.L2TP: return TUNNEL.L2TP;
    case TUNNEL_UDP_PORT.LISP_DATA: return TUNNEL.LISP;
    case TUNNEL_UDP_PORT.GRE_IN_UDP: return TUNNEL.GRE_IN_UDP;
    case TUNNEL_UDP_PORT.MPLS_IN_UDP: return TUNNEL.MPLS_IN_UDP;
    default: return TUNNEL.NONE;
  }
}

/** Decode the encapsulation after `outer` into `inner`; returns the kind found (GRE may turn out to be ERSPAN). */
function decodeTunnel(kind: number, b: Uint8Array, outer: IpLayer, inner: IpLayer): number {
  let off = outer.dataOffset;
  let end = outer.dataEnd;
  if (isUdpKind(kind)) {
    // UDP payload: cut at the UDP length when that is shorter (decode_udp_ports).
    const ulen = u16be(b, off + UDP.LENGTH);
    if (ulen !== 0 && off + ulen < end) end = off + ulen;
    off += UDP.LEN;
  }
  switch (kind) {
    case TUNNEL.IPIP:
    case TUNNEL.FOUR_IN_SIX:
      decodeNetwork(b, off, end, NET.IPV4, inner);
      return kind;
    case TUNNEL.SIX_IN_FOUR:
    case TUNNEL.SIX_IN_SIX:
      decodeNetwork(b, off, end, NET.IPV6, inner);
      return kind;
    case TUNNEL.GRE:
      return decodeGre(b, off, end, inner, TUNNEL.GRE);
    case TUNNEL.GRE_IN_UDP:
      return decodeGre(b, off, end, inner, TUNNEL.GRE_IN_UDP);
    case TUNNEL.ETHERIP:
      if (off + ETHERIP_LEN > end) truncated(inner, STOP_TABLE.DETAIL, DETAIL.TUNNEL_HEADER_CUT);
      else decodeEthertype(b, off + ETHERIP_LEN, end, NEXT_ETHERNET, inner);
      return kind;
    case TUNNEL.MPLS_IN_IP:
    case TUNNEL.MPLS_IN_UDP:
      decodeMpls(b, off, end, inner);
      return kind;
    case TUNNEL.ETHERNET_IN_IP:
      decodeEthertype(b, off, end, NEXT_ETHERNET, inner);
      return kind;
    case TUNNEL.PIM:
      if (off + PIM.LEN > end) cut(inner);
      else if (b[off + PIM.VER_TYPE] === PIM.REGISTER) decodeNetwork(b, off + PIM.LEN, end, NET.ANY, inner);
      else notFollowed(inner);
      return kind;
    case TUNNEL.VXLAN:
      if (off + VXLAN.LEN <= end) decodeEthertype(b, off + VXLAN.LEN, end, NEXT_ETHERNET, inner);
      else cut(inner);
      return kind;
    case TUNNEL.VXLAN_GPE: {
      if (off + VXLAN.LEN > end) {
        cut(inner);
        return kind;
      }
      const type = nextProtoType(b[off + VXLAN.NEXT]!, inner);
      if (type !== NEXT_NONE) decodeEthertype(b, off + VXLAN.LEN, end, type, inner);
      return kind;
    }
    case TUNNEL.GENEVE: {
      if (off + GENEVE.LEN > end) {
        cut(inner);
        return kind;
      }
      const optLen = (b[off + GENEVE.VER_OPTLEN]! & 0x3f) * 4;
      decodeEthertype(b, off + GENEVE.LEN + optLen, end, u16be(b, off + GENEVE.PROTO), inner);
      return kind;
    }
    case TUNNEL.TEREDO:
      decodeTeredo(b, off, end, inner);
      return kind;
    case TUNNEL.GTP_U:
      decodeGtp(b, off, end, inner);
      return kind;
    case TUNNEL.L2TP:
      decodeL2tp(b, off, end, inner);
      return kind;
    case TUNNEL.LISP:
      if (off + LISP_LEN <= end) decodeNetwork(b, off + LISP_LEN, end, NET.ANY, inner);
      else cut(inner);
      return kind;
    default:
      return kind;
  }
}

/** GRE header (packet-gre.c), then the gre.proto table. */
function decodeGre(b: Uint8Array, off: number, end: number, p: IpLayer, kind: number): number {
  if (off + GRE.LEN > end) {
    truncated(p, STOP_TABLE.GRE, -1);
    return kind;
  }
  const flags = u16be(b, off + GRE.FLAGS);
  const proto = u16be(b, off + GRE.PROTO);
  let o = off + GRE.LEN;
  if (flags & (GRE.C | GRE.R)) o += 4;
  if (flags & GRE.K) o += 4;
  if (flags & GRE.S) o += 4;
  // Enhanced GRE (RFC 2637, PPTP) carries an acknowledgment number when A is set.
  if (proto === GRE_PROTO.PPP && flags & GRE.A) o += 4;
  if (flags & GRE.R) {
    // Source route entries until the NULL entry (family 0, length 0).
    for (;;) {
      if (o + 4 > end) {
        truncated(p, STOP_TABLE.GRE, proto);
        return kind;
      }
      const family = u16be(b, o);
      const len = b[o + 3]!;
      o += 4;
      if (family === 0 && len === 0) break;
      o += len;
    }
  }
  if (o > end) {
    truncated(p, STOP_TABLE.GRE, proto);
    return kind;
  }
  switch (proto) {
    case ETHERTYPE.IPV4:
      decodeNetwork(b, o, end, NET.IPV4, p);
      return kind;
    case ETHERTYPE.IPV6:
      decodeNetwork(b, o, end, NET.IPV6, p);
      return kind;
    case GRE_PROTO.WCCP:
      // WCCPv2 adds a 4-byte redirect header unless an IPv4 header starts right away.
      if (o < end && (b[o]! & 0xf0) !== 0x40) o += 4;
      decodeNetwork(b, o, end, NET.IPV4, p);
      return kind;
    case ETHERTYPE.TEB:
    case GRE_PROTO.TEB_OLD:
      decodeEthertype(b, o, end, NEXT_ETHERNET, p);
      return kind;
    case ETHERTYPE.MPLS:
    case ETHERTYPE.MPLS_MULTICAST:
      decodeMpls(b, o, end, p);
      return kind;
    case ETHERTYPE.NSH:
      decodeEthertype(b, o, end, proto, p);
      return kind;
    case ETHERTYPE.CMD:
      // Over GRE, Cisco MetaData puts the next protocol first: type, version, length, option, SGT.
      if (o + CMD_GRE.LEN > end) {
        truncated(p, STOP_TABLE.GRE, proto);
        return kind;
      }
      decodeEthertype(b, o + CMD_GRE.LEN, end, u16be(b, o + CMD_GRE.TYPE), p);
      return kind;
    case GRE_PROTO.PPP:
      decodePppHdlc(b, o, end, p);
      return kind;
    case GRE_PROTO.ERSPAN_II:
    case GRE_PROTO.ERSPAN_III:
      decodeErspan(b, o, end, proto === GRE_PROTO.ERSPAN_II && (flags & GRE.S) === 0, p);
      return TUNNEL.GRE_ERSPAN;
    default:
      if (proto >= GRE_PROTO.ARUBA_FIRST && proto <= GRE_PROTO.ARUBA_LAST && (proto & 0x0f) === 0) {
        // Aruba's GRE carries 802.11 frames without FCS.
        decode80211(b, o, end, false, p);
        return kind;
      }
      notIp(p, STOP_TABLE.GRE, proto);
      return kind;
  }
}

/**
 * ERSPAN (packet-erspan.c): protocol 0x88BE without a GRE sequence number is type I, a bare
 * Ethernet frame; otherwise the version nibble says type II (8-byte header) or III (12, + 8 with
 * the O flag, and only frame type 0 is Ethernet).
 */
function decodeErspan(b: Uint8Array, off: number, end: number, typeI: boolean, p: IpLayer): void {
  if (typeI) return decodeEthertype(b, off, end, NEXT_ETHERNET, p);
  if (off + 2 > end) return truncated(p, STOP_TABLE.GRE, GRE_PROTO.ERSPAN_II);
  const version = b[off + ERSPAN.VERSION]! >> 4;
  if (version === 1) return decodeEthertype(b, off + ERSPAN.TYPE2_LEN, end, NEXT_ETHERNET, p);
  if (version === 2) {
    if (off + ERSPAN.TYPE3_LEN > end) return truncated(p, STOP_TABLE.GRE, GRE_PROTO.ERSPAN_III);
    if (((u16be(b, off + ERSPAN.TYPE3_FT) >> 10) & 0x1f) !== 0) return notIp(p, STOP_TABLE.DETAIL, DETAIL.ERSPAN_VERSION);
    let o = off + ERSPAN.TYPE3_LEN;
    if (b[off + ERSPAN.TYPE3_O_BYTE]! & ERSPAN.TYPE3_O_BIT) o += ERSPAN.PLATFORM_LEN;
    return decodeEthertype(b, o, end, NEXT_ETHERNET, p);
  }
  notIp(p, STOP_TABLE.DETAIL, DETAIL.ERSPAN_VERSION);
}

/** Teredo: optional authentication and origin indicators, then IPv6. */
function decodeTeredo(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  let o = off;
  if (o + 2 <= end && u16be(b, o) === TEREDO.AUTH) {
    if (o + 4 > end) return truncated(p, STOP_TABLE.DETAIL, DETAIL.TUNNEL_HEADER_CUT);
    o += TEREDO.AUTH_LEN + b[o + 2]! + b[o + 3]!;
  }
  if (o + 2 <= end && u16be(b, o) === TEREDO.ORIGIN) o += TEREDO.ORIGIN_LEN;
  decodeNetwork(b, o, end, NET.IPV6, p);
}

/**
 * GTPv1-U T-PDU, dissected with Wireshark's default "TPDU heuristic": a first byte 0x45-0x4E is
 * IPv4, 0x6X is IPv6; anything else is not followed.
 */
function decodeGtp(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + GTP.LEN > end) return truncated(p, STOP_TABLE.DETAIL, DETAIL.TUNNEL_HEADER_CUT);
  const flags = b[off + GTP.FLAGS]!;
  if (flags >> 5 !== GTP.VERSION_1 || !(flags & GTP.PT) || b[off + GTP.TYPE] !== GTP.TPDU) return notFollowed(p);
  let o = off + GTP.LEN;
  if (flags & GTP.ESPN) {
    if (o + GTP.OPT_LEN > end) return cut(p);
    let next = b[off + GTP.NEXT_EXT]!;
    o += GTP.OPT_LEN;
    // Extension headers: a length in 4-byte units (including it), the last byte names the next one.
    while (next !== 0) {
      if (o >= end) return cut(p);
      const len = b[o]! * 4;
      if (len === 0 || o + len > end) return cut(p);
      next = b[o + len - 1]!;
      o += len;
    }
  }
  if (o >= end) return cut(p);
  const first = b[o]!;
  if (first >= 0x45 && first <= 0x4e) decodeNetwork(b, o, end, NET.IPV4, p);
  else if (first >> 4 === 6) decodeNetwork(b, o, end, NET.IPV6, p);
  else notFollowed(p);
}

/** L2TPv2 data message: optional length, Ns/Nr and offset fields, then PPP (address/control optional). */
function decodeL2tp(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + 2 > end) return cut(p);
  const flags = u16be(b, off + L2TP.FLAGS);
  if (flags & L2TP.T || (flags & L2TP.VERSION_MASK) !== L2TP.VERSION_2) return notFollowed(p);
  let o = off + 2;
  if (flags & L2TP.L) o += 2;
  o += 4; // tunnel id, session id
  if (flags & L2TP.S) o += 4;
  if (flags & L2TP.O) {
    if (o + 2 > end) return cut(p);
    o += 2 + u16be(b, o);
  }
  if (o > end) return cut(p);
  decodePppHdlc(b, o, end, p);
}


function cut(p: IpLayer): void {
  truncated(p, STOP_TABLE.DETAIL, DETAIL.TUNNEL_HEADER_CUT);
}

function notFollowed(p: IpLayer): void {
  notIp(p, STOP_TABLE.DETAIL, DETAIL.TUNNEL_NOT_FOLLOWED);
}
