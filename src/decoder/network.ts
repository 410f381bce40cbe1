import type { IpLayer } from './decoded-packet';
import { decodeIpv4, ipIncomplete } from './ipv4';
import { decodeIpv6 } from './ipv6';

/** What the link layer said comes next. */
export const NET = {
  /** Raw IP: the version nibble decides. */
  ANY: 0,
  /** An IPv4 type field (ethertype 0x0800, AF_INET, ...). */
  IPV4: 4,
  /** An IPv6 type field. */
  IPV6: 6,
} as const;

/**
 * Decode the IP header the link layer points at. As in tshark, an IPv4 type followed by a
 * version-6 header is IPv6; an IPv6 type followed by anything but version 6 is not IP.
 */
export function decodeNetwork(b: Uint8Array, off: number, end: number, kind: number, p: IpLayer): void {
  if (off >= end) return ipIncomplete(p, -1);
  const version = b[off]! >> 4;
  if (version === 4 && kind !== NET.IPV6) {
    decodeIpv4(b, off, end, p);
  } else if (version === 6) {
    decodeIpv6(b, off, end, p);
    if (kind === NET.IPV4) p.ipv6UnderIpv4 = true;
  } else {
    ipIncomplete(p, version);
  }
}
