import { u16be } from './bytes';
import type { IpLayer } from './decoded-packet';
import { decodeEthertype, NEXT_ETHERNET, NEXT_LLC } from './ethertype';
import { decodeMpls } from './mpls';
import { decodeNetwork, NET } from './network';
import { DETAIL, nest, notIp, STOP_TABLE, truncated } from './stop';
import { IP_PROTO, decodeTransport } from './transport';

/** ppp.protocol values Porthole follows (Wireshark also registers the ethertypes of IP there). */
export const PPP_PROTO = {
  IPV4: 0x0021,
  VJ_COMPRESSED: 0x002d,
  VJ_UNCOMPRESSED: 0x002f,
  BCP: 0x0031,
  MP: 0x003d,
  LLC: 0x004b,
  IPV6: 0x0057,
  MPLS: 0x0281,
  MPLS_MULTICAST: 0x0283,
  IPV4_ETHERTYPE: 0x0800,
  IPV6_ETHERTYPE: 0x86dd,
} as const;

/** RFC 1662 address and control bytes. */
const HDLC = { ADDRESS: 0xff, CONTROL: 0x03, LEN: 2 } as const;
/** RFC 1990 multilink header, long sequence numbers (Wireshark's default): B and E flags, then 24 bits. */
const MP = { FLAGS: 0, BEGIN_END: 0xc0, LEN: 4 } as const;
/** RFC 3518 bridging: flags (F, Z, B, pads), MAC type; 1 = IEEE 802.3/Ethernet. */
const BCP = { FLAGS: 0, MAC_TYPE: 1, LEN: 2, BRIDGE_CONTROL: 0x10, ETHERNET: 1 } as const;
/** Protocol field compression (RFC 1661 §6.5): an odd first byte is a one-byte protocol. */
const PFC_BIT = 0x01;

/** PPP without HDLC framing (PPPoE, PPP with direction): the protocol field, possibly compressed. */
export function decodePppNoFraming(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off >= end) return truncated(p, STOP_TABLE.PPP, -1);
  if (b[off]! & PFC_BIT) return decodePppProtocol(b, off + 1, end, b[off]!, p);
  if (off + 2 > end) return truncated(p, STOP_TABLE.PPP, -1);
  decodePppProtocol(b, off + 2, end, u16be(b, off), p);
}

/** PPP in HDLC-like framing (RFC 1662): optional FF 03, then a 1- or 2-byte protocol. */
export function decodePppHdlc(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + HDLC.LEN <= end && b[off] === HDLC.ADDRESS && b[off + 1] === HDLC.CONTROL) off += HDLC.LEN;
  decodePppNoFraming(b, off, end, p);
}

/** A PPP protocol number (RFC 1661) and its payload. */
export function decodePppProtocol(b: Uint8Array, off: number, end: number, proto: number, p: IpLayer): void {
  if (!nest(p)) return;
  switch (proto) {
    case PPP_PROTO.IPV4:
    case PPP_PROTO.IPV4_ETHERTYPE:
      decodeNetwork(b, off, end, NET.IPV4, p);
      return;
    case PPP_PROTO.IPV6:
    case PPP_PROTO.IPV6_ETHERTYPE:
      decodeNetwork(b, off, end, NET.IPV6, p);
      return;
    case PPP_PROTO.MPLS:
    case PPP_PROTO.MPLS_MULTICAST:
      decodeMpls(b, off, end, p);
      return;
    case PPP_PROTO.VJ_UNCOMPRESSED:
      decodeVjUncompressed(b, off, end, p);
      return;
    case PPP_PROTO.VJ_COMPRESSED:
      // The header is a delta against state from earlier packets: nothing to read alone.
      return notIp(p, STOP_TABLE.DETAIL, DETAIL.VJ_COMPRESSED);
    case PPP_PROTO.MP:
      // Only a packet that is its own first and last fragment is dissected without reassembly.
      if (off + MP.LEN > end) return truncated(p, STOP_TABLE.PPP, proto);
      if ((b[off + MP.FLAGS]! & MP.BEGIN_END) !== MP.BEGIN_END) return notIp(p, STOP_TABLE.DETAIL, DETAIL.MP_FRAGMENT);
      decodePppNoFraming(b, off + MP.LEN, end, p);
      return;
    case PPP_PROTO.BCP: {
      if (off + BCP.LEN > end) return truncated(p, STOP_TABLE.PPP, proto);
      if (b[off + BCP.FLAGS]! & BCP.BRIDGE_CONTROL || b[off + BCP.MAC_TYPE] !== BCP.ETHERNET) {
        return notIp(p, STOP_TABLE.DETAIL, DETAIL.BCP_MAC_TYPE);
      }
      decodeEthertype(b, off + BCP.LEN, end, NEXT_ETHERNET, p);
      return;
    }
    case PPP_PROTO.LLC:
      decodeEthertype(b, off, end, NEXT_LLC, p);
      return;
    default:
      notIp(p, STOP_TABLE.PPP, proto);
  }
}

/**
 * Van Jacobson uncompressed TCP/IP (RFC 1144): an IPv4 header whose protocol byte holds the
 * connection slot. Wireshark (packet-vj.c) puts TCP back and dissects it as IP.
 */
function decodeVjUncompressed(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off >= end) return truncated(p, STOP_TABLE.PPP, PPP_PROTO.VJ_UNCOMPRESSED);
  if (b[off]! >> 4 !== 4) return notIp(p, STOP_TABLE.DETAIL, DETAIL.VJ_NOT_IPV4);
  decodeNetwork(b, off, end, NET.IPV4, p);
  if (p.ipVersion !== 4) return;
  p.l4 = IP_PROTO.TCP;
  p.sport = -1;
  p.dport = -1;
  p.tcpFlags = -1;
  p.l4Offset = -1;
  p.l4Len = 0;
  p.payloadOffset = -1;
  if (p.dataOffset >= 0) decodeTransport(b, p.dataOffset, p.dataEnd, IP_PROTO.TCP, p);
}
