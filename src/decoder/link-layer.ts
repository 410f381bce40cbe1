import { u16be, u16le, u32be, u32le } from './bytes';
import { DecodedPacket, NO_IP } from './decoded-packet';
import {
  decodeEthernet, decodeEthertype, decodeLlc, decodePppHdlc, notIp, truncated,
} from './ethertype';
import { LINKTYPE } from './link-types';
import { decodeNetwork, NET } from './network';

/** BSD address families seen in NULL/LOOP headers (Wireshark's null.type table). */
const AF = { INET: 2, INET6_BSD: 24, INET6_FREEBSD: 28, INET6_DARWIN: 30 } as const;

/** Solaris address families in IPNET headers. */
const SOLARIS_AF = { INET: 2, INET6: 26 } as const;

/** Linux address families in NFLOG headers. */
const LINUX_AF = { INET: 2, INET6: 10 } as const;

const SLL = { HATYPE: 2, PROTOCOL: 14, LEN: 16 } as const;
const SLL2 = { PROTOCOL: 0, HATYPE: 8, LEN: 20 } as const;
const ARPHRD_NETLINK = 824;
/** Linux SLL protocol values below 0x0600 that are not ethertypes. */
const SLL_P = { ETH_802_3: 0x0001, ETH_802_2: 0x0004, PPPHDLC: 0x0007 } as const;

/** How deep link layers may nest (PKTAP carries another link type). */
const MAX_LINK_DEPTH = 2;

/**
 * Decode the link layer of `linkType` starting at `off` and follow it to the first IP header.
 * Unknown link types leave noIpReason = LINK_UNSUPPORTED (counted by the caller).
 */
export function decodeLink(linkType: number, b: Uint8Array, off: number, end: number, p: DecodedPacket, depth = 0): void {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      decodeEthernet(b, off, end, p);
      return;
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_OPENBSD:
    case LINKTYPE.RAW_BSDOS:
      decodeNetwork(b, off, end, NET.ANY, p);
      return;
    case LINKTYPE.IPV4:
      decodeNetwork(b, off, end, NET.IPV4, p);
      return;
    case LINKTYPE.IPV6:
      decodeNetwork(b, off, end, NET.IPV6, p);
      return;
    case LINKTYPE.LINUX_SLL:
      if (off + SLL.LEN > end) return truncated(p);
      decodeSllPayload(b, off + SLL.LEN, end, u16be(b, off + SLL.HATYPE), u16be(b, off + SLL.PROTOCOL), p);
      return;
    case LINKTYPE.LINUX_SLL2:
      if (off + SLL2.LEN > end) return truncated(p);
      decodeSllPayload(b, off + SLL2.LEN, end, u16be(b, off + SLL2.HATYPE), u16be(b, off + SLL2.PROTOCOL), p);
      return;
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      decodeNull(b, off, end, linkType === LINKTYPE.LOOP, p);
      return;
    case LINKTYPE.PPP:
    case LINKTYPE.PPP_SERIAL:
      // Cisco HDLC framing may appear on PPP links (RFC 1547 §4.3.1).
      if (off < end && (b[off] === 0x0f || b[off] === 0x8f)) decodeCiscoHdlc(b, off, end, p);
      else decodePppHdlc(b, off, end, p);
      return;
    case LINKTYPE.C_HDLC:
      decodeCiscoHdlc(b, off, end, p);
      return;
    case LINKTYPE.FRELAY:
      decodeFrameRelay(b, off, end, p);
      return;
    case LINKTYPE.ARCNET_LINUX:
      decodeArcnet(b, off, end, p);
      return;
    case LINKTYPE.IPNET: {
      // Solaris ipnet header (24 bytes): version, family, ...
      if (off + 24 > end) return truncated(p);
      const family = b[off + 1]!;
      if (family === SOLARIS_AF.INET) decodeNetwork(b, off + 24, end, NET.IPV4, p);
      else if (family === SOLARIS_AF.INET6) decodeNetwork(b, off + 24, end, NET.IPV6, p);
      else notIp(p);
      return;
    }
    case LINKTYPE.NFLOG:
      decodeNflog(b, off, end, p);
      return;
    case LINKTYPE.IPOIB:
      // RFC 4391 encapsulation header: type (2), reserved (2).
      if (off + 4 > end) return truncated(p);
      decodeEthertype(b, off + 4, end, u16be(b, off), p);
      return;
    case LINKTYPE.PKTAP:
    case LINKTYPE.USER2: {
      // Apple PKTAP: header length (LE u32) and the inner DLT at offset 8.
      if (off + 12 > end) return truncated(p);
      const headerLen = u32le(b, off);
      if (headerLen < 12 || depth >= MAX_LINK_DEPTH || off + headerLen > end) return truncated(p);
      decodeLink(u32le(b, off + 8), b, off + headerLen, end, p, depth + 1);
      return;
    }
    case LINKTYPE.JUNIPER_ETHER:
      decodeJuniperEther(b, off, end, p);
      return;
    case LINKTYPE.IEEE802_11:
      decode80211(b, off, end, false, p);
      return;
    case LINKTYPE.IEEE802_11_RADIOTAP:
      decodeRadiotap(b, off, end, p);
      return;
    default:
      p.noIpReason = NO_IP.LINK_UNSUPPORTED;
  }
}

function decodeSllPayload(b: Uint8Array, off: number, end: number, hatype: number, protocol: number, p: DecodedPacket): void {
  if (hatype === ARPHRD_NETLINK) return notIp(p);
  if (protocol === SLL_P.ETH_802_2) return decodeLlc(b, off, end, p);
  if (protocol === SLL_P.PPPHDLC) return decodePppHdlc(b, off, end, p);
  if (protocol < 0x0600) return notIp(p);
  decodeEthertype(b, off, end, protocol, p);
}

/**
 * BSD NULL (host byte order of the capturing machine) and OpenBSD LOOP (network order):
 * a 4-byte address family. Wireshark guesses the order from which half is zero.
 */
function decodeNull(b: Uint8Array, off: number, end: number, networkOrder: boolean, p: DecodedPacket): void {
  if (off + 4 > end) return truncated(p);
  let af = networkOrder ? u32be(b, off) : u32le(b, off);
  if (af & 0xffff0000) af = networkOrder ? u32le(b, off) : u32be(b, off);
  switch (af) {
    case AF.INET:
      decodeNetwork(b, off + 4, end, NET.IPV4, p);
      return;
    case AF.INET6_BSD:
    case AF.INET6_FREEBSD:
    case AF.INET6_DARWIN:
      decodeNetwork(b, off + 4, end, NET.IPV6, p);
      return;
    default:
      notIp(p);
  }
}

/** Cisco HDLC: address (0x0F/0x8F), control, ethertype. */
function decodeCiscoHdlc(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  if (off + 4 > end) return truncated(p);
  decodeEthertype(b, off + 4, end, u16be(b, off + 2), p);
}

/** Frame Relay (Q.922 address, then RFC 2427 UI + NLPID, or Cisco's ethertype). */
function decodeFrameRelay(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  // Address bytes end with the EA bit set: 2 to 4 bytes.
  let o = off;
  for (let i = 0; ; i++) {
    if (o >= end) return truncated(p);
    const ea = b[o]! & 1;
    o++;
    if (ea || i === 3) break;
  }
  if (o >= end) return truncated(p);
  if (b[o] !== 0x03) {
    // Not a UI frame: Cisco encapsulation carries an ethertype right after the address.
    if (o + 2 > end) return truncated(p);
    decodeEthertype(b, o + 2, end, u16be(b, o), p);
    return;
  }
  o++;
  if (o < end && b[o] === 0x00) o++; // optional pad before the NLPID
  if (o >= end) return truncated(p);
  const nlpid = b[o]!;
  o++;
  if (nlpid === 0xcc) decodeNetwork(b, o, end, NET.IPV4, p);
  else if (nlpid === 0x8e) decodeNetwork(b, o, end, NET.IPV6, p);
  else if (nlpid === 0x80) {
    // SNAP: OUI (3) + ethertype (2).
    if (o + 5 > end) return truncated(p);
    if (b[o] !== 0 || b[o + 1] !== 0 || b[o + 2] !== 0) return notIp(p);
    decodeEthertype(b, o + 5, end, u16be(b, o + 3), p);
  } else notIp(p);
}

/** Linux ARCnet: source, destination, offset (2), protocol id; RFC 1201 adds split flag and sequence. */
function decodeArcnet(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  if (off + 5 > end) return truncated(p);
  const protocol = b[off + 4]!;
  let o = off + 5;
  if (protocol === 0xf0) return decodeNetwork(b, o, end, NET.IPV4, p); // RFC 1051 IP
  if (protocol !== 0xd4) return notIp(p); // RFC 1201 IP
  if (o >= end) return truncated(p);
  // Exception packets repeat the protocol id and split flag after 0xFF and two pad bytes.
  o += b[o] === 0xff ? 4 : 1;
  o += 2;
  decodeNetwork(b, o, end, NET.IPV4, p);
}

/** Linux NFLOG: family, version, resource id, then TLVs (host byte order); type 9 is the payload. */
function decodeNflog(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  if (off + 4 > end) return truncated(p);
  const family = b[off]!;
  let o = off + 4;
  // Lengths are in the capturing host's order: take whichever reading is plausible.
  const le = o + 4 <= end && u16le(b, o) >= 4;
  while (o + 4 <= end) {
    const len = le ? u16le(b, o) : u16be(b, o);
    const type = (le ? u16le(b, o + 2) : u16be(b, o + 2)) & 0x7fff;
    if (len < 4) return notIp(p);
    if (type === 9) {
      const payloadEnd = o + len < end ? o + len : end;
      if (family === LINUX_AF.INET) decodeNetwork(b, o + 4, payloadEnd, NET.IPV4, p);
      else if (family === LINUX_AF.INET6) decodeNetwork(b, o + 4, payloadEnd, NET.IPV6, p);
      else decodeNetwork(b, o + 4, payloadEnd, NET.ANY, p);
      return;
    }
    o += (len + 3) & ~3;
  }
  notIp(p);
}

/** Juniper "MGC" pseudo-header; the extension flag adds a 2-byte length of TLVs. */
function decodeJuniperEther(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  if (off + 4 > end) return truncated(p);
  if (b[off] !== 0x4d || b[off + 1] !== 0x47 || b[off + 2] !== 0x43) return notIp(p);
  const flags = b[off + 3]!;
  let o = off + 4;
  if (flags & 0x80) {
    if (o + 2 > end) return truncated(p);
    o += 2 + u16be(b, o);
  }
  if (flags & 0x02) return decodeNetwork(b, o, end, NET.ANY, p); // no layer 2 header
  decodeEthernet(b, o, end, p);
}

/** Radiotap: its own length at byte 2; the flags field says whether 802.11 headers are padded. */
function decodeRadiotap(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  if (off + 8 > end) return truncated(p);
  const len = u16le(b, off + 2);
  if (len < 8 || off + len > end) return truncated(p);
  let padded = false;
  const present = u32le(b, off + 4);
  if (present & 0x2) {
    // Skip extended presence words, then TSFT (8 bytes, 8-aligned) if present; flags follow.
    let o = off + 8;
    let word = present;
    while (word & 0x80000000 && o + 4 <= off + len) {
      word = u32le(b, o);
      o += 4;
    }
    if (present & 0x1) o = off + (((o - off) + 7) & ~7) + 8;
    if (o < off + len) padded = (b[o]! & 0x20) !== 0;
  }
  decode80211(b, off + len, end, padded, p);
}

/** IEEE 802.11 data frames (not protected) carry LLC/SNAP. */
function decode80211(b: Uint8Array, off: number, end: number, padded: boolean, p: DecodedPacket): void {
  if (off + 24 > end) return truncated(p);
  const fc0 = b[off]!;
  const fc1 = b[off + 1]!;
  const type = (fc0 >> 2) & 3;
  const subtype = fc0 >> 4;
  if (type !== 2 || subtype & 0x4) return notIp(p); // not data, or a null-data subtype
  if (fc1 & 0x40) return notIp(p); // protected: encrypted payload
  let headerLen = (fc1 & 0x03) === 0x03 ? 30 : 24;
  if (subtype & 0x8) {
    headerLen += 2; // QoS control
    if (fc1 & 0x80) headerLen += 4; // HT control
  }
  if (padded) headerLen = (headerLen + 3) & ~3;
  decodeLlc(b, off + headerLen, end, p);
}
