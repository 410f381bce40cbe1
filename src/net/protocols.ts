/** IP protocol numbers with the names tshark's l4 column uses; others stay numbers. */
export function protoName(l4: number, ipVersion: number): string | number {
  switch (l4) {
    case 6: return 'tcp';
    case 17: return 'udp';
    case 1: return 'icmp';
    case 58: return ipVersion === 6 ? 'icmpv6' : 58;
    default: return l4;
  }
}

/** Longer names for reports. */
const LONG_NAMES: Record<number, string> = {
  0: 'IPv6 hop-by-hop', 1: 'ICMP', 2: 'IGMP', 4: 'IP-in-IP', 6: 'TCP', 17: 'UDP', 41: 'IPv6-in-IPv4', 43: 'IPv6 routing',
  44: 'IPv6 fragment', 46: 'RSVP', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 59: 'IPv6 no next header',
  60: 'IPv6 destination options', 88: 'EIGRP', 89: 'OSPF', 103: 'PIM', 112: 'VRRP', 115: 'L2TP', 132: 'SCTP', 136: 'UDP-Lite',
};

export function protoLongName(l4: number): string {
  return LONG_NAMES[l4] ?? `IP protocol ${l4}`;
}
