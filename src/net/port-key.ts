// A (protocol, port) pair as one integer: TCP ports 0..65535, UDP ports 65536..131071. Views
// index typed arrays by it instead of keying maps by strings.

export const IP_PROTO = { TCP: 6, UDP: 17 } as const;
export const PORT_KEYS = 131072;

export function portKey(l4: number, port: number): number {
  return l4 === IP_PROTO.UDP ? 65536 + port : port;
}

export function portOfKey(key: number): number {
  return key & 0xffff;
}

export function protoOfKey(key: number): 'tcp' | 'udp' {
  return key >= 65536 ? 'udp' : 'tcp';
}
