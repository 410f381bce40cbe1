// Where decoding stopped without reaching IP, as (table, type) numbers the analysis can count
// without strings; encapsulations.ts names them and says why.
import { NO_IP, type IpLayer } from './decoded-packet';

/**
 * The table a stop value belongs to: one of Wireshark's dissector tables where that exists
 * (`tshark -G dissector-tables`), else a header of our own naming (DETAIL).
 */
export const STOP_TABLE = {
  NONE: 0,
  /** pcap/pcapng LINKTYPE_* value (Wireshark's wtap_encap via pcap_to_wtap_map). */
  LINKTYPE: 1,
  /** ethertype. */
  ETHERTYPE: 2,
  /** llc.dsap (type = DSAP << 8 | SSAP). */
  LLC_SAP: 3,
  /** SNAP organisation code (type = OUI) with a protocol id other than an ethertype. */
  SNAP_OUI: 4,
  /** ppp.protocol. */
  PPP: 5,
  /** null.type: BSD address family (NULL, LOOP, ENC, PFLOG). */
  NULL_FAMILY: 6,
  /** chdlc.protocol. */
  CHDLC: 7,
  /** fr.nlpid. */
  FR_NLPID: 8,
  /** sll.ltype: Linux SLL protocol values below 0x0600. */
  SLL_PROTOCOL: 9,
  /** sll.hatype. */
  SLL_HATYPE: 10,
  /** First nibble after the MPLS label stack (type = nibble), or a label Wireshark maps (type = 0x100000 + label). */
  MPLS: 11,
  /** gre.proto. */
  GRE: 12,
  /** The version nibble where IP was expected (-1: not captured). */
  IP_VERSION: 13,
  /** Solaris IPNET address family. */
  IPNET_FAMILY: 14,
  /** Linux NFLOG address family. */
  NFLOG_FAMILY: 15,
  /** ARCNET protocol id. */
  ARCNET: 16,
  /** AX.25 PID. */
  AX25_PID: 17,
  /** 802.11 frame: type = frame-control byte 0 (type and subtype). */
  WLAN: 18,
  /** A header's own condition (DETAIL values). */
  DETAIL: 19,
  /** vxlan.next_proto / nsh.next_proto (VXLAN-GPE, NSH). */
  NEXT_PROTO: 20,
  /** TZSP encapsulation. */
  TZSP_ENCAP: 21,
  /** PPI / PKTAP inner link type. */
  INNER_LINKTYPE: 22,
  /** Exported PDU protocol name not followed (type = 0). */
  EXPORTED_PDU: 23,
} as const;

/** Conditions of a header (STOP_TABLE.DETAIL) that keep its payload from being IP. */
export const DETAIL = {
  MACSEC_PROTECTED: 1,
  AVSP_SUBTYPE: 2,
  NSH_HEADER_LEN: 3,
  WLAN_PROTECTED: 4,
  WLAN_NO_PAYLOAD: 5,
  JUNIPER_MAGIC: 6,
  VJ_COMPRESSED: 7,
  MP_FRAGMENT: 8,
  BCP_MAC_TYPE: 9,
  PPP_BAD_ADDRESS: 10,
  ERSPAN_VERSION: 11,
  VJ_NOT_IPV4: 12,
  NESTING: 13,
  TZSP_TYPE: 14,
  PWACH_CHANNEL: 15,
  RADIOTAP_LEN: 16,
  /** A tunnel header cut short by the capture. */
  TUNNEL_HEADER_CUT: 17,
  /** A tunnel message Wireshark does not follow to IP (GTP signalling, L2TP control, a non-IP T-PDU, ...). */
  TUNNEL_NOT_FOLLOWED: 18,
} as const;

/** Header nesting is bounded so a crafted frame cannot recurse deep (reset per frame and per tunnel). */
export const MAX_SHIMS = 64;
export const shims = { left: MAX_SHIMS };

export function stop(p: IpLayer, reason: number, table: number, type: number): void {
  p.noIpReason = reason;
  p.stopTable = table;
  p.stopType = type;
}

export function notIp(p: IpLayer, table: number, type: number): void {
  p.noIpReason = NO_IP.NOT_IP;
  p.stopTable = table;
  p.stopType = type;
}

export function truncated(p: IpLayer, table: number, type: number): void {
  p.noIpReason = NO_IP.LINK_TRUNCATED;
  p.stopTable = table;
  p.stopType = type;
}

/** One more nested header; false (and the frame stops) when the budget is spent. */
export function nest(p: IpLayer): boolean {
  if (--shims.left >= 0) return true;
  notIp(p, STOP_TABLE.DETAIL, DETAIL.NESTING);
  return false;
}
