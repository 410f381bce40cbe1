import registry from './generated/iana-services.json';

export interface ServiceLabel {
  /** IANA service name, e.g. "https". */
  name: string;
  /** IANA description, e.g. "http protocol over TLS/SSL". */
  description: string;
}

type Table = Record<string, string[]>;
const tables: Record<string, Table> = { tcp: registry.tcp as Table, udp: registry.udp as Table };

/** Where labels come from: the port number alone, never the payload. */
export const SERVICE_SOURCE = `IANA service registry by port number (${registry.source})`;

/** Labels by port, built once on first use: a lookup is then an array index, no allocation. */
let byPort: { tcp: Array<ServiceLabel | null>; udp: Array<ServiceLabel | null> } | null = null;

function labelArrays(): NonNullable<typeof byPort> {
  if (byPort) return byPort;
  const build = (t: Table) => {
    const a = new Array<ServiceLabel | null>(65536).fill(null);
    for (const [port, e] of Object.entries(t)) a[Number(port)] = Object.freeze({ name: e[0]!, description: e[1] ?? e[0]! });
    return a;
  };
  byPort = { tcp: build(tables.tcp!), udp: build(tables.udp!) };
  return byPort;
}

/** The IANA label of a TCP or UDP port, or null when the registry names none. */
export function serviceFor(proto: string, port: number): ServiceLabel | null {
  const arrays = labelArrays();
  const a = proto === 'tcp' ? arrays.tcp : proto === 'udp' ? arrays.udp : null;
  return a === null || port < 0 || port > 65535 ? null : a[port] ?? null;
}
