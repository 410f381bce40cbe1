import type { IDBPDatabase } from 'idb';
import { parseIpv4, parseIpv6, formatIpv4, formatIpv6 } from '../net/address';
import type { PortholeDB, UserLabel } from './schema';

/** Key of a label: the address as Porthole prints it, the protocol and the port. */
export function labelKey(address: string, proto: 'tcp' | 'udp', port: number): string {
  return `${address}|${proto}|${port}`;
}

/** Normalize an address the way reports print it (so "::0001" and "::1" meet), or null if invalid. */
export function normalizeAddress(text: string): string | null {
  const v4 = parseIpv4(text.trim());
  if (v4 !== null) return formatIpv4(v4);
  const v6 = parseIpv6(text.trim());
  return v6 ? formatIpv6(...v6) : null;
}

export async function putLabel(db: IDBPDatabase<PortholeDB>, address: string, proto: 'tcp' | 'udp', port: number, label: string): Promise<UserLabel> {
  const addr = normalizeAddress(address);
  if (addr === null) throw new Error(`"${address}" is not an IPv4 or IPv6 address`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('the port must be 0-65535');
  const text = label.trim().slice(0, 200);
  if (!text) throw new Error('the label is empty');
  const entry: UserLabel = { key: labelKey(addr, proto, port), address: addr, proto, port, label: text, createdAt: Date.now() };
  const tx = db.transaction('labels', 'readwrite');
  await Promise.all([tx.store.put(entry), tx.done]);
  return entry;
}

export async function deleteLabel(db: IDBPDatabase<PortholeDB>, key: string): Promise<void> {
  const tx = db.transaction('labels', 'readwrite');
  await Promise.all([tx.store.delete(key), tx.done]);
}

export async function listLabels(db: IDBPDatabase<PortholeDB>): Promise<UserLabel[]> {
  return db.getAll('labels');
}
