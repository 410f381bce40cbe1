// Streaming pcap/pcapng writer for the flow shapes: records go into one reused 8 MiB buffer that
// is written out and zeroed when full, so memory stays constant. Frame builders only write the
// non-zero bytes of a frame (padding, reserved fields and urgent pointers are already zero).
import { closeSync, openSync, writeSync } from 'node:fs';

const BUF_BYTES = 8 * 1024 * 1024;
const SNAPLEN = 262144;
const LINKTYPE_ETHERNET = 1;

export class CaptureWriter {
  constructor(path, format) {
    if (format !== 'pcap' && format !== 'pcapng') throw new Error(`unknown format ${format}`);
    this.format = format;
    this.fd = openSync(path, 'w');
    this.buf = Buffer.alloc(BUF_BYTES);
    this.pos = 0;
    this.packets = 0;
    this.bytes = 0;
    this.size = 0;
    this.firstUs = -1;
    this.lastUs = -1;
    const b = this.buf;
    if (format === 'pcap') {
      b.writeUInt32LE(0xa1b2c3d4, 0); b.writeUInt16LE(2, 4); b.writeUInt16LE(4, 6);
      b.writeUInt32LE(SNAPLEN, 16); b.writeUInt32LE(LINKTYPE_ETHERNET, 20);
      this.pos = 24;
    } else {
      // SHB (28 bytes) + IDB (20 bytes), little-endian, microsecond timestamps (the default if_tsresol).
      b.writeUInt32LE(0x0a0d0d0a, 0); b.writeUInt32LE(28, 4); b.writeUInt32LE(0x1a2b3c4d, 8); b.writeUInt16LE(1, 12);
      b.writeInt32LE(-1, 16); b.writeInt32LE(-1, 20); b.writeUInt32LE(28, 24);
      b.writeUInt32LE(1, 28); b.writeUInt32LE(20, 32); b.writeUInt16LE(LINKTYPE_ETHERNET, 36); b.writeUInt32LE(SNAPLEN, 40); b.writeUInt32LE(20, 44);
      this.pos = 48;
    }
  }

  /** Reserve one record of a `len`-byte frame at `tsUs` (whole µs since the epoch); returns the frame's offset in `this.buf`. */
  frame(tsUs, len) {
    const pcap = this.format === 'pcap';
    const recLen = pcap ? 16 + len : 32 + ((len + 3) & ~3);
    if (this.pos + recLen > BUF_BYTES) this.flush();
    const b = this.buf;
    const o = this.pos;
    if (pcap) {
      const sec = Math.floor(tsUs / 1e6);
      le32(b, o, sec); le32(b, o + 4, tsUs - sec * 1e6); le32(b, o + 8, len); le32(b, o + 12, len);
    } else {
      const hi = Math.floor(tsUs / 4294967296);
      le32(b, o, 6); le32(b, o + 4, recLen);
      le32(b, o + 12, hi); le32(b, o + 16, tsUs - hi * 4294967296); le32(b, o + 20, len); le32(b, o + 24, len);
      le32(b, o + recLen - 4, recLen);
    }
    this.pos += recLen;
    this.size += recLen;
    this.packets++;
    this.bytes += len;
    if (this.firstUs < 0) this.firstUs = tsUs;
    this.lastUs = tsUs;
    return o + (pcap ? 16 : 28);
  }

  flush() {
    writeSync(this.fd, this.buf, 0, this.pos);
    this.buf.fill(0, 0, this.pos);
    this.pos = 0;
  }

  close() {
    const header = this.format === 'pcap' ? 24 : 48;
    this.flush();
    closeSync(this.fd);
    this.size += header;
  }
}

function le32(b, o, v) { b[o] = v; b[o + 1] = v >>> 8; b[o + 2] = v >>> 16; b[o + 3] = v >>> 24; }
