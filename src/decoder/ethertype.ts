import { u16be } from './bytes';
import type { IpLayer } from './decoded-packet';
import { decodeMpls } from './mpls';
import { decodeNetwork, NET } from './network';
import { decodePppNoFraming } from './ppp';
import { DETAIL, nest, notIp, STOP_TABLE, truncated } from './stop';
import { decode80211 } from './wlan';

/** Ethertypes Porthole follows toward IP (Wireshark's ethertype table; encapsulations.ts lists all). */
export const ETHERTYPE = {
  IPV4: 0x0800,
  WLAN_CENTRINO: 0x2452,
  TRILL: 0x22f3,
  TEB: 0x6558,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  MPLS: 0x8847,
  MPLS_MULTICAST: 0x8848,
  PPPOE_SESSION: 0x8864,
  LLC_JUMBO: 0x8870,
  QINQ: 0x88a8,
  MACSEC: 0x88e5,
  PBB: 0x88e7,
  FABRICPATH: 0x8903,
  CMD: 0x8909,
  VNTAG: 0x8926,
  HSR: 0x892f,
  ETAG: 0x893f,
  NSH: 0x894f,
  QINQ_OLD: 0x9100,
  ARISTA: 0xd28b,
  RTAG: 0xf1c1,
} as const;

/** Largest 802.3 length value; type fields start at 0x0600. */
export const MAX_8023_LEN = 1500;
const MIN_ETHERTYPE = 0x0600;

/** Pseudo-types for the loop below: a whole MAC header, or an 802.2 LLC header, starts at `off`. */
export const NEXT_ETHERNET = -1;
export const NEXT_LLC = -2;
/** nshNext/nextProtoType: the header stopped the frame (and marked why). */
export const NEXT_NONE = -100;

const ETH = { DST: 0, SRC: 6, TYPE: 12, LEN: 14 } as const;
/** 802.1Q tag after its ethertype: TCI, then the inner type or 802.3 length. */
const VLAN = { TCI: 0, TYPE: 2, LEN: 4 } as const;
/** RFC 2516 session header after the ethertype; the PPP protocol follows. */
const PPPOE = { VER_TYPE: 0, CODE: 1, SESSION: 2, LENGTH: 4, LEN: 6 } as const;
/** IEEE 802.1AE SecTAG: TCI/AN, SL, PN, optional SCI. */
const MACSEC = { TCI: 0, LEN: 6, SCI_LEN: 8, TCI_SC: 0x20, TCI_E_C: 0x0c } as const;
/** RFC 8300 NSH base header: length in 4-byte words (6 bits), next protocol. */
const NSH = { LEN_WORDS: 1, NEXT: 3, MIN_LEN: 8 } as const;
const NSH_NEXT = { IPV4: 1, IPV6: 2, ETHERNET: 3, NSH: 4, MPLS: 5 } as const;
/** Arista AVSP: subtype 1 = timestamp; version 0x10 = 64-bit, 0x20 = 48-bit timestamp. */
const AVSP = { SUBTYPE: 0, VERSION: 3, TS64: 0x10, TS48: 0x20, TS64_LEN: 12, TS48_LEN: 10 } as const;
/** IEEE 802.1ah I-TAG: flags and I-SID, then the customer MAC header. */
const PBB_ITAG_LEN = 4;
/** IEEE 802.1BR E-Tag (6 bytes), Cisco VN-Tag (4 bytes), IEEE 802.1CB R-Tag (4 bytes), HSR tag (4 bytes): then an ethertype. */
const ETAG_LEN = 6;
const VNTAG_LEN = 4;
const RTAG_LEN = 4;
const HSR_LEN = 4;
/** Cisco MetaData: version, length, option, SGT; the ethertype follows at 6 (packet-cisco-metadata.c). */
const CMD_LEN = 6;
/** RFC 6325 TRILL: flags with a 5-bit option length in 4-byte words, egress and ingress nicknames. */
const TRILL = { FLAGS: 0, OPT_WORDS: 1, LEN: 6 } as const;
/** Cisco FabricPath: outer hierarchical MACs (12), ethertype 0x8903, FTag/TTL, then an Ethernet frame. */
const FABRICPATH_LEN = 16;
/** 802.2 LLC and SNAP. */
const LLC = { DSAP: 0, SSAP: 1, CONTROL: 2, LEN: 3 } as const;
const SNAP = { OUI: 3, PID: 6, LEN: 8 } as const;
const SAP = { SNAP: 0xaa, IP: 0x06 } as const;
/** SNAP OUIs whose protocol id is an ethertype: RFC 1042 encapsulation and Cisco's (llc.c). */
const OUI_ENCAP = 0x000000;
const OUI_CISCO_90 = 0x0000f8;

/**
 * Follow an ethertype (or a MAC header, NEXT_ETHERNET) through tags, shims and LLC to the
 * first IP header. One loop, so nesting costs no stack.
 */
export function decodeEthertype(b: Uint8Array, off: number, end: number, type: number, p: IpLayer): void {
  for (;;) {
    if (!nest(p)) return;
    switch (type) {
      case ETHERTYPE.IPV4:
        decodeNetwork(b, off, end, NET.IPV4, p);
        return;
      case ETHERTYPE.IPV6:
        decodeNetwork(b, off, end, NET.IPV6, p);
        return;
      case NEXT_ETHERNET:
        // Cisco FabricPath is found by Wireshark's (enabled) eth heuristic before the type.
        if (off + ETH.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, 1);
        type = u16be(b, off + ETH.TYPE);
        if (type === ETHERTYPE.FABRICPATH) {
          if (off + FABRICPATH_LEN > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
          off += FABRICPATH_LEN;
          type = NEXT_ETHERNET;
          continue;
        }
        off += ETH.LEN;
        if (type <= MAX_8023_LEN) type = NEXT_LLC;
        else if (type < MIN_ETHERTYPE) return notIp(p, STOP_TABLE.ETHERTYPE, type);
        continue;
      case NEXT_LLC: {
        if (off + LLC.LEN > end) return truncated(p, STOP_TABLE.LLC_SAP, -1);
        const dsap = b[off + LLC.DSAP]!;
        const ssap = b[off + LLC.SSAP]!;
        if (dsap === SAP.SNAP && ssap === SAP.SNAP) {
          if (off + SNAP.LEN > end) return truncated(p, STOP_TABLE.LLC_SAP, (dsap << 8) | ssap);
          const oui = (b[off + SNAP.OUI]! << 16) | (b[off + SNAP.OUI + 1]! << 8) | b[off + SNAP.OUI + 2]!;
          if (oui !== OUI_ENCAP && oui !== OUI_CISCO_90) return notIp(p, STOP_TABLE.SNAP_OUI, oui);
          type = u16be(b, off + SNAP.PID);
          off += SNAP.LEN;
          continue;
        }
        if (dsap === SAP.IP && ssap === SAP.IP) {
          decodeNetwork(b, off + LLC.LEN, end, NET.IPV4, p);
          return;
        }
        return notIp(p, STOP_TABLE.LLC_SAP, (dsap << 8) | ssap);
      }
      case ETHERTYPE.VLAN:
      case ETHERTYPE.QINQ:
      case ETHERTYPE.QINQ_OLD:
        if (off + VLAN.LEN > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
        type = u16be(b, off + VLAN.TYPE);
        off += VLAN.LEN;
        if (type <= MAX_8023_LEN) type = NEXT_LLC;
        continue;
      case ETHERTYPE.PBB:
        // The I-TAG is followed by a complete customer MAC header (IEEE 802.1ah).
        if (off + PBB_ITAG_LEN > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
        off += PBB_ITAG_LEN;
        type = NEXT_ETHERNET;
        continue;
      case ETHERTYPE.TEB:
        type = NEXT_ETHERNET;
        continue;
      case ETHERTYPE.ETAG:
      case ETHERTYPE.VNTAG:
      case ETHERTYPE.RTAG:
      case ETHERTYPE.HSR:
      case ETHERTYPE.CMD: {
        const len = type === ETHERTYPE.ETAG ? ETAG_LEN : type === ETHERTYPE.CMD ? CMD_LEN
          : type === ETHERTYPE.VNTAG ? VNTAG_LEN : type === ETHERTYPE.RTAG ? RTAG_LEN : HSR_LEN;
        if (off + len + 2 > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
        type = u16be(b, off + len);
        off += len + 2;
        continue;
      }
      case ETHERTYPE.TRILL: {
        if (off + TRILL.LEN > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
        const optWords = ((b[off + TRILL.FLAGS]! & 0x07) << 2) | (b[off + TRILL.OPT_WORDS]! >> 6);
        off += TRILL.LEN + optWords * 4;
        type = NEXT_ETHERNET;
        continue;
      }
      case ETHERTYPE.LLC_JUMBO:
        type = NEXT_LLC;
        continue;
      case ETHERTYPE.MPLS:
      case ETHERTYPE.MPLS_MULTICAST:
        decodeMpls(b, off, end, p);
        return;
      case ETHERTYPE.PPPOE_SESSION:
        // PPP without HDLC framing; the protocol field may be compressed (RFC 1661 §6.5).
        if (off + PPPOE.LEN > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
        decodePppNoFraming(b, off + PPPOE.LEN, end, p);
        return;
      case ETHERTYPE.MACSEC: {
        // Encrypted or changed payloads (E or C bit) hide the inner ethertype.
        if (off + MACSEC.LEN > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
        const tci = b[off + MACSEC.TCI]!;
        if (tci & MACSEC.TCI_E_C) return notIp(p, STOP_TABLE.DETAIL, DETAIL.MACSEC_PROTECTED);
        off += tci & MACSEC.TCI_SC ? MACSEC.LEN + MACSEC.SCI_LEN : MACSEC.LEN;
        if (off + 2 > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
        type = u16be(b, off);
        off += 2;
        continue;
      }
      case ETHERTYPE.NSH: {
        if (off + NSH.MIN_LEN > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
        const next = nshNext(b, off, p);
        if (next === NEXT_NONE) return;
        off += (b[off + NSH.LEN_WORDS]! & 0x3f) * 4;
        type = next;
        continue;
      }
      case ETHERTYPE.ARISTA: {
        if (off + 4 > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
        const version = b[off + AVSP.VERSION]!;
        if (u16be(b, off + AVSP.SUBTYPE) !== 1 || (version !== AVSP.TS64 && version !== AVSP.TS48)) {
          return notIp(p, STOP_TABLE.DETAIL, DETAIL.AVSP_SUBTYPE);
        }
        off += version === AVSP.TS64 ? AVSP.TS64_LEN : AVSP.TS48_LEN;
        if (off + 2 > end) return truncated(p, STOP_TABLE.ETHERTYPE, type);
        type = u16be(b, off);
        off += 2;
        continue;
      }
      case ETHERTYPE.WLAN_CENTRINO:
        decode80211(b, off, end, false, p);
        return;
      default:
        return notIp(p, STOP_TABLE.ETHERTYPE, type);
    }
  }
}

/**
 * NSH next protocol as an ethertype-loop type (NEXT_ETHERNET for Ethernet), or NEXT_NONE when it
 * stops (the header is then marked). VXLAN-GPE's next-protocol values are the same.
 */
export function nshNext(b: Uint8Array, off: number, p: IpLayer): number {
  if (((b[off + NSH.LEN_WORDS]! & 0x3f) * 4) < NSH.MIN_LEN) {
    notIp(p, STOP_TABLE.DETAIL, DETAIL.NSH_HEADER_LEN);
    return NEXT_NONE;
  }
  return nextProtoType(b[off + NSH.NEXT]!, p);
}

/** vxlan.next_proto / nsh.next_proto: 1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS. */
export function nextProtoType(next: number, p: IpLayer): number {
  switch (next) {
    case NSH_NEXT.IPV4: return ETHERTYPE.IPV4;
    case NSH_NEXT.IPV6: return ETHERTYPE.IPV6;
    case NSH_NEXT.ETHERNET: return NEXT_ETHERNET;
    case NSH_NEXT.NSH: return ETHERTYPE.NSH;
    case NSH_NEXT.MPLS: return ETHERTYPE.MPLS;
    default:
      notIp(p, STOP_TABLE.NEXT_PROTO, next);
      return NEXT_NONE;
  }
}

/** Ethernet II or 802.3: destination (6), source (6), type or length (2). */
export function decodeEthernet(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  // Plain IPv4/IPv6 straight away; everything else through the loop.
  if (off + ETH.LEN <= end) {
    const type = u16be(b, off + ETH.TYPE);
    if (type === ETHERTYPE.IPV4) return decodeNetwork(b, off + ETH.LEN, end, NET.IPV4, p);
    if (type === ETHERTYPE.IPV6) return decodeNetwork(b, off + ETH.LEN, end, NET.IPV6, p);
  }
  decodeEthertype(b, off, end, NEXT_ETHERNET, p);
}

/** IEEE 802.2 LLC; SNAP (AA AA 03 + OUI + type) carries an ethertype, SAP 06 is IP. */
export function decodeLlc(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  decodeEthertype(b, off, end, NEXT_LLC, p);
}

