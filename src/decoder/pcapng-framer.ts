import { u16, u32, u32le } from './bytes';
import type { InterfaceInfo, SectionInfo, StopReason } from './capture-info';
import type { Framer, FramerContext } from './framer';
import { MAX_PACKET_LEN } from './framer';
import { ERF_VARIABLE, erfRecord, linkTypeName, PSEUDO_HEADER_LEN, readErfHeader } from './link-types';
import { parseTsResolution, TimestampConverter } from './timestamp';

/** pcapng block types (draft-ietf-opsawg-pcapng §4, §11.1). */
export const BLOCK = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  PB: 0x00000002,
  SPB: 0x00000003,
  EPB: 0x00000006,
} as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const MIN_BLOCK_LEN = 12;
/** Largest block we buffer; real ones are a packet plus options. Larger means damage. */
export const MAX_BLOCK_LEN = 16 * 1024 * 1024;

/** Block body layouts, offsets from the block start. */
const SHB = { MAGIC: 8, MAJOR: 12, MINOR: 14, OPTIONS: 24, MIN_LEN: 28 } as const;
const IDB = { LINKTYPE: 8, SNAPLEN: 12, OPTIONS: 16, MIN_LEN: 20 } as const;
const EPB = { IF_ID: 8, TS_HIGH: 12, TS_LOW: 16, CAPLEN: 20, ORIGLEN: 24, DATA: 28, MIN_LEN: 32 } as const;
const PB = { IF_ID: 8, TS_HIGH: 12, TS_LOW: 16, CAPLEN: 20, ORIGLEN: 24, DATA: 28, MIN_LEN: 32 } as const;
const SPB = { ORIGLEN: 8, DATA: 12, MIN_LEN: 16 } as const;

/** Option codes (§4.2, §4.1). */
const OPT = { END: 0, COMMENT: 1 } as const;
const SHB_OPT = { HARDWARE: 2, OS: 3, USERAPPL: 4 } as const;
const IF_OPT = { NAME: 2, DESCRIPTION: 3, TSRESOL: 9, FILTER: 11, OS: 12, TSOFFSET: 14, HARDWARE: 15 } as const;

const utf8 = new TextDecoder('utf-8');

/** Per-interface state the hot loop needs, next to the metadata it reports. */
class InterfaceState {
  /** Bytes of link-specific pseudo-header Wireshark strips from each packet. */
  readonly pseudoHeaderLen: number;

  constructor(
    readonly info: InterfaceInfo,
    readonly ts: TimestampConverter,
  ) {
    this.pseudoHeaderLen = PSEUDO_HEADER_LEN[info.linkType] ?? 0;
  }
}

export class PcapngFramer implements Framer {
  need = MIN_BLOCK_LEN;
  private le = true;
  private inSection = false;
  private sectionIfaces: InterfaceState[] = [];

  constructor(private readonly ctx: FramerContext) {}

  truncationReason(): StopReason {
    return 'truncated-record';
  }

  parse(buf: Uint8Array, off: number, end: number, base: number): number {
    const ctx = this.ctx;
    for (;;) {
      if (end - off < MIN_BLOCK_LEN) {
        this.need = MIN_BLOCK_LEN;
        return off;
      }
      // The SHB type reads the same in both byte orders; its magic gives the section's order.
      let type = u32le(buf, off);
      if (type === BLOCK.SHB) {
        const magicLe = u32le(buf, off + SHB.MAGIC);
        if (magicLe === BYTE_ORDER_MAGIC) this.le = true;
        else if (u32(buf, off + SHB.MAGIC, false) === BYTE_ORDER_MAGIC) this.le = false;
        else {
          ctx.fail('bad-section-header', base + off, 'byte-order magic not found');
          return off;
        }
      } else {
        if (!this.inSection) {
          ctx.fail('missing-section-header', base + off);
          return off;
        }
        type = u32(buf, off, this.le);
      }
      const le = this.le;
      const len = u32(buf, off + 4, le);
      if (len < MIN_BLOCK_LEN || len % 4 !== 0 || len > MAX_BLOCK_LEN) {
        ctx.fail('bad-block-length', base + off, `block of type 0x${type.toString(16)} has length ${len}`);
        return off;
      }
      if (end - off < len) {
        this.need = len;
        return off;
      }
      const trailer = u32(buf, off + len - 4, le);
      if (trailer !== len) {
        ctx.fail('block-trailer-mismatch', base + off, `leading length ${len}, trailing length ${trailer}`);
        return off;
      }
      ctx.info.blocks++;
      switch (type) {
        case BLOCK.EPB:
          if (!this.packetBlock(buf, off, len, base, EPB.MIN_LEN, u32(buf, off + EPB.IF_ID, le))) return off;
          break;
        case BLOCK.PB:
          if (!this.packetBlock(buf, off, len, base, PB.MIN_LEN, u16(buf, off + PB.IF_ID, le))) return off;
          break;
        case BLOCK.SPB:
          if (!this.simplePacket(buf, off, len, base)) return off;
          break;
        case BLOCK.SHB:
          if (!this.sectionHeader(buf, off, len, base)) return off;
          break;
        case BLOCK.IDB:
          if (!this.interfaceDescription(buf, off, len, base)) return off;
          break;
        default:
          // Name resolution, statistics, decryption secrets, custom, unknown: skipped by length.
          break;
      }
      off += len;
    }
  }

  /** EPB and the obsolete PB share their layout after the interface id. */
  private packetBlock(buf: Uint8Array, off: number, len: number, base: number, minLen: number, ifId: number): boolean {
    const ctx = this.ctx;
    const le = this.le;
    if (len < minLen) {
      ctx.fail('bad-block-length', base + off, `packet block of ${len} bytes is shorter than its fixed fields`);
      return false;
    }
    const iface = this.sectionIfaces[ifId];
    if (iface === undefined) {
      ctx.fail('unknown-interface', base + off, `interface ${ifId}, but the section describes ${this.sectionIfaces.length}`);
      return false;
    }
    const caplen = u32(buf, off + EPB.CAPLEN, le);
    if (caplen > len - minLen || caplen > MAX_PACKET_LEN) {
      ctx.fail('packet-beyond-block', base + off, `captured length ${caplen} in a block of ${len} bytes`);
      return false;
    }
    iface.ts.convert(u32(buf, off + EPB.TS_HIGH, le), u32(buf, off + EPB.TS_LOW, le));
    return this.emit(buf, off + EPB.DATA, caplen, u32(buf, off + EPB.ORIGLEN, le), iface, base + off, true);
    return true;
  }

  private simplePacket(buf: Uint8Array, off: number, len: number, base: number): boolean {
    const ctx = this.ctx;
    const iface = this.sectionIfaces[0];
    if (iface === undefined) {
      ctx.fail('unknown-interface', base + off, 'a simple packet block before any interface description');
      return false;
    }
    if (len < SPB.MIN_LEN) {
      ctx.fail('bad-block-length', base + off, `simple packet block of ${len} bytes`);
      return false;
    }
    const origLen = u32(buf, off + SPB.ORIGLEN, this.le);
    let caplen = origLen;
    if (caplen > len - SPB.MIN_LEN) caplen = len - SPB.MIN_LEN;
    const snaplen = iface.info.snaplen;
    if (snaplen !== 0 && caplen > snaplen) caplen = snaplen;
    // SPBs carry no timestamp (draft-ietf-opsawg-pcapng §4.4); tshark shows none.
    iface.ts.sec = 0;
    iface.ts.ns = 0;
    return this.emit(buf, off + SPB.DATA, caplen, origLen, iface, base + off, false);
  }

  private emit(buf: Uint8Array, dataOff: number, caplen: number, origLen: number, iface: InterfaceState, fileOffset: number, hasTime: boolean): boolean {
    const ctx = this.ctx;
    const rec = ctx.record;
    const strip = iface.pseudoHeaderLen;
    rec.payloadLinkType = iface.info.linkType;
    if (strip === ERF_VARIABLE) {
      if (!readErfHeader(buf, dataOff, caplen)) {
        ctx.fail('packet-too-short', fileOffset, `packet ${ctx.packets + 1} has ${caplen} bytes, shorter than its ERF header`);
        return false;
      }
      dataOff += erfRecord.headerLen;
      caplen -= erfRecord.headerLen;
      origLen = erfRecord.wireLen;
      // An ERF record never shows more bytes than its wire length (wiretap's erf reader).
      if (caplen > origLen) caplen = origLen;
      rec.payloadLinkType = erfRecord.payloadLinkType;
    } else if (strip > 0) {
      if (caplen < strip) {
        ctx.fail('packet-too-short', fileOffset, `packet ${ctx.packets + 1} has ${caplen} bytes, the pseudo-header needs ${strip}`);
        return false;
      }
      dataOff += strip;
      caplen -= strip;
      origLen = origLen >= strip ? origLen - strip : 0;
    }
    rec.bytes = buf;
    rec.offset = dataOff;
    rec.caplen = caplen;
    rec.origLen = origLen;
    rec.linkType = iface.info.linkType;
    rec.interfaceId = iface.info.id;
    rec.tsSec = iface.ts.sec;
    rec.tsNs = iface.ts.ns;
    rec.tsDigits = iface.ts.digits;
    rec.hasTime = hasTime;
    rec.number = ++ctx.packets;
    rec.fileOffset = fileOffset;
    iface.info.packets++;
    iface.info.bytes += origLen;
    ctx.sink.packet(rec);
    return true;
  }

  private sectionHeader(buf: Uint8Array, off: number, len: number, base: number): boolean {
    const ctx = this.ctx;
    if (len < SHB.MIN_LEN) {
      ctx.fail('bad-section-header', base + off, `section header of ${len} bytes`);
      return false;
    }
    const le = this.le;
    const major = u16(buf, off + SHB.MAJOR, le);
    const minor = u16(buf, off + SHB.MINOR, le);
    if (major !== 1) {
      ctx.fail('bad-section-header', base + off, `unsupported pcapng version ${major}.${minor}`);
      return false;
    }
    const section: SectionInfo = {
      index: ctx.info.sections.length, offset: base + off, byteOrder: le ? 'little' : 'big',
      version: `${major}.${minor}`, comments: [], hardware: null, os: null, application: null,
    };
    readOptions(buf, off + SHB.OPTIONS, off + len - 4, le, (code, vOff, vLen) => {
      const text = () => utf8.decode(buf.subarray(vOff, vOff + vLen));
      if (code === OPT.COMMENT) section.comments.push(text());
      else if (code === SHB_OPT.HARDWARE) section.hardware = text();
      else if (code === SHB_OPT.OS) section.os = text();
      else if (code === SHB_OPT.USERAPPL) section.application = text();
    });
    const info = ctx.info;
    info.sections.push(section);
    if (info.format === null) {
      info.format = 'pcapng';
      info.byteOrder = section.byteOrder;
      info.version = section.version;
    }
    this.inSection = true;
    this.sectionIfaces = [];
    return true;
  }

  private interfaceDescription(buf: Uint8Array, off: number, len: number, base: number): boolean {
    const ctx = this.ctx;
    if (len < IDB.MIN_LEN) {
      ctx.fail('bad-block-length', base + off, `interface description of ${len} bytes`);
      return false;
    }
    const le = this.le;
    const linkType = u16(buf, off + IDB.LINKTYPE, le);
    const info: InterfaceInfo = {
      id: ctx.info.interfaces.length, section: ctx.info.sections.length - 1, sectionIf: this.sectionIfaces.length,
      linkType, linkTypeName: linkTypeName(linkType), snaplen: u32(buf, off + IDB.SNAPLEN, le),
      tsResolution: { base: 10, exponent: 6 }, tsOffsetSec: 0, name: null, description: null, os: null,
      hardware: null, filter: null, comments: [], packets: 0, bytes: 0,
    };
    readOptions(buf, off + IDB.OPTIONS, off + len - 4, le, (code, vOff, vLen) => {
      const text = () => utf8.decode(buf.subarray(vOff, vOff + vLen));
      switch (code) {
        case OPT.COMMENT: info.comments.push(text()); break;
        case IF_OPT.NAME: info.name = text(); break;
        case IF_OPT.DESCRIPTION: info.description = text(); break;
        case IF_OPT.OS: info.os = text(); break;
        case IF_OPT.HARDWARE: info.hardware = text(); break;
        case IF_OPT.FILTER: info.filter = vLen > 1 ? utf8.decode(buf.subarray(vOff + 1, vOff + vLen)) : ''; break;
        case IF_OPT.TSRESOL: if (vLen >= 1) info.tsResolution = parseTsResolution(buf[vOff]!); break;
        case IF_OPT.TSOFFSET:
          if (vLen >= 8) {
            const lo = u32(buf, vOff + (le ? 0 : 4), le);
            const hi = u32(buf, vOff + (le ? 4 : 0), le) | 0; // signed seconds
            info.tsOffsetSec = hi * 4294967296 + lo;
          }
          break;
        default: break;
      }
    });
    ctx.info.interfaces.push(info);
    this.sectionIfaces.push(new InterfaceState(info, new TimestampConverter(info.tsResolution, info.tsOffsetSec)));
    return true;
  }
}

/** Walk a TLV option list (code, length, value padded to 4); stops at opt_endofopt or damage. */
function readOptions(
  buf: Uint8Array, off: number, end: number, le: boolean,
  visit: (code: number, valueOff: number, valueLen: number) => void,
): void {
  while (off + 4 <= end) {
    const code = u16(buf, off, le);
    const vLen = u16(buf, off + 2, le);
    if (code === OPT.END) return;
    const vOff = off + 4;
    if (vOff + vLen > end) return;
    visit(code, vOff, vLen);
    off = vOff + ((vLen + 3) & ~3);
  }
}
