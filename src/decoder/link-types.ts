// LINKTYPE_* values (tcpdump.org/linktypes.html) Porthole decodes, and names for reports.

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  AX25: 3,
  TOKEN_RING: 6,
  ARCNET_BSD: 7,
  PPP: 9,
  FDDI: 10,
  /** DLT_ATM_RFC1483 on some BSDs; Wireshark maps it to RFC 1483 ATM like 100. */
  ATM_RFC1483_11: 11,
  RAW_OPENBSD: 12,
  /** DLT_ENC on OpenBSD before 109 was assigned. */
  ENC_13: 13,
  RAW_BSDOS: 14,
  /** Old Linux DLT values for ATM CLIP that Wireshark still maps to it. */
  ATM_CLIP_16: 16,
  ATM_CLIP_18: 18,
  ATM_CLIP_19: 19,
  PPP_SERIAL: 50,
  PPP_ETHER: 51,
  ATM_RFC1483: 100,
  RAW: 101,
  C_HDLC: 104,
  IEEE802_11: 105,
  ATM_CLIP: 106,
  FRELAY: 107,
  LOOP: 108,
  ENC: 109,
  C_HDLC_NETBSD: 112,
  LINUX_SLL: 113,
  PFLOG: 117,
  IEEE802_11_PRISM: 119,
  IP_OVER_FC: 122,
  IEEE802_11_RADIOTAP: 127,
  TZSP: 128,
  ARCNET_LINUX: 129,
  APPLE_IP_OVER_1394: 138,
  IEEE802_11_AVS: 163,
  JUNIPER_ETHER: 178,
  PPI: 192,
  AX25_KISS: 202,
  PPP_WITH_DIR: 204,
  IPNET: 226,
  IPV4: 228,
  IPV6: 229,
  NFLOG: 239,
  NETANALYZER: 240,
  IPOIB: 242,
  WIRESHARK_UPPER_PDU: 252,
  /** Apple used DLT_USER2 for PKTAP before 258 was assigned; tshark reads it as PKTAP. */
  USER2: 149,
  PKTAP: 258,
  LINUX_SLL2: 276,
} as const;

/** pcap's network field carries FCS/flag bits above the link type (libpcap masks them). */
export const LINKTYPE_MASK = 0x03ffffff;

const NAMES: Record<number, string> = {
  0: 'BSD loopback (NULL)',
  1: 'Ethernet',
  3: 'AX.25',
  6: 'IEEE 802.5 Token Ring',
  8: 'SLIP',
  9: 'PPP',
  10: 'FDDI',
  12: 'Raw IP (OpenBSD)',
  14: 'Raw IP (BSD/OS)',
  50: 'PPP in HDLC framing',
  51: 'PPPoE',
  101: 'Raw IP',
  104: 'Cisco HDLC',
  105: 'IEEE 802.11',
  106: 'ATM classical IP',
  107: 'Frame Relay',
  108: 'OpenBSD loopback (LOOP)',
  113: 'Linux cooked (SLL)',
  119: 'Prism 802.11',
  122: 'IP over Fibre Channel',
  123: 'SunATM',
  127: 'IEEE 802.11 with radiotap',
  129: 'ARCNET (Linux)',
  132: 'Juniper ES',
  137: 'Juniper ATM1',
  138: 'Apple IP over IEEE 1394',
  143: 'DOCSIS',
  147: 'User 0',
  148: 'User 1',
  149: 'User 2',
  160: 'User 13',
  163: 'AVS 802.11',
  164: 'Juniper monitor',
  178: 'Juniper Ethernet',
  182: 'Multi-link Frame Relay',
  189: 'Linux USB',
  192: 'PPI',
  195: 'IEEE 802.15.4',
  201: 'Bluetooth HCI H4 with phdr',
  215: 'IEEE 802.15.4 (no FCS)',
  220: 'Linux USB (mmapped)',
  226: 'Solaris IPNET',
  227: 'SocketCAN',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  239: 'Linux NFLOG',
  242: 'IP over InfiniBand',
  249: 'USBPcap',
  258: 'Apple PKTAP',
  263: 'Bluetooth LE LL',
  271: 'Linux vsock',
  276: 'Linux cooked v2 (SLL2)',
  281: 'Broadcom tag',
  282: 'Broadcom prepend tag',
  284: 'Marvell DSA',
  285: 'Marvell EDSA',
};

export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `link type ${linkType}`;
}

/**
 * Link types whose records start with a pseudo-header that Wireshark strips before the frame
 * (pcap_process_pseudo_header): frame lengths shrink by its size.
 */
export const PSEUDO_HEADER_LEN: Record<number, number> = {
  123: 4, // SunATM
  139: 4, // MTP2 with pseudo-header
  144: 16, // Linux IrDA
  177: 16, // Linux LAPD
  196: 5, // SITA
  201: 4, // Bluetooth HCI H4 with pseudo-header
  204: 1, // PPP with direction
  209: 4, // Linux I2C
};
