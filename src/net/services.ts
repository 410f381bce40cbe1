import registry from './generated/iana-services.json';
import { PORT_KEYS } from './port-key';

export interface ServiceLabel {
  /** IANA service name, e.g. "https". */
  name: string;
  /** IANA description, e.g. "http protocol over TLS/SSL". */
  description: string;
}

type Table = Record<string, string[]>;

/** Where labels come from: the port number alone, never the payload. */
export const SERVICE_SOURCE = `IANA service registry by port number (${registry.source})`;

/** Labels indexed by port key (see port-key.ts), built once on first use. */
let byKey: Array<ServiceLabel | null> | null = null;

/** The label of every port key: a lookup is then an array index, no allocation. */
export function serviceLabels(): Array<ServiceLabel | null> {
  if (byKey) return byKey;
  const a = new Array<ServiceLabel | null>(PORT_KEYS).fill(null);
  const fill = (t: Table, base: number) => {
    for (const [port, e] of Object.entries(t)) a[base + Number(port)] = Object.freeze({ name: e[0]!, description: e[1] ?? e[0]! });
  };
  fill(registry.tcp as Table, 0);
  fill(registry.udp as Table, 65536);
  byKey = a;
  return a;
}

/** The IANA label of a TCP or UDP port, or null when the registry names none. */
export function serviceFor(proto: string, port: number): ServiceLabel | null {
  if ((proto !== 'tcp' && proto !== 'udp') || port < 0 || port > 65535) return null;
  return serviceLabels()[(proto === 'udp' ? 65536 : 0) + port] ?? null;
}
