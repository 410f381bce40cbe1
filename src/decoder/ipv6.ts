import { u16be, u32be } from './bytes';
import { FRAG, IpLayer } from './decoded-packet';
import { ipIncomplete } from './ipv4';
import { decodeTransport } from './transport';

/** RFC 8200 header field offsets. */
export const IPV6 = {
  PAYLOAD_LEN: 4,
  NEXT_HEADER: 6,
  SRC: 8,
  DST: 24,
  LEN: 40,
} as const;

/** Extension headers tshark shows inside the IPv6 header (and so skips to find l4). */
export const IPV6_EXT = {
  HOP_BY_HOP: 0,
  ROUTING: 43,
  FRAGMENT: 44,
  AH: 51,
  DEST_OPTS: 60,
} as const;

const FRAGMENT_HEADER_LEN = 8;

/**
 * Decode an IPv6 header at `off` (version nibble already known to be 6), then walk the
 * extension header chain. A header is read only inside both the captured bytes and the
 * payload length; when the chain is cut short, l4 is the last next-header value read.
 */
export function decodeIpv6(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  if (end - off < IPV6.LEN) return ipIncomplete(p, 6);
  p.ipVersion = 6;
  p.ipOffset = off;
  const a = p.addr;
  a[0] = u32be(b, off + IPV6.SRC);
  a[1] = u32be(b, off + IPV6.SRC + 4);
  a[2] = u32be(b, off + IPV6.SRC + 8);
  a[3] = u32be(b, off + IPV6.SRC + 12);
  a[4] = u32be(b, off + IPV6.DST);
  a[5] = u32be(b, off + IPV6.DST + 4);
  a[6] = u32be(b, off + IPV6.DST + 8);
  a[7] = u32be(b, off + IPV6.DST + 12);

  const payloadStart = off + IPV6.LEN;
  const payloadLen = u16be(b, off + IPV6.PAYLOAD_LEN);
  let next = b[off + IPV6.NEXT_HEADER]!;
  // Payload length 0 before a hop-by-hop header is a jumbogram (RFC 2675) or BIG TCP:
  // tshark then takes the payload to run to the end of the captured frame.
  const payloadEnd = payloadLen === 0 && next === IPV6_EXT.HOP_BY_HOP ? end : payloadStart + payloadLen;
  const limit = end < payloadEnd ? end : payloadEnd;
  let o = payloadStart;
  for (;;) {
    if (next === IPV6_EXT.FRAGMENT) {
      if (o + FRAGMENT_HEADER_LEN > limit) break;
      const offsetFlags = u16be(b, o + 2);
      next = b[o]!;
      o += FRAGMENT_HEADER_LEN;
      if ((offsetFlags & 0xfff8) !== 0) {
        p.l4 = next;
        p.frag = FRAG.NONFIRST;
        return;
      }
      p.frag = FRAG.FIRST;
    } else if (next === IPV6_EXT.HOP_BY_HOP || next === IPV6_EXT.ROUTING || next === IPV6_EXT.DEST_OPTS
      || next === IPV6_EXT.AH) {
      // tshark takes the next-header byte even when the length byte after it was cut.
      if (o + 1 > limit) break;
      const following = b[o]!;
      if (o + 2 > limit) {
        p.l4 = following;
        return;
      }
      o += next === IPV6_EXT.AH ? (b[o + 1]! + 2) * 4 : (b[o + 1]! + 1) * 8;
      next = following;
    } else {
      break;
    }
  }
  p.l4 = next;
  p.dataOffset = o;
  p.dataEnd = limit;
  decodeTransport(b, o, limit, next, p);
}
