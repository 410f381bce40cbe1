/** IANA port classes (RFC 6335 §6). */
export const PORT_CLASS = { WELL_KNOWN: 0, REGISTERED: 1, EPHEMERAL: 2 } as const;
export type PortClassName = 'well-known' | 'registered' | 'ephemeral';
export const PORT_CLASS_NAMES: readonly PortClassName[] = ['well-known', 'registered', 'ephemeral'];

export function portClass(port: number): number {
  return port < 1024 ? PORT_CLASS.WELL_KNOWN : port < 49152 ? PORT_CLASS.REGISTERED : PORT_CLASS.EPHEMERAL;
}

export function portClassName(port: number): PortClassName {
  return PORT_CLASS_NAMES[portClass(port)]!;
}

/** Ephemeral (client) port ranges operating systems pick from. */
export const EPHEMERAL_RANGES = [
  { id: 'iana', label: 'IANA / Windows / BSD / macOS', first: 49152, last: 65535 },
  { id: 'linux', label: 'Linux', first: 32768, last: 60999 },
] as const;

export type EphemeralRangeId = (typeof EPHEMERAL_RANGES)[number]['id'];

/** Which OS ephemeral ranges a client port fits. */
export function ephemeralRangesOf(port: number): EphemeralRangeId[] {
  return EPHEMERAL_RANGES.filter((r) => port >= r.first && port <= r.last).map((r) => r.id);
}
