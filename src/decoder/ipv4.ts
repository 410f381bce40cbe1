import { u16be, u32be } from './bytes';
import { FRAG, IpLayer, NO_IP } from './decoded-packet';
import { STOP_TABLE } from './stop';
import { decodeTransport } from './transport';

/** RFC 791 header field offsets. */
export const IPV4 = {
  VER_IHL: 0,
  TOTAL_LEN: 2,
  FLAGS_FRAG: 6,
  PROTO: 9,
  SRC: 12,
  DST: 16,
  MIN_LEN: 20,
} as const;

const MORE_FRAGMENTS = 0x2000;
const FRAG_OFFSET_MASK = 0x1fff;

/**
 * Decode an IPv4 header at `off` (version nibble already known to be 4).
 * tshark shows the addresses only when the whole header (options included) was captured,
 * IHL >= 5 and total length >= header length (0 meaning TSO: to the end of the frame).
 */
export function decodeIpv4(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (end - off < IPV4.MIN_LEN) return ipIncomplete(p, 4);
  const headerLen = (b[off + IPV4.VER_IHL]! & 0x0f) * 4;
  const totalLen = u16be(b, off + IPV4.TOTAL_LEN);
  if (headerLen < IPV4.MIN_LEN || (totalLen !== 0 && totalLen < headerLen)
    || !destinationReadable(b, off, headerLen, end)) {
    return ipIncomplete(p, 4);
  }
  p.ipVersion = 4;
  p.ipOffset = off;
  p.addr[0] = u32be(b, off + IPV4.SRC);
  p.addr[4] = u32be(b, off + IPV4.DST);
  const proto = b[off + IPV4.PROTO]!;
  p.l4 = proto;
  const flagsFrag = u16be(b, off + IPV4.FLAGS_FRAG);
  const fragOffset = flagsFrag & FRAG_OFFSET_MASK;
  if (fragOffset !== 0) {
    p.frag = FRAG.NONFIRST;
    return;
  }
  if (flagsFrag & MORE_FRAGMENTS) p.frag = FRAG.FIRST;
  // Total length 0 is TCP segmentation offload: the datagram runs to the end of the frame.
  const datagramEnd = totalLen === 0 ? end : off + totalLen;
  const dataEnd = end < datagramEnd ? end : datagramEnd;
  p.dataOffset = off + headerLen;
  p.dataEnd = dataEnd;
  decodeTransport(b, off + headerLen, dataEnd, proto, p);
}

/** No IP header shown: the version nibble (or -1 when not even that was captured) says which. */
export function ipIncomplete(p: IpLayer, version: number): void {
  p.noIpReason = NO_IP.IP_INCOMPLETE;
  p.stopTable = STOP_TABLE.IP_VERSION;
  p.stopType = version;
}

/** Option kinds, as Wireshark's IPv4 option table knows them. */
const OPT = { EOL: 0, NOP: 1, LSRR: 0x83, SSRR: 0x89 } as const;
const NO_LENGTH = 0;
const FIXED = 1;
const VARIABLE = 2;
/** [length kind, length] per option type; others are VARIABLE with at least 2 bytes. */
const OPTION_LENGTHS = new Map<number, [number, number]>([
  [0x00, [NO_LENGTH, 1]], [0x01, [NO_LENGTH, 1]], [0x82, [FIXED, 11]], [0x83, [VARIABLE, 3]],
  [0x44, [VARIABLE, 4]], [0x85, [VARIABLE, 3]], [0x86, [VARIABLE, 10]], [0x07, [VARIABLE, 3]],
  [0x88, [FIXED, 4]], [0x89, [VARIABLE, 3]], [0x0b, [FIXED, 4]], [0x0c, [FIXED, 4]],
  [0x52, [FIXED, 12]], [0x94, [FIXED, 4]], [0x19, [FIXED, 8]],
]);

/**
 * Before tshark shows an IPv4 destination it walks the options looking for a source route
 * (whose last hop it would show instead). A walk that runs past the captured bytes throws,
 * and the destination is never shown; a source route also needs the whole header captured.
 * Mirrors Wireshark's get_dst_offset(); per packet it only runs when options exist.
 */
function destinationReadable(b: Uint8Array, ipOff: number, headerLen: number, end: number): boolean {
  let length = headerLen - IPV4.MIN_LEN;
  let o = ipOff + IPV4.MIN_LEN;
  while (length > 0) {
    if (o >= end) return false;
    const opt = b[o]!;
    const known = OPTION_LENGTHS.get(opt);
    const kind = known ? known[0] : VARIABLE;
    const optLen = known ? known[1] : 2;
    length--;
    if (kind !== NO_LENGTH) {
      if (length === 0) return true;
      if (o + 1 >= end) return false;
      let len = b[o + 1]!;
      length--;
      if (len < 2 || len - 2 > length) return true;
      if (kind === FIXED && len !== optLen) return true;
      if (kind === VARIABLE && len < optLen) return true;
      if (known && (opt === OPT.LSRR || opt === OPT.SSRR)) {
        if (o + 2 >= end) return false;
        const ptr = b[o + 2]!;
        if (ptr < 4 || (ptr & 3) || ptr > len) return true;
        return ipOff + headerLen <= end;
      }
      len -= 2;
      o += 2 + len;
      length -= len;
    } else {
      o += 1;
    }
    if (opt === OPT.EOL) return true;
  }
  return true;
}
