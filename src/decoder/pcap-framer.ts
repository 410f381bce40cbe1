import { u16, u32 } from './bytes';
import type { StopReason } from './capture-info';
import type { Framer, FramerContext } from './framer';
import { MAX_PACKET_LEN } from './framer';
import { ERF_VARIABLE, erfRecord, linkTypeName, LINKTYPE_MASK, PSEUDO_HEADER_LEN, readErfHeader } from './link-types';

/** Classic libpcap file header and record header (wiki.wireshark.org/Development/LibpcapFileFormat). */
export const PCAP = {
  MAGIC: 0,
  VERSION_MAJOR: 4,
  VERSION_MINOR: 6,
  SNAPLEN: 16,
  NETWORK: 20,
  HEADER_LEN: 24,
  REC_TS_SEC: 0,
  REC_TS_FRAC: 4,
  REC_CAPLEN: 8,
  REC_ORIGLEN: 12,
  REC_HEADER_LEN: 16,
} as const;

const NS_PER_SEC = 1_000_000_000;

export const PCAP_MAGIC_USEC = 0xa1b2c3d4;
export const PCAP_MAGIC_NSEC = 0xa1b23c4d;
const PCAP_MAGIC_USEC_SWAPPED = 0xd4c3b2a1;
const PCAP_MAGIC_NSEC_SWAPPED = 0x4d3cb2a1;

/** Is this big-endian-read first word a pcap magic in either byte order? */
export function isPcapMagic(word: number): boolean {
  return word === PCAP_MAGIC_USEC || word === PCAP_MAGIC_NSEC
    || word === PCAP_MAGIC_USEC_SWAPPED || word === PCAP_MAGIC_NSEC_SWAPPED;
}

export class PcapFramer implements Framer {
  need: number = PCAP.HEADER_LEN;
  private headerDone = false;
  private le = true;
  private nano = false;
  private linkType = 0;
  private snaplen = 0;
  /** Bytes of link-specific pseudo-header Wireshark strips from each record. */
  private pseudoHeaderLen = 0;

  constructor(private readonly ctx: FramerContext) {}

  truncationReason(): StopReason {
    return this.headerDone ? 'truncated-record' : 'truncated-header';
  }

  parse(buf: Uint8Array, off: number, end: number, base: number): number {
    if (!this.headerDone) {
      if (end - off < PCAP.HEADER_LEN) {
        this.need = PCAP.HEADER_LEN;
        return off;
      }
      this.readHeader(buf, off);
      off += PCAP.HEADER_LEN;
    }
    const ctx = this.ctx;
    const rec = ctx.record;
    const sink = ctx.sink;
    const le = this.le;
    const iface = ctx.info.interfaces[0]!;
    rec.bytes = buf;
    rec.linkType = this.linkType;
    rec.payloadLinkType = this.linkType;
    rec.interfaceId = 0;
    rec.tsDigits = this.nano ? 9 : 6;
    rec.hasTime = true;
    const nano = this.nano;
    for (;;) {
      if (end - off < PCAP.REC_HEADER_LEN) {
        this.need = PCAP.REC_HEADER_LEN;
        return off;
      }
      const caplen = u32(buf, off + PCAP.REC_CAPLEN, le);
      if (caplen > MAX_PACKET_LEN) {
        ctx.fail('record-too-large', base + off, `record ${ctx.packets + 1} claims ${caplen} captured bytes`);
        return off;
      }
      const total = PCAP.REC_HEADER_LEN + caplen;
      if (end - off < total) {
        this.need = total;
        return off;
      }
      let origLen = u32(buf, off + PCAP.REC_ORIGLEN, le);
      let strip = this.pseudoHeaderLen;
      if (strip === ERF_VARIABLE) {
        if (!readErfHeader(buf, off + PCAP.REC_HEADER_LEN, caplen)) {
          ctx.fail('packet-too-short', base + off, `record ${ctx.packets + 1} has ${caplen} bytes, shorter than its ERF header`);
          return off;
        }
        strip = erfRecord.headerLen;
        origLen = erfRecord.wireLen;
        rec.payloadLinkType = erfRecord.payloadLinkType;
      } else if (strip > 0) {
        if (caplen < strip) {
          ctx.fail('packet-too-short', base + off, `record ${ctx.packets + 1} has ${caplen} bytes, the pseudo-header needs ${strip}`);
          return off;
        }
        origLen = origLen >= strip ? origLen - strip : 0;
      }
      rec.bytes = buf;
      rec.offset = off + PCAP.REC_HEADER_LEN + strip;
      // An ERF record never shows more bytes than its wire length (wiretap's erf reader).
      rec.caplen = this.pseudoHeaderLen === ERF_VARIABLE && caplen - strip > origLen ? origLen : caplen - strip;
      rec.origLen = origLen;
      const sec = u32(buf, off + PCAP.REC_TS_SEC, le);
      const frac = u32(buf, off + PCAP.REC_TS_FRAC, le);
      // wiretap stores the fraction as int nanoseconds, computed in 32 bits (usec * 1000 may wrap),
      // and tshark's time arithmetic carries what is beyond a second into the seconds.
      const ns = nano ? frac | 0 : Math.imul(frac, 1000);
      if (ns >= 0 && ns < NS_PER_SEC) {
        rec.tsSec = sec;
        rec.tsNs = ns;
      } else {
        const carry = Math.floor(ns / NS_PER_SEC);
        rec.tsSec = sec + carry;
        rec.tsNs = ns - carry * NS_PER_SEC;
      }
      rec.number = ++ctx.packets;
      rec.fileOffset = base + off;
      iface.packets++;
      iface.bytes += origLen;
      sink.packet(rec);
      off += total;
    }
  }

  private readHeader(buf: Uint8Array, off: number): void {
    const magicLe = u32(buf, off, true);
    this.le = magicLe === PCAP_MAGIC_USEC || magicLe === PCAP_MAGIC_NSEC;
    const magic = u32(buf, off, this.le);
    this.nano = magic === PCAP_MAGIC_NSEC;
    const le = this.le;
    this.snaplen = u32(buf, off + PCAP.SNAPLEN, le);
    this.linkType = (u32(buf, off + PCAP.NETWORK, le) & LINKTYPE_MASK) >>> 0;
    this.pseudoHeaderLen = PSEUDO_HEADER_LEN[this.linkType] ?? 0;
    const info = this.ctx.info;
    info.format = 'pcap';
    info.byteOrder = le ? 'little' : 'big';
    info.version = `${u16(buf, off + PCAP.VERSION_MAJOR, le)}.${u16(buf, off + PCAP.VERSION_MINOR, le)}`;
    info.interfaces.push({
      id: 0, section: 0, sectionIf: 0, linkType: this.linkType, linkTypeName: linkTypeName(this.linkType),
      snaplen: this.snaplen, tsResolution: { base: 10, exponent: this.nano ? 9 : 6 }, tsOffsetSec: 0,
      name: null, description: null, os: null, hardware: null, filter: null, comments: [], packets: 0, bytes: 0,
    });
    this.headerDone = true;
  }
}
