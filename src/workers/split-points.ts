import { u32 } from '../decoder/bytes';
import { MAX_PACKET_LEN } from '../decoder/framer';
import { isPcapMagic, PCAP, PCAP_MAGIC_NSEC, PCAP_MAGIC_USEC } from '../decoder/pcap-framer';
import { BLOCK, MAX_BLOCK_LEN } from '../decoder/pcapng-framer';

/** What a boundary search needs to know about a classic pcap file. */
export interface PcapLayout {
  format: 'pcap';
  le: boolean;
  nano: boolean;
  snaplen: number;
  /** Bytes every part must be fed first (the 24-byte file header). */
  headerLen: number;
  /** Timestamp (seconds) of the first record, to judge others plausible. */
  firstSec: number;
}

export interface PcapngLayout {
  format: 'pcapng';
  le: boolean;
  /** Bytes before the first packet block: SHB and IDBs every part must be fed first. */
  headerLen: number;
}

export type SplitLayout = PcapLayout | PcapngLayout;

/** Records in a row that must look valid before we trust a pcap boundary. */
const PCAP_CHAIN = 24;
const PCAPNG_CHAIN = 8;
/** Timestamps more than this far from the first record's make a header implausible. */
const MAX_TS_SPREAD_SEC = 366 * 24 * 3600;

/**
 * Learn how to split a capture from its first bytes, or null when it cannot be split
 * (gzip, unknown format, several sections or interfaces described after packets).
 */
export function splitLayout(head: Uint8Array): SplitLayout | null {
  if (head.length < 28) return null;
  const magicBe = u32(head, 0, false);
  if (isPcapMagic(magicBe)) {
    const le = u32(head, 0, true) === PCAP_MAGIC_USEC || u32(head, 0, true) === PCAP_MAGIC_NSEC;
    const magic = u32(head, 0, le);
    if (head.length < PCAP.HEADER_LEN + PCAP.REC_HEADER_LEN) return null;
    return {
      format: 'pcap', le, nano: magic === PCAP_MAGIC_NSEC, snaplen: u32(head, PCAP.SNAPLEN, le),
      headerLen: PCAP.HEADER_LEN, firstSec: u32(head, PCAP.HEADER_LEN, le),
    };
  }
  if (magicBe !== BLOCK.SHB) return null;
  const le = u32(head, 8, true) === 0x1a2b3c4d;
  // Walk SHB and IDBs up to the first packet block; anything else first means "don't split".
  let o = 0;
  while (o + 12 <= head.length) {
    const type = u32(head, o, le);
    const len = u32(head, o + 4, le);
    if (len < 12 || len % 4 || o + len > head.length) return null;
    if (type === BLOCK.EPB || type === BLOCK.SPB || type === BLOCK.PB) return { format: 'pcapng', le, headerLen: o };
    if (type === BLOCK.SHB && o !== 0) return null;
    o += len;
  }
  return null;
}

/** Does a valid pcap record header start at `o` (relative to `bytes`)? Returns its total length or 0. */
function pcapRecordAt(bytes: Uint8Array, o: number, l: PcapLayout): number {
  if (o + PCAP.REC_HEADER_LEN > bytes.length) return 0;
  const sec = u32(bytes, o, l.le);
  const frac = u32(bytes, o + 4, l.le);
  const caplen = u32(bytes, o + 8, l.le);
  const len = u32(bytes, o + 12, l.le);
  if (Math.abs(sec - l.firstSec) > MAX_TS_SPREAD_SEC) return 0;
  if (frac >= (l.nano ? 1e9 : 1e6)) return 0;
  if (caplen > len || caplen > MAX_PACKET_LEN || (l.snaplen > 0 && caplen > l.snaplen) || len === 0) return 0;
  return PCAP.REC_HEADER_LEN + caplen;
}

/**
 * First offset in `bytes` (absolute offset `base`) where a chain of plausible pcap record
 * headers starts and runs to the end of the window or PCAP_CHAIN records. Null when none, or
 * when a second chain that is not the same one also validates (ambiguous: do not split).
 */
export function pcapBoundary(bytes: Uint8Array, base: number, l: PcapLayout): number | null {
  // Walk the chain from p to the end of the window; it counts when it is long enough.
  const walk = (p: number): Set<number> | null => {
    const seen = new Set<number>();
    let o = p;
    for (;;) {
      // Near the end of the file a short chain must end exactly at the last byte.
      if (o + PCAP.REC_HEADER_LEN > bytes.length) return seen.size >= PCAP_CHAIN || (seen.size >= 3 && o === bytes.length) ? seen : null;
      const n = pcapRecordAt(bytes, o, l);
      if (n === 0) return seen.size >= PCAP_CHAIN ? seen : null;
      seen.add(o);
      o += n;
    }
  };
  const span = 2 * (MAX_PACKET_LEN + PCAP.REC_HEADER_LEN);
  let found: Set<number> | null = null;
  let at = -1;
  for (let p = 0; p < bytes.length && (found === null ? p < span : p < at + span); p++) {
    if (found !== null && found.has(p)) continue;
    if (pcapRecordAt(bytes, p, l) === 0) continue;
    const chain = walk(p);
    if (!chain) continue;
    if (found === null) {
      found = chain;
      at = p;
      continue;
    }
    // A second chain that never meets the first: the bytes could be read two ways.
    let meets = false;
    for (const q of chain) if (found.has(q)) { meets = true; break; }
    if (!meets) return null;
  }
  return found === null ? null : base + at;
}

const SKIPPABLE = new Set([BLOCK.EPB, BLOCK.SPB, BLOCK.PB, 4, 5, 9, 10, 0xbad, 0x40000bad]);

/** First 4-aligned offset where a chain of pcapng blocks with matching trailers starts. */
export function pcapngBoundary(bytes: Uint8Array, base: number, l: PcapngLayout): number | null {
  const start = (4 - (base % 4)) % 4;
  for (let p = start; p + 12 <= bytes.length; p += 4) {
    let o = p;
    let ok = 0;
    while (ok < PCAPNG_CHAIN && o + 12 <= bytes.length) {
      const type = u32(bytes, o, l.le);
      const len = u32(bytes, o + 4, l.le);
      if (!SKIPPABLE.has(type) || len < 12 || len % 4 || len > MAX_BLOCK_LEN) break;
      if (o + len > bytes.length) {
        if (ok >= 2) ok = PCAPNG_CHAIN; // runs past the window after a checked chain
        break;
      }
      if (u32(bytes, o + len - 4, l.le) !== len) break;
      o += len;
      ok++;
    }
    if (ok >= PCAPNG_CHAIN || (ok >= 2 && o + 12 > bytes.length)) {
      const type = u32(bytes, p, l.le);
      if (type === BLOCK.EPB || type === BLOCK.SPB || type === BLOCK.PB) return base + p;
    }
  }
  return null;
}
