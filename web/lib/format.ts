// Numbers for people: exact counts with separators, and byte sizes with units (exact value on hover).

const int = new Intl.NumberFormat('en-US');

export function count(n: number): string {
  return int.format(n);
}

import { humanBytes } from '../../src/net/units';

export const bytes = humanBytes;

export function rate(bytesPerSec: number): string {
  return `${bytes(bytesPerSec)}/s`;
}

export function duration(sec: number): string {
  if (!Number.isFinite(sec)) return '–';
  if (sec < 1) return `${(sec * 1000).toFixed(1)} ms`;
  if (sec < 120) return `${sec.toFixed(2)} s`;
  const m = Math.floor(sec / 60);
  if (m < 120) return `${m} min ${Math.round(sec - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function time(epochSec: number | null): string {
  if (epochSec === null) return '–';
  const d = new Date(epochSec * 1000);
  if (Number.isNaN(d.getTime())) return String(epochSec);
  return d.toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export function endpoint(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '0%';
}

/** Bits per second over a duration, for people (kbit/s, Mbit/s, ...); "–" without a duration. */
export function bitRate(bytes: number, seconds: number): string {
  if (!(seconds > 0)) return '–';
  let v = (bytes * 8) / seconds;
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 && u > 0 ? v.toFixed(2) : v < 100 && u > 0 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
