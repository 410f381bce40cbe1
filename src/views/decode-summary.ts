import { NO_IP, NO_IP_NAMES } from '../decoder/decoded-packet';
import { linkTypeName } from '../decoder/link-types';
import { protoLongName } from '../net/protocols';
import type { DecodeSummary } from '../schema/report';
import type { DecodeStats } from '../tap/decode-stats';

const NO_IP_REASON_IDS: Record<number, string> = {
  [NO_IP.NOT_IP]: 'not-ip',
  [NO_IP.LINK_UNSUPPORTED]: 'link-type-not-decoded',
  [NO_IP.LINK_TRUNCATED]: 'link-header-truncated',
  [NO_IP.IP_INCOMPLETE]: 'ip-header-incomplete',
};

const DECODED_LINK_TYPES = new Set([0, 1, 9, 12, 14, 50, 101, 104, 105, 107, 108, 113, 127, 129, 149, 178, 226, 228, 229, 239, 242, 258, 276]);

export function isDecodedLinkType(linkType: number): boolean {
  return DECODED_LINK_TYPES.has(linkType);
}

/** What the decoder saw, by link type, reason for no IP, IP version and protocol. */
export function decodeSummary(s: DecodeStats): DecodeSummary {
  const linkTypes = [...s.linkTypes.entries()]
    .map(([linkType, c]) => ({ linkType, name: linkTypeName(linkType), decoded: isDecodedLinkType(linkType), packets: c[0]!, bytes: c[1]! }))
    .sort((x, y) => x.linkType - y.linkType);
  const noIp = [];
  for (const reason of [NO_IP.NOT_IP, NO_IP.LINK_UNSUPPORTED, NO_IP.LINK_TRUNCATED, NO_IP.IP_INCOMPLETE]) {
    if (s.noIpPackets[reason]! > 0) {
      noIp.push({ reason: NO_IP_REASON_IDS[reason]!, description: NO_IP_NAMES[reason]!, packets: s.noIpPackets[reason]!, bytes: s.noIpBytes[reason]! });
    }
  }
  const l4 = [];
  for (let p = 0; p < 256; p++) {
    if (s.l4Packets[p]! > 0) l4.push({ proto: p, name: protoLongName(p), packets: s.l4Packets[p]!, bytes: s.l4Bytes[p]! });
  }
  return {
    packets: s.packets, bytes: s.bytes, capturedBytes: s.capturedBytes, sliced: s.sliced,
    linkTypes, noIp,
    ipVersions: { '4': { packets: s.ipv4Packets, bytes: s.ipv4Bytes }, '6': { packets: s.ipv6Packets, bytes: s.ipv6Bytes } },
    l4,
    withPorts: { packets: s.portPackets, bytes: s.portBytes },
    fragments: { first: s.firstFragments, nonfirst: s.nonFirstFragments },
    ipv6UnderIpv4: s.ipv6UnderIpv4,
  };
}
