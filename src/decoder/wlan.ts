import { u16le, u32be, u32le } from './bytes';
import type { IpLayer } from './decoded-packet';
import { decodeLlc } from './ethertype';
import { DETAIL, notIp, STOP_TABLE, truncated } from './stop';

/** IEEE 802.11 MAC header: frame control (2), duration, three addresses, sequence; a fourth address with ToDS+FromDS. */
const WLAN = { FC0: 0, FC1: 1, LEN: 24, ADDR4_LEN: 30, QOS_LEN: 2, HT_LEN: 4 } as const;
const FC1 = { DS_BOTH: 0x03, PROTECTED: 0x40, ORDER: 0x80 } as const;
const FRAME_TYPE_DATA = 2;
/** Subtype bits: 0x4 no data (null, CF-ack/poll only), 0x8 QoS. */
const SUBTYPE = { NO_DATA: 0x4, QOS: 0x8 } as const;
/** QoS control bit 7: the body is an A-MSDU of subframes (DA, SA, length, MSDU). */
const QOS_AMSDU = 0x80;
const AMSDU_SUBFRAME_HEADER = 14;
/** Radiotap: version, pad, length (LE), present bitmap (LE); flags field bit 0x20 = data padded to 4. */
const RADIOTAP = { LEN: 2, PRESENT: 4, MIN_LEN: 8, TSFT: 0x1, FLAGS: 0x2, EXT: 0x80000000, FLAG_PADDED: 0x20 } as const;
/** Prism II monitor header (wlan_ng_prism2_header): always 144 bytes; an AVS magic here means an AVS header. */
const PRISM_LEN = 144;
/** AVS capture header: magic (BE) 0x8021100x, header length (BE). */
const AVS = { MAGIC: 0, LEN: 4, MIN_LEN: 8, MAGIC_V1: 0x80211001, MAGIC_V2: 0x80211002 } as const;

/** IEEE 802.11 data frames (not protected) carry LLC/SNAP. */
export function decode80211(b: Uint8Array, off: number, end: number, padded: boolean, p: IpLayer): void {
  if (off + WLAN.LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, 105);
  const fc0 = b[off + WLAN.FC0]!;
  const fc1 = b[off + WLAN.FC1]!;
  const type = (fc0 >> 2) & 3;
  const subtype = fc0 >> 4;
  if (type !== FRAME_TYPE_DATA) return notIp(p, STOP_TABLE.WLAN, fc0);
  if (subtype & SUBTYPE.NO_DATA) return notIp(p, STOP_TABLE.DETAIL, DETAIL.WLAN_NO_PAYLOAD);
  if (fc1 & FC1.PROTECTED) return notIp(p, STOP_TABLE.DETAIL, DETAIL.WLAN_PROTECTED);
  let headerLen: number = (fc1 & FC1.DS_BOTH) === FC1.DS_BOTH ? WLAN.ADDR4_LEN : WLAN.LEN;
  let amsdu = false;
  if (subtype & SUBTYPE.QOS) {
    if (off + headerLen + 1 <= end) amsdu = (b[off + headerLen]! & QOS_AMSDU) !== 0;
    headerLen += WLAN.QOS_LEN;
    if (fc1 & FC1.ORDER) headerLen += WLAN.HT_LEN;
  }
  if (padded) headerLen = (headerLen + 3) & ~3;
  // An A-MSDU's first subframe holds the first IP header Wireshark shows.
  if (amsdu) headerLen += AMSDU_SUBFRAME_HEADER;
  decodeLlc(b, off + headerLen, end, p);
}

/** Radiotap: its own length at byte 2; the flags field says whether 802.11 headers are padded. */
export function decodeRadiotap(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + RADIOTAP.MIN_LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, 127);
  const len = u16le(b, off + RADIOTAP.LEN);
  if (len < RADIOTAP.MIN_LEN || off + len > end) return truncated(p, STOP_TABLE.DETAIL, DETAIL.RADIOTAP_LEN);
  let padded = false;
  const present = u32le(b, off + RADIOTAP.PRESENT);
  if (present & RADIOTAP.FLAGS) {
    // Skip extended presence words, then TSFT (8 bytes, 8-aligned) if present; flags follow.
    let o = off + RADIOTAP.MIN_LEN;
    let word = present;
    while (word & RADIOTAP.EXT && o + 4 <= off + len) {
      word = u32le(b, o);
      o += 4;
    }
    if (present & RADIOTAP.TSFT) o = off + (((o - off) + 7) & ~7) + 8;
    if (o < off + len) padded = (b[o]! & RADIOTAP.FLAG_PADDED) !== 0;
  }
  decode80211(b, off + len, end, padded, p);
}

/** LINKTYPE 119: Prism II header (or an AVS header behind it, as Wireshark checks), then 802.11. */
export function decodePrism(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + AVS.MIN_LEN <= end && isAvsMagic(u32be(b, off))) return decodeAvs(b, off, end, p);
  if (off + PRISM_LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, 119);
  decode80211(b, off + PRISM_LEN, end, false, p);
}

/** LINKTYPE 163: AVS capture header (its length at byte 4, big-endian), then 802.11. */
export function decodeAvs(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (off + AVS.MIN_LEN > end) return truncated(p, STOP_TABLE.LINKTYPE, 163);
  const len = u32be(b, off + AVS.LEN);
  if (len < AVS.MIN_LEN || len > end - off) return truncated(p, STOP_TABLE.LINKTYPE, 163);
  decode80211(b, off + len, end, false, p);
}

function isAvsMagic(v: number): boolean {
  return v === AVS.MAGIC_V1 || v === AVS.MAGIC_V2;
}
