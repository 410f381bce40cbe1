import { u16be, u32be } from './bytes';
import { DecodedPacket, FRAG, NO_IP } from './decoded-packet';
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
export function decodeIpv4(b: Uint8Array, off: number, end: number, p: DecodedPacket): void {
  if (end - off < IPV4.MIN_LEN) {
    p.noIpReason = NO_IP.IP_INCOMPLETE;
    return;
  }
  const headerLen = (b[off + IPV4.VER_IHL]! & 0x0f) * 4;
  const totalLen = u16be(b, off + IPV4.TOTAL_LEN);
  if (headerLen < IPV4.MIN_LEN || (totalLen !== 0 && totalLen < headerLen) || off + headerLen > end) {
    p.noIpReason = NO_IP.IP_INCOMPLETE;
    return;
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
  decodeTransport(b, off + headerLen, end < datagramEnd ? end : datagramEnd, proto, p);
}
