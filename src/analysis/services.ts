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

/** The IANA label of a TCP or UDP port, or null when the registry names none. */
export function serviceFor(proto: string, port: number): ServiceLabel | null {
  const entry = tables[proto]?.[port];
  if (entry === undefined) return null;
  return { name: entry[0], description: entry[1] ?? entry[0] };
}

/** Ports whose service name (or description) matches `name` (case-insensitive). */
export function portsForService(proto: string, name: string): number[] {
  const wanted = name.toLowerCase();
  const t = tables[proto];
  if (!t) return [];
  return Object.entries(t).filter(([, e]) => e[0].toLowerCase() === wanted).map(([p]) => Number(p));
}
