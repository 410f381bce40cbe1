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
  GFP_T: 170,
  GFP_F: 171,
  JUNIPER_ETHER: 178,
  PPI: 192,
  ERF: 197,
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

/** PSEUDO_HEADER_LEN value for a pseudo-header whose length each record states (ERF). */
export const ERF_VARIABLE = -1;

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
  197: ERF_VARIABLE, // ERF: its own record header, see readErfHeader
  201: 4, // Bluetooth HCI H4 with pseudo-header
  204: 1, // PPP with direction
  209: 5, // Linux I2C (bus number and flags; text2pcap -l 209 writes 5 bytes, tshark strips them)
  245: 2, // NFC LLCP (adapter, flags)
  254: 4, // Bluetooth Linux monitor (adapter id, opcode)
};

/**
 * ERF record header (Endace), which wiretap strips as a pseudo-header: timestamp (8), type (7 bits,
 * 0x80 = extension headers follow), flags, record length, loss counter, wire length; 8-byte
 * extension headers (0x80 of their first byte = another follows); then 2 bytes of offset/pad for
 * Ethernet records and a 4-byte channel header for multichannel ones. tshark's frame.len is the
 * header's wire length.
 */
const ERF = { TYPE: 8, WLEN: 14, LEN: 16, EXT_LEN: 8, MORE: 0x80, TYPE_MASK: 0x7f, ETH_PAD: 2, MC_HEADER: 4 } as const;
const ERF_TYPE = {
  HDLC_POS: 1, ETH: 2, MC_HDLC: 5, COLOR_HDLC_POS: 10, DSM_COLOR_HDLC_POS: 15, COLOR_HASH_POS: 19, MC_RAW: 6, MC_ATM: 7, MC_RAW_CHANNEL: 8, MC_AAL5: 9, COLOR_ETH: 11, MC_AAL2: 12,
  DSM_COLOR_ETH: 16, COLOR_MC_HDLC_POS: 17, COLOR_HASH_ETH: 20, IPV4: 22, IPV6: 23,
} as const;

/** What readErfHeader found (reused: nothing is allocated per record). */
export const erfRecord = { headerLen: 0, wireLen: 0, payloadLinkType: 0 };

/**
 * Read the ERF header of a record of `caplen` bytes at `off` into erfRecord; false when the
 * record is shorter than its header. The payload link type is Ethernet, raw IPv4 or raw IPv6 for
 * those ERF types, PPP/Cisco HDLC for the HDLC ones, else ERF itself (not decoded: ATM cells).
 */
export function readErfHeader(b: Uint8Array, off: number, caplen: number): boolean {
  if (caplen < ERF.LEN) return false;
  const typeByte = b[off + ERF.TYPE]!;
  let len: number = ERF.LEN;
  if (typeByte & ERF.MORE) {
    for (;;) {
      if (len + ERF.EXT_LEN > caplen) return false;
      const more = b[off + len]! & ERF.MORE;
      len += ERF.EXT_LEN;
      if (!more) break;
    }
  }
  let payload: number = LINKTYPE.ERF;
  switch (typeByte & ERF.TYPE_MASK) {
    case ERF_TYPE.ETH:
    case ERF_TYPE.COLOR_ETH:
    case ERF_TYPE.DSM_COLOR_ETH:
    case ERF_TYPE.COLOR_HASH_ETH:
      len += ERF.ETH_PAD;
      payload = LINKTYPE.ETHERNET;
      break;
    case ERF_TYPE.MC_HDLC:
    case ERF_TYPE.COLOR_MC_HDLC_POS:
      len += ERF.MC_HEADER;
      payload = LINKTYPE.PPP_SERIAL;
      break;
    case ERF_TYPE.HDLC_POS:
    case ERF_TYPE.COLOR_HDLC_POS:
    case ERF_TYPE.DSM_COLOR_HDLC_POS:
    case ERF_TYPE.COLOR_HASH_POS:
      // packet-erf.c's default guess: 0x0F/0x8F first is Cisco HDLC, else PPP (LINKTYPE 50 decodes just so).
      payload = LINKTYPE.PPP_SERIAL;
      break;
    case ERF_TYPE.MC_RAW:
    case ERF_TYPE.MC_ATM:
    case ERF_TYPE.MC_RAW_CHANNEL:
    case ERF_TYPE.MC_AAL5:
    case ERF_TYPE.MC_AAL2:
      len += ERF.MC_HEADER;
      break;
    case ERF_TYPE.IPV4:
      payload = LINKTYPE.IPV4;
      break;
    case ERF_TYPE.IPV6:
      payload = LINKTYPE.IPV6;
      break;
    default:
      break;
  }
  if (len > caplen) return false;
  erfRecord.headerLen = len;
  erfRecord.wireLen = (b[off + ERF.WLEN]! << 8) | b[off + ERF.WLEN + 1]!;
  erfRecord.payloadLinkType = payload;
  return true;
}
