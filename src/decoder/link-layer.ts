import { u16be, u16le, u32be, u32le } from './bytes';
import { NO_IP, type IpLayer } from './decoded-packet';
import { decodeEthernet, decodeEthertype, decodeLlc, ETHERTYPE, MAX_8023_LEN } from './ethertype';
import { LINKTYPE } from './link-types';
import { decodeMpls } from './mpls';
import { decodeNetwork, NET } from './network';
import { decodePppHdlc, decodePppNoFraming } from './ppp';
import { DETAIL, notIp, stop, STOP_TABLE, truncated } from './stop';
import { decode80211, decodeAvs, decodePrism, decodeRadiotap } from './wlan';

/** BSD address families in NULL/LOOP/ENC/PFLOG headers (Wireshark's null.type table). */
const AF = { INET: 2, INET6_BSD: 24, INET6_FREEBSD: 28, INET6_DARWIN: 30 } as const;

/** Solaris address families in IPNET headers. */
const SOLARIS_AF = { INET: 2, INET6: 26 } as const;

/** Linux address families in NFLOG headers. */
const LINUX_AF = { INET: 2, INET6: 10 } as const;

const SLL = { HATYPE: 2, PROTOCOL: 14, LEN: 16 } as const;
const SLL2 = { PROTOCOL: 0, HATYPE: 8, LEN: 20 } as const;
/** sll.hatype entries that replace the protocol field, and netlink (not IP). */
const ARPHRD = { FRAD: 770, IEEE80211_RADIOTAP: 803, NETLINK: 824 } as const;
/** Linux SLL protocol values below 0x0600 (sll.ltype table). */
const SLL_P = { ETH_802_3: 0x0001, ETHERNET: 0x0003, ETH_802_2: 0x0004, PPPHDLC: 0x0007 } as const;

/** How deep link layers may nest (PKTAP and PPI carry another link type). */
const MAX_LINK_DEPTH = 2;

/** NULL header read as the capturing host's order; tshark runs little-endian here (packet-null.c). */
const NULL_HDR = { LEN: 4 } as const;
/** Cisco HDLC: address (0x0F unicast / 0x8F broadcast), control, protocol (chdlc.protocol). */
const CHDLC = { ADDRESS: 0, PROTOCOL: 2, LEN: 4, UNICAST: 0x0f, BROADCAST: 0x8f } as const;
/** chdlc.protocol entries that lead to IP; the table is not the ethertype table. */
const CHDLC_PROTO = { IPV4: 0x0800, IPV6: 0x86dd, MPLS: 0x8847, MPLS_MULTICAST: 0x8848, ETHERNET: 0x6558 } as const;
/** OpenBSD enc(4): address family, SPI, flags (12 bytes); enc's own table has 2 and 24 only. */
const ENC = { AF: 0, LEN: 12 } as const;
/** OpenBSD pflog: header length (rounded up to 4 bytes, BPF_WORDALIGN), address family. */
const PFLOG = { LENGTH: 0, AF: 1 } as const;
/** Token Ring: AC, FC, destination, source (RIF when the source's top bit is set), then LLC for LLC frames. */
const TR = { FC: 1, SRC: 8, LEN: 14, RIF_PRESENT: 0x80, RIF_LEN_MASK: 0x1f, FC_LLC: 0x40, FC_TYPE_MASK: 0xc0 } as const;
/** FDDI: frame control, destination, source, then LLC for async/sync LLC frames (FC 0x50-0x5f, 0xd0-0xd7). */
const FDDI = { FC: 0, LEN: 13, FC_LLC_MASK: 0x70, FC_LLC: 0x50 } as const;
/** RFC 2625 IP over Fibre Channel: network header (destination and source NAA, 16 bytes), then LLC/SNAP. */
const IPFC_LEN = 16;
/** Apple IP over IEEE 1394: destination and source EUI-64, ethertype. */
const AP1394 = { TYPE: 16, LEN: 18 } as const;
/** Solaris ipnet header: version, family, hook, data length (BE), ... (24 bytes); the packet is data length long. */
const IPNET = { FAMILY: 1, DATA_LEN: 4, LEN: 24 } as const;
/** NetBSD/OpenBSD PPPoE link type: the RFC 2516 session header, then PPP. */
const PPPOE_LEN = 6;
/** IPoIB (WTAP_ENCAP_IP_OVER_IB_PCAP): 40 bytes of GRH or destination address, then type and reserved. */
const IPOIB = { TYPE: 40, LEN: 44 } as const;
/** Apple PKTAP: header length (LE u32) and the inner DLT at offset 8. */
const PKTAP = { LEN: 0, DLT: 8, MIN_LEN: 12 } as const;
/** PPI: version, flags, header length (LE), inner DLT (LE). */
const PPI = { LEN: 2, DLT: 4, MIN_LEN: 8 } as const;
/** TZSP: version, type, encapsulation, then tagged fields up to the END tag (0x01); 0x00 is one byte of padding. */
const TZSP = { VERSION: 0, TYPE: 1, ENCAP: 2, LEN: 4, TAG_PAD: 0, TAG_END: 1 } as const;
const TZSP_ENCAP = { ETHERNET: 1, IEEE_802_11: 18 } as const;
/** TZSP packet types that carry a frame: received tag list, packet for transmit, received, transmitted, forwarded. */
const TZSP_MAX_FRAME_TYPE = 4;
/**
 * Hilscher netANALYZER: a 4-byte little-endian header, then an Ethernet frame with FCS. Its version
 * (bits 10-11) must be 1 or 2; version 2 names the payload in bits 28-31 (0 = Ethernet).
 */
const NETANALYZER = { VERSION_BYTE: 1, TYPE_BYTE: 3, LEN: 4 } as const;
/**
 * Wireshark upper-PDU export: tags (type, length, value) up to the end tag 0; tag 12 names the
 * dissector. The names below lead to IP; others are not followed.
 */
const EXPORTED_PDU = { TAG_END: 0, TAG_DISSECTOR_NAME: 12 } as const;
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const PDU_NAMES = {
  IP: ascii('ip'), IPV6: ascii('ipv6'), RAW_IP: ascii('raw_ip'),
  ETH_WITHOUT_FCS: ascii('eth_withoutfcs'), ETH_WITH_FCS: ascii('eth_withfcs'), ETH_MAYBE_FCS: ascii('eth_maybefcs'),
} as const;

/**
 * ITU-T G.7041 GFP: core header (payload length, cHEC), payload type (PTI 3 bits, PFI, EXI 4 bits,
 * UPI) and tHEC, a 4-byte linear extension header when EXI = 1; the UPI names the client (gfp.upi).
 */
const GFP = { PLI: 0, TYPE: 4, UPI: 5, LEN: 8, EXT_LEN: 4, PTI_MANAGEMENT: 4, EXI_LINEAR: 1 } as const;
const GFP_UPI = { ETHERNET: 1, PPP: 2, MPLS: 12, MPLS_MULTICAST: 13, IPV4: 16, IPV6: 17 } as const;

/** Juniper "MGC" pseudo-header; the extension flag adds a 2-byte length of TLVs; flag 0x02 = no layer-2 header. */
const JUNIPER = { MAGIC: 0, FLAGS: 3, LEN: 4, EXT_PRESENT: 0x80, NO_L2: 0x02 } as const;
/** AX.25: 7-byte addresses, the last with bit 0 of its 7th byte set; control; PID for I and UI frames. */
const AX25 = { ADDR_LEN: 7, MAX_ADDRS: 10, PID_IP: 0xcc } as const;
/** ARCNET protocol ids (arcnet.protocol_id): RFC 1201 IP and IPv6 carry split flag and sequence; RFC 1051 IP does not. */
const ARCNET = { RFC1051_IP: 0xf0, RFC1201_IP: 0xd4, IPV6: 0xc4, EXCEPTION: 0xff } as const;
/** Source and destination (BSD), plus a 2-byte offset (Linux), before the protocol id; RFC 1201 split flag and sequence after it. */
const ARCNET_HDR = { BSD: 2, LINUX: 4, SPLIT_SEQ: 3, EXCEPTION_EXTRA: 3 } as const;

/**
 * Decode the link layer of `linkType` starting at `off` and follow it to the first IP header.
 * Link types not decoded leave noIpReason = LINK_UNSUPPORTED with the link type as stopType.
 */
export function decodeLink(linkType: number, b: Uint8Array, off: number, end: number, p: IpLayer, depth = 0): void {
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
    case LINKTYPE.ATM_CLIP:
    case LINKTYPE.ATM_CLIP_16:
    case LINKTYPE.ATM_CLIP_18:
    case LINKTYPE.ATM_CLIP_19:
      // Linux ATM CLIP is bare IP handed to Wireshark's IPv4 dissector.
      decodeNetwork(b, off, end, NET.IPV4, p);
      return;
    case LINKTYPE.IPV6:
      decodeNetwork(b, off, end, NET.IPV6, p);
      return;
    case LINKTYPE.LINUX_SLL:
      if (off + SLL.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      decodeSllPayload(b, off + SLL.LEN, end, u16be(b, off + SLL.HATYPE), u16be(b, off + SLL.PROTOCOL), p);
      return;
    case LINKTYPE.LINUX_SLL2:
      if (off + SLL2.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      decodeSllPayload(b, off + SLL2.LEN, end, u16be(b, off + SLL2.HATYPE), u16be(b, off + SLL2.PROTOCOL), p);
      return;
    case LINKTYPE.NULL:
      decodeNull(b, off, end, p);
      return;
    case LINKTYPE.LOOP:
      // OpenBSD loopback: a network-order address family, never swapped or read as an ethertype.
      if (off + NULL_HDR.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      decodeBsdFamily(b, off + NULL_HDR.LEN, end, u32be(b, off), true, p);
      return;
    case LINKTYPE.PPP:
    case LINKTYPE.PPP_SERIAL:
      // Cisco HDLC framing may appear on PPP links (RFC 1547 §4.3.1).
      if (off < end && (b[off] === CHDLC.UNICAST || b[off] === CHDLC.BROADCAST)) decodeCiscoHdlc(b, off, end, p);
      else decodePppHdlc(b, off, end, p);
      return;
    case LINKTYPE.PPP_WITH_DIR:
      // The direction byte is a pseudo-header the reader already stripped; no HDLC framing follows.
      decodePppNoFraming(b, off, end, p);
      return;
    case LINKTYPE.PPP_ETHER:
      if (off + PPPOE_LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      decodePppNoFraming(b, off + PPPOE_LEN, end, p);
      return;
    case LINKTYPE.C_HDLC:
    case LINKTYPE.C_HDLC_NETBSD:
      decodeCiscoHdlc(b, off, end, p);
      return;
    case LINKTYPE.FRELAY:
      decodeFrameRelay(b, off, end, p);
      return;
    case LINKTYPE.ATM_RFC1483:
    case LINKTYPE.ATM_RFC1483_11:
      decodeLlc(b, off, end, p);
      return;
    case LINKTYPE.TOKEN_RING:
      decodeTokenRing(b, off, end, p);
      return;
    case LINKTYPE.FDDI:
      if (off + FDDI.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      if ((b[off + FDDI.FC]! & FDDI.FC_LLC_MASK) !== FDDI.FC_LLC) return notIp(p, STOP_TABLE.LINKTYPE, linkType);
      decodeLlc(b, off + FDDI.LEN, end, p);
      return;
    case LINKTYPE.IP_OVER_FC:
      if (off + IPFC_LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      decodeLlc(b, off + IPFC_LEN, end, p);
      return;
    case LINKTYPE.APPLE_IP_OVER_1394:
      if (off + AP1394.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      decodeEthertype(b, off + AP1394.LEN, end, u16be(b, off + AP1394.TYPE), p);
      return;
    case LINKTYPE.ENC:
    case LINKTYPE.ENC_13:
      decodeEnc(b, off, end, p);
      return;
    case LINKTYPE.PFLOG: {
      if (off + 2 > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      const len = (b[off + PFLOG.LENGTH]! + 3) & ~3;
      if (off + len > end || len < 2) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      decodeBsdFamily(b, off + len, end, b[off + PFLOG.AF]!, false, p);
      return;
    }
    case LINKTYPE.ARCNET_BSD:
      decodeArcnet(b, off, end, false, p);
      return;
    case LINKTYPE.ARCNET_LINUX:
      decodeArcnet(b, off, end, true, p);
      return;
    case LINKTYPE.AX25:
      decodeAx25(b, off, end, p);
      return;
    case LINKTYPE.AX25_KISS:
      // One KISS command byte (0x00 = data frame on port 0) before the AX.25 frame.
      if (off >= end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      if ((b[off]! & 0x0f) !== 0) return notIp(p, STOP_TABLE.LINKTYPE, linkType);
      decodeAx25(b, off + 1, end, p);
      return;
    case LINKTYPE.IPNET: {
      if (off + IPNET.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      const family = b[off + IPNET.FAMILY]!;
      const dataEnd = off + IPNET.LEN + u32be(b, off + IPNET.DATA_LEN);
      const ipEnd = dataEnd < end ? dataEnd : end;
      if (family === SOLARIS_AF.INET) decodeNetwork(b, off + IPNET.LEN, ipEnd, NET.IPV4, p);
      else if (family === SOLARIS_AF.INET6) decodeNetwork(b, off + IPNET.LEN, ipEnd, NET.IPV6, p);
      else notIp(p, STOP_TABLE.IPNET_FAMILY, family);
      return;
    }
    case LINKTYPE.NFLOG:
      decodeNflog(b, off, end, p);
      return;
    case LINKTYPE.IPOIB: {
      if (off + IPOIB.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      // packet-ipoib.c hands only IPv4 and IPv6 (and ARP) on, not the whole ethertype table.
      const type = u16be(b, off + IPOIB.TYPE);
      if (type === ETHERTYPE.IPV4) decodeNetwork(b, off + IPOIB.LEN, end, NET.IPV4, p);
      else if (type === ETHERTYPE.IPV6) decodeNetwork(b, off + IPOIB.LEN, end, NET.IPV6, p);
      else notIp(p, STOP_TABLE.ETHERTYPE, type);
      return;
    }
    case LINKTYPE.PKTAP:
    case LINKTYPE.USER2: {
      if (off + PKTAP.MIN_LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      const headerLen = u32le(b, off + PKTAP.LEN);
      if (headerLen < PKTAP.MIN_LEN || off + headerLen > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      if (depth >= MAX_LINK_DEPTH) return notIp(p, STOP_TABLE.DETAIL, DETAIL.NESTING);
      decodeLink(u32le(b, off + PKTAP.DLT), b, off + headerLen, end, p, depth + 1);
      return;
    }
    case LINKTYPE.PPI: {
      if (off + PPI.MIN_LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      const headerLen = u16le(b, off + PPI.LEN);
      if (headerLen < PPI.MIN_LEN || off + headerLen > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      if (depth >= MAX_LINK_DEPTH) return notIp(p, STOP_TABLE.DETAIL, DETAIL.NESTING);
      decodeLink(u32le(b, off + PPI.DLT), b, off + headerLen, end, p, depth + 1);
      return;
    }
    case LINKTYPE.TZSP:
      decodeTzsp(b, off, end, p);
      return;
    case LINKTYPE.GFP_T:
    case LINKTYPE.GFP_F:
      decodeGfp(b, off, end, p);
      return;
    case LINKTYPE.NETANALYZER: {
      if (off + NETANALYZER.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, linkType);
      const version = (b[off + NETANALYZER.VERSION_BYTE]! >> 2) & 3;
      if (version === 0 || version === 3 || (version === 2 && b[off + NETANALYZER.TYPE_BYTE]! >> 4 !== 0)) {
        return notIp(p, STOP_TABLE.LINKTYPE, linkType);
      }
      decodeEthernet(b, off + NETANALYZER.LEN, end, p);
      return;
    }
    case LINKTYPE.WIRESHARK_UPPER_PDU:
      decodeExportedPdu(b, off, end, p);
      return;
    case LINKTYPE.JUNIPER_ETHER:
      decodeJuniperEther(b, off, end, p);
      return;
    case LINKTYPE.IEEE802_11:
      decode80211(b, off, end, false, p);
      return;
    case LINKTYPE.IEEE802_11_RADIOTAP:
      decodeRadiotap(b, off, end, p);
      return;
    case LINKTYPE.IEEE802_11_PRISM:
      decodePrism(b, off, end, p);
      return;
    case LINKTYPE.IEEE802_11_AVS:
      decodeAvs(b, off, end, p);
      return;
    default:
      stop(p, NO_IP.LINK_UNSUPPORTED, STOP_TABLE.LINKTYPE, linkType);
  }
}

function decodeSllPayload(b: Uint8Array, off: number, end: number, hatype: number, protocol: number, p: IpLayer): void {
  // packet-sll.c tries the sll.hatype table before the protocol field.
  if (hatype === ARPHRD.IEEE80211_RADIOTAP) return decodeRadiotap(b, off, end, p);
  if (hatype === ARPHRD.FRAD) return decodeFrameRelay(b, off, end, p);
  if (hatype === ARPHRD.NETLINK) return notIp(p, STOP_TABLE.SLL_HATYPE, hatype);
  if (protocol === SLL_P.ETH_802_2) return decodeLlc(b, off, end, p);
  if (protocol === SLL_P.ETHERNET) return decodeEthernet(b, off, end, p);
  if (protocol === SLL_P.PPPHDLC) return decodePppHdlc(b, off, end, p);
  if (protocol < 0x0600) return notIp(p, STOP_TABLE.SLL_PROTOCOL, protocol);
  decodeEthertype(b, off, end, protocol, p);
}

/**
 * BSD NULL: a 4-byte address family in the capturing host's byte order (or an ethertype, from old
 * Linux loopback captures). Mirrors packet-null.c on a little-endian host, tshark's: FF 03 is PPP;
 * a value with upper bits set is byte-swapped (or is an IRIX 16-bit family); a result above 1500
 * is an ethertype (its low 16 bits), else a null.type family.
 */
function decodeNull(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + 2 <= end && b[off] === 0xff && b[off + 1] === 0x03) return decodePppHdlc(b, off, end, p);
  if (off + NULL_HDR.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.NULL);
  let h = u32le(b, off);
  if (h & 0xffff0000) {
    if ((h & 0xff000000) === 0 && (h & 0x00ff0000) < 0x00060000) h >>>= 16;
    else h = u32be(b, off);
  } else if ((h & 0xff) === 0 && (h & 0xff00) < 0x0600) {
    h = ((h >> 8) & 0xff) | ((h & 0xff) << 8);
  }
  if (h > MAX_8023_LEN) {
    decodeEthertype(b, off + NULL_HDR.LEN, end, h & 0xffff, p);
    return;
  }
  decodeBsdFamily(b, off + NULL_HDR.LEN, end, h, true, p);
}

/** A BSD address family (null.type table); enc(4) knows only 2 and 24 (`all6` false). */
function decodeBsdFamily(b: Uint8Array, off: number, end: number, af: number, all6: boolean, p: IpLayer): void {
  if (af === AF.INET) return decodeNetwork(b, off, end, NET.IPV4, p);
  if (af === AF.INET6_BSD || (all6 && (af === AF.INET6_FREEBSD || af === AF.INET6_DARWIN))) {
    return decodeNetwork(b, off, end, NET.IPV6, p);
  }
  notIp(p, STOP_TABLE.NULL_FAMILY, af);
}

/** OpenBSD enc(4): the family is in the capturing host's order; read whichever order is small. */
function decodeEnc(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + ENC.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.ENC);
  let af = u32be(b, off + ENC.AF);
  if (af & 0xffff0000) af = u32le(b, off + ENC.AF);
  decodeBsdFamily(b, off + ENC.LEN, end, af, false, p);
}

/** Cisco HDLC: address (0x0F/0x8F), control, protocol from the chdlc.protocol table. */
function decodeCiscoHdlc(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + CHDLC.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.C_HDLC);
  decodeChdlcProtocol(b, off + CHDLC.LEN, end, u16be(b, off + CHDLC.PROTOCOL), p);
}

function decodeChdlcProtocol(b: Uint8Array, off: number, end: number, proto: number, p: IpLayer): void {
  switch (proto) {
    case CHDLC_PROTO.IPV4:
      return decodeNetwork(b, off, end, NET.IPV4, p);
    case CHDLC_PROTO.IPV6:
      return decodeNetwork(b, off, end, NET.IPV6, p);
    case CHDLC_PROTO.MPLS:
    case CHDLC_PROTO.MPLS_MULTICAST:
      return decodeMpls(b, off, end, p);
    case CHDLC_PROTO.ETHERNET:
      return decodeEthernet(b, off, end, p);
    default:
      notIp(p, STOP_TABLE.CHDLC, proto);
  }
}

/** Frame Relay (Q.922 address, then RFC 2427 UI + NLPID, or Cisco's chdlc protocol). */
function decodeFrameRelay(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  // Address bytes end with the EA bit set: 2 to 4 bytes.
  let o = off;
  for (let i = 0; ; i++) {
    if (o >= end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.FRELAY);
    const ea = b[o]! & 1;
    o++;
    if (ea || i === 3) break;
  }
  if (o >= end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.FRELAY);
  if (b[o] !== 0x03) {
    // Not a UI frame: Cisco encapsulation carries a protocol right after the address.
    if (o + 2 > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.FRELAY);
    decodeChdlcProtocol(b, o + 2, end, u16be(b, o), p);
    return;
  }
  o++;
  if (o < end && b[o] === 0x00) o++; // optional pad before the NLPID
  if (o >= end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.FRELAY);
  const nlpid = b[o]!;
  o++;
  if (nlpid === 0xcc) decodeNetwork(b, o, end, NET.IPV4, p);
  else if (nlpid === 0x8e) decodeNetwork(b, o, end, NET.IPV6, p);
  else if (nlpid === 0xcf) decodePppNoFraming(b, o, end, p);
  else if (nlpid === 0x80) {
    // SNAP: OUI (3) + ethertype (2).
    if (o + 5 > end) return truncated(p, STOP_TABLE.FR_NLPID, nlpid);
    const oui = (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
    if (oui !== 0) return notIp(p, STOP_TABLE.SNAP_OUI, oui);
    decodeEthertype(b, o + 5, end, u16be(b, o + 3), p);
  } else notIp(p, STOP_TABLE.FR_NLPID, nlpid);
}

/** Token Ring (IEEE 802.5): LLC frames only; a source-routed frame carries a RIF of its stated length. */
function decodeTokenRing(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + TR.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.TOKEN_RING);
  if ((b[off + TR.FC]! & TR.FC_TYPE_MASK) !== TR.FC_LLC) return notIp(p, STOP_TABLE.LINKTYPE, LINKTYPE.TOKEN_RING);
  let o = off + TR.LEN;
  if (b[off + TR.SRC]! & TR.RIF_PRESENT) {
    if (o >= end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.TOKEN_RING);
    o += b[o]! & TR.RIF_LEN_MASK;
  }
  decodeLlc(b, o, end, p);
}

/** ARCNET: source, destination, [offset (Linux)], protocol id; RFC 1201 adds split flag and sequence. */
function decodeArcnet(b: Uint8Array, off: number, end: number, linux: boolean, p: IpLayer): void {
  let o = off + (linux ? ARCNET_HDR.LINUX : ARCNET_HDR.BSD);
  if (o + 1 > end) return truncated(p, STOP_TABLE.LINKTYPE, linux ? LINKTYPE.ARCNET_LINUX : LINKTYPE.ARCNET_BSD);
  const protocol = b[o]!;
  o++;
  if (protocol === ARCNET.RFC1051_IP) return decodeNetwork(b, o, end, NET.IPV4, p);
  if (protocol !== ARCNET.RFC1201_IP && protocol !== ARCNET.IPV6) return notIp(p, STOP_TABLE.ARCNET, protocol);
  if (o >= end) return truncated(p, STOP_TABLE.ARCNET, protocol);
  // Exception packets repeat the protocol id and split flag after 0xFF and two pad bytes.
  if (b[o] === ARCNET.EXCEPTION) o += ARCNET_HDR.EXCEPTION_EXTRA;
  o += ARCNET_HDR.SPLIT_SEQ;
  decodeNetwork(b, o, end, protocol === ARCNET.IPV6 ? NET.IPV6 : NET.IPV4, p);
}

/** AX.25: destination, source and up to eight digipeaters, control, PID (0xCC = IP). */
function decodeAx25(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  let o = off;
  for (let i = 0; ; i++) {
    if (o + AX25.ADDR_LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.AX25);
    const last = b[o + AX25.ADDR_LEN - 1]! & 1;
    o += AX25.ADDR_LEN;
    if (last && i >= 1) break;
    if (i === AX25.MAX_ADDRS - 1) return notIp(p, STOP_TABLE.LINKTYPE, LINKTYPE.AX25);
  }
  if (o + 2 > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.AX25);
  const control = b[o]!;
  // Only I frames (bit 0 clear) and UI frames (0x03, P/F ignored) carry a PID.
  if ((control & 0x01) !== 0 && (control & 0xef) !== 0x03) return notIp(p, STOP_TABLE.LINKTYPE, LINKTYPE.AX25);
  const pid = b[o + 1]!;
  if (pid !== AX25.PID_IP) return notIp(p, STOP_TABLE.AX25_PID, pid);
  decodeNetwork(b, o + 2, end, NET.IPV4, p);
}

/** Linux NFLOG: family, version, resource id, then TLVs (host byte order); type 9 is the payload. */
function decodeNflog(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + 4 > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.NFLOG);
  const family = b[off]!;
  let o = off + 4;
  // Lengths are in the capturing host's order: take whichever reading is plausible.
  const le = o + 4 <= end && u16le(b, o) >= 4;
  while (o + 4 <= end) {
    const len = le ? u16le(b, o) : u16be(b, o);
    const type = (le ? u16le(b, o + 2) : u16be(b, o + 2)) & 0x7fff;
    if (len < 4) return notIp(p, STOP_TABLE.NFLOG_FAMILY, family);
    if (type === 9) {
      const payloadEnd = o + len < end ? o + len : end;
      if (family === LINUX_AF.INET) decodeNetwork(b, o + 4, payloadEnd, NET.IPV4, p);
      else if (family === LINUX_AF.INET6) decodeNetwork(b, o + 4, payloadEnd, NET.IPV6, p);
      else decodeNetwork(b, o + 4, payloadEnd, NET.ANY, p);
      return;
    }
    o += (len + 3) & ~3;
  }
  notIp(p, STOP_TABLE.NFLOG_FAMILY, family);
}

/** TZSP as a link type: version 1, a frame-carrying type, tagged fields, then Ethernet or 802.11. */
function decodeTzsp(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + TZSP.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.TZSP);
  if (b[off + TZSP.VERSION] !== 1 || b[off + TZSP.TYPE]! > TZSP_MAX_FRAME_TYPE) return notIp(p, STOP_TABLE.DETAIL, DETAIL.TZSP_TYPE);
  const encap = u16be(b, off + TZSP.ENCAP);
  let o = off + TZSP.LEN;
  for (;;) {
    if (o >= end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.TZSP);
    const tag = b[o]!;
    if (tag === TZSP.TAG_END) {
      o++;
      break;
    }
    if (tag === TZSP.TAG_PAD) {
      o++;
      continue;
    }
    if (o + 2 > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.TZSP);
    o += 2 + b[o + 1]!;
  }
  if (encap === TZSP_ENCAP.ETHERNET) decodeEthernet(b, o, end, p);
  else if (encap === TZSP_ENCAP.IEEE_802_11) decode80211(b, o, end, false, p);
  else notIp(p, STOP_TABLE.TZSP_ENCAP, encap);
}

/** GFP client frames: the payload runs for the core header's length; management frames carry no client data. */
function decodeGfp(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + GFP.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.GFP_F);
  const pli = u16be(b, off + GFP.PLI);
  const type0 = b[off + GFP.TYPE]!;
  if (pli < GFP.LEN - 4 || type0 >> 5 === GFP.PTI_MANAGEMENT) return notIp(p, STOP_TABLE.LINKTYPE, LINKTYPE.GFP_F);
  const frameEnd = off + 4 + pli < end ? off + 4 + pli : end;
  const o = off + GFP.LEN + ((type0 & 0x0f) === GFP.EXI_LINEAR ? GFP.EXT_LEN : 0);
  switch (b[off + GFP.UPI]) {
    case GFP_UPI.ETHERNET: return decodeEthernet(b, o, frameEnd, p);
    case GFP_UPI.PPP: return decodePppHdlc(b, o, frameEnd, p);
    case GFP_UPI.MPLS:
    case GFP_UPI.MPLS_MULTICAST: return decodeMpls(b, o, frameEnd, p);
    case GFP_UPI.IPV4: return decodeNetwork(b, o, frameEnd, NET.IPV4, p);
    case GFP_UPI.IPV6: return decodeNetwork(b, o, frameEnd, NET.IPV6, p);
    default: return notIp(p, STOP_TABLE.LINKTYPE, LINKTYPE.GFP_F);
  }
}

/** Wireshark's exported PDUs: walk the tags, then hand the payload to the named dissector. */
function decodeExportedPdu(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  let o = off;
  let nameOff = -1;
  let nameLen = 0;
  for (;;) {
    if (o + 4 > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.WIRESHARK_UPPER_PDU);
    const tag = u16be(b, o);
    const len = u16be(b, o + 2);
    o += 4;
    if (tag === EXPORTED_PDU.TAG_END) break;
    if (tag === EXPORTED_PDU.TAG_DISSECTOR_NAME) {
      nameOff = o;
      nameLen = len;
    }
    o += len;
  }
  if (nameOff < 0 || nameOff + nameLen > end) return notIp(p, STOP_TABLE.LINKTYPE, LINKTYPE.WIRESHARK_UPPER_PDU);
  if (sameBytes(b, nameOff, nameLen, PDU_NAMES.IP)) return decodeNetwork(b, o, end, NET.IPV4, p);
  if (sameBytes(b, nameOff, nameLen, PDU_NAMES.IPV6)) return decodeNetwork(b, o, end, NET.IPV6, p);
  if (sameBytes(b, nameOff, nameLen, PDU_NAMES.RAW_IP)) return decodeNetwork(b, o, end, NET.ANY, p);
  if (sameBytes(b, nameOff, nameLen, PDU_NAMES.ETH_WITHOUT_FCS) || sameBytes(b, nameOff, nameLen, PDU_NAMES.ETH_WITH_FCS)
    || sameBytes(b, nameOff, nameLen, PDU_NAMES.ETH_MAYBE_FCS)) return decodeEthernet(b, o, end, p);
  notIp(p, STOP_TABLE.LINKTYPE, LINKTYPE.WIRESHARK_UPPER_PDU);
}

/** Does b[off, off + len) hold exactly `name` (a tag value may carry trailing NUL padding)? */
function sameBytes(b: Uint8Array, off: number, len: number, name: Uint8Array): boolean {
  if (len < name.length) return false;
  for (let i = 0; i < name.length; i++) if (b[off + i] !== name[i]) return false;
  for (let i = name.length; i < len; i++) if (b[off + i] !== 0) return false;
  return true;
}

/** Juniper "MGC" pseudo-header; the extension flag adds a 2-byte length of TLVs. */
function decodeJuniperEther(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + JUNIPER.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.JUNIPER_ETHER);
  if (b[off] !== 0x4d || b[off + 1] !== 0x47 || b[off + 2] !== 0x43) return notIp(p, STOP_TABLE.DETAIL, DETAIL.JUNIPER_MAGIC);
  const flags = b[off + JUNIPER.FLAGS]!;
  let o = off + JUNIPER.LEN;
  if (flags & JUNIPER.EXT_PRESENT) {
    if (o + 2 > end) return truncated(p, STOP_TABLE.LINKTYPE, LINKTYPE.JUNIPER_ETHER);
    o += 2 + u16be(b, o);
  }
  if (flags & JUNIPER.NO_L2) return decodeNetwork(b, o, end, NET.ANY, p);
  decodeEthernet(b, o, end, p);
}

