import { u16be } from './bytes';
import { DecodedPacket, NO_IP } from './decoded-packet';
import { decodeNetwork, NET } from './network';

export const ETHERTYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  MPLS: 0x8847,
  MPLS_MULTICAST: 0x8848,
  PPPOE_SESSION: 0x8864,
  QINQ: 0x88a8,
  MACSEC: 0x88e5,
  NSH: 0x894f,
  QINQ_OLD: 0x9100,
  ARISTA: 0xd28b,
} as const;

/** Largest 802.3 length value; type fields start at 0x0600. */
const MAX_8023_LEN = 1500;

export const PPP_PROTO = {
  IPV4: 0x0021,
  IPV6: 0x0057,
  MPLS: 0x0281,
  MPLS_MULTICAST: 0x0283,
} as const;

/** Tags and shims are bounded so a crafted frame cannot make us loop long. */
const MAX_SHIMS = 32;

/**
 * Follow an ethertype through VLAN tags, MPLS, PPPoE, MACsec, NSH and Arista timestamps
 * to the first IP header.
 */
export function decodeEthertype(b: Uint8Array, off: number, end: number, type: number, p: DecodedPacket): void {
  for (let shim = 0; shim < MAX_SHIMS; shim++) {
    switch (type) {
      case ETHERTYPE.IPV4:
        decodeNetwork(b, off, end, NET.IPV4, p);
        return;
      case ETHERTYPE.IPV6:
        decodeNetwork(b, off, end, NET.IPV6, p);
        return;
      case ETHERTYPE.VLAN:
      case ETHERTYPE.QINQ:
      case ETHERTYPE.QINQ_OLD:
        // 802.1Q tag: TCI (2) then the inner type or 802.3 length (2).
        if (off + 4 > end) return truncated(p);
        type = u16be(b, off + 2);
        off += 4;
        if (type <= MAX_8023_LEN) {
          decodeLlc(b, off, end, p);
          return;
        }
        continue;
      case ETHERTYPE.MPLS:
      case ETHERTYPE.MPLS_MULTICAST:
        decodeMpls(b, off, end, p);
        return;
      case ETHERTYPE.PPPOE_SESSION:
        // RFC 2516 session header (6) then the PPP protocol (2).
        if (off + 8 > end) return truncated(p);
        decodePppProtocol(b, off + 8, end, u16be(b, off + 6), p);
        return;
      case ETHERTYPE.MACSEC: {
        // IEEE 802.1AE SecTAG: TCI/AN, SL, PN (4), optional SCI (8). Encrypted or
        // changed payloads (E or C bit) hide the inner ethertype.
        if (off + 6 > end) return truncated(p);
        const tci = b[off]!;
        if (tci & 0x0c) return notIp(p);
        off += tci & 0x20 ? 14 : 6;
        if (off + 2 > end) return truncated(p);
        type = u16be(b, off);
        off += 2;
        continue;
      }
      case ETHERTYPE.NSH: {
        // RFC 8300: base header length in 4-byte words; next protocol 1 IPv4, 2 IPv6, 3 Ethernet.
        if (off + 8 > end) return truncated(p);
        const headerLen = (b[off + 1]! & 0x3f) * 4;
        const next = b[off + 3]!;
        if (headerLen < 8) return notIp(p);
        off += headerLen;
        if (next === 1) decodeNetwork(b, off, end, NET.IPV4, p);
        else if (next === 2) decodeNetwork(b, off, end, NET.IPV6, p);
        else if (next === 3) decodeEthernet(b, off, end, p);
        else notIp(p);
        return;
      }
      case ETHERTYPE.ARISTA: {
        // Arista vendor-specific protocol: subtype 1 (timestamp), version 0x10 = 64-bit,
        // 0x20 = 48-bit timestamp, then the inner ethertype. Other versions: not decoded.
        if (off + 4 > end) return truncated(p);
        const version = b[off + 3]!;
        if (u16be(b, off) !== 1 || (version !== 0x10 && version !== 0x20)) return notIp(p);
        off += version === 0x10 ? 12 : 10;
        if (off + 2 > end) return truncated(p);
        type = u16be(b, off);
        off += 2;
        continue;
      }
      default:
        return notIp(p);
    }
  }
  notIp(p);
}

/** Ethernet II or 802.3: destination (6), source (6), type or length (2). */
export function decodeEthernet(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  if (off + 14 > end) return truncated(p);
  const type = u16be(b, off + 12);
  if (type <= MAX_8023_LEN) decodeLlc(b, off + 14, end, p);
  else if (type < 0x0600) notIp(p);
  else decodeEthertype(b, off + 14, end, type, p);
}

/** IEEE 802.2 LLC; SNAP (AA AA 03 + OUI + type) carries an ethertype, SAP 06 is IP. */
export function decodeLlc(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  if (off + 3 > end) return truncated(p);
  const dsap = b[off]!;
  const ssap = b[off + 1]!;
  if (dsap === 0xaa && ssap === 0xaa) {
    if (off + 8 > end) return truncated(p);
    const oui = (b[off + 3]! << 16) | (b[off + 4]! << 8) | b[off + 5]!;
    // OUI 0 is an encapsulated ethertype (RFC 1042); 0x0000F8 is Cisco's, with the same meaning.
    if (oui !== 0 && oui !== 0xf8) return notIp(p);
    decodeEthertype(b, off + 8, end, u16be(b, off + 6), p);
    return;
  }
  if (dsap === 0x06 && ssap === 0x06) {
    decodeNetwork(b, off + 3, end, NET.IPV4, p);
    return;
  }
  notIp(p);
}

/** RFC 3032 label stack; the payload after the bottom label is guessed from its first nibble. */
export function decodeMpls(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  for (;;) {
    if (off + 4 > end) return truncated(p);
    const bottom = b[off + 2]! & 1;
    off += 4;
    if (bottom) break;
  }
  if (off >= end) return truncated(p);
  const version = b[off]! >> 4;
  if (version === 4) decodeNetwork(b, off, end, NET.IPV4, p);
  else if (version === 6) decodeNetwork(b, off, end, NET.IPV6, p);
  else notIp(p);
}

/** A PPP protocol number (RFC 1661) and its payload. */
export function decodePppProtocol(b: Uint8Array, off: number, end: number, proto: number, p: DecodedPacket): void {
  switch (proto) {
    case PPP_PROTO.IPV4:
      decodeNetwork(b, off, end, NET.IPV4, p);
      return;
    case PPP_PROTO.IPV6:
      decodeNetwork(b, off, end, NET.IPV6, p);
      return;
    case PPP_PROTO.MPLS:
    case PPP_PROTO.MPLS_MULTICAST:
      decodeMpls(b, off, end, p);
      return;
    default:
      notIp(p);
  }
}

/** PPP in HDLC-like framing (RFC 1662): optional FF 03, then a 1- or 2-byte protocol. */
export function decodePppHdlc(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  if (off + 2 <= end && b[off] === 0xff && b[off + 1] === 0x03) off += 2;
  if (off >= end) return truncated(p);
  // Protocol field compression: an odd first byte is a one-byte protocol.
  if (b[off]! & 1) {
    decodePppProtocol(b, off + 1, end, b[off]!, p);
    return;
  }
  if (off + 2 > end) return truncated(p);
  decodePppProtocol(b, off + 2, end, u16be(b, off), p);
}

export function truncated(p: DecodedPacket): void {
  p.noIpReason = NO_IP.LINK_TRUNCATED;
}

export function notIp(p: DecodedPacket): void {
  p.noIpReason = NO_IP.NOT_IP;
}
