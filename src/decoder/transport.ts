import { u16be } from './bytes';
import type { IpLayer } from './decoded-packet';

export const IP_PROTO = {
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  GRE: 47,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  SCTP: 132,
  UDPLITE: 136,
} as const;

/** TCP header: ports first (like UDP), flags at byte 13. */
export const TCP = { SRC_PORT: 0, DST_PORT: 2, DATA_OFFSET: 12, FLAGS: 13 } as const;

/**
 * Read the ports of a TCP or UDP header at `off`, when its first 4 bytes lie before `end`
 * (the smaller of the captured end and the IP datagram's end). A truncated or bogus
 * header still has ports if those 4 bytes are there.
 */
export function decodeTransport(b: Uint8Array, off: number, end: number, proto: number, p: IpLayer): void {
  if (proto === IP_PROTO.ICMP || proto === IP_PROTO.ICMPV6) {
    // No ports, but the analyzer reads ICMP errors (port unreachable) to tell refused UDP ports.
    p.l4Offset = off;
    p.l4Len = end - off;
    return;
  }
  if (proto !== IP_PROTO.TCP && proto !== IP_PROTO.UDP) return;
  p.l4Offset = off;
  p.l4Len = end - off;
  if (off + 4 > end) return;
  p.sport = u16be(b, off + TCP.SRC_PORT);
  p.dport = u16be(b, off + TCP.DST_PORT);
  if (proto === IP_PROTO.UDP) {
    if (off + UDP_HEADER_LEN <= end) p.payloadOffset = off + UDP_HEADER_LEN;
    return;
  }
  if (off + TCP.FLAGS < end) p.tcpFlags = b[off + TCP.FLAGS]!;
  if (off + TCP.DATA_OFFSET < end) {
    const headerLen = (b[off + TCP.DATA_OFFSET]! >> 4) * 4;
    if (headerLen >= TCP_MIN_HEADER_LEN && off + headerLen <= end) p.payloadOffset = off + headerLen;
  }
}

const UDP_HEADER_LEN = 8;
const TCP_MIN_HEADER_LEN = 20;
