// Port and address values as the rule formats write them, read with errors at their column.
import { parseAddressRange, parseCidr, type Cidr } from './cidr';
import type { Word } from './line-words';
import { PolicyError, type PortRange } from './policy';

/** One port or a range "A<sep>B" (sep '-' for Porthole and nft, ':' for iptables). */
export function parsePortRange(w: Word, line: number, sep: '-' | ':'): PortRange {
  const m = new RegExp(`^(\\d{1,5})(?:${sep}(\\d{1,5}))?$`).exec(w.text);
  if (!m) throw new PolicyError(line, w.column, `expected a port or a range like 1000${sep}2000, found '${w.text}'`);
  const first = Number(m[1]), last = m[2] === undefined ? first : Number(m[2]);
  if (first > 65535 || last > 65535) throw new PolicyError(line, w.column, `port '${w.text}' is out of range 0-65535`);
  if (first > last) throw new PolicyError(line, w.column, `port range '${w.text}' must have the lower port first`);
  return { first, last };
}

/** An address, a block (10.0.0.0/8) or, when allowed, a range of addresses (10.0.0.1-10.0.0.9). */
export function parseAddress(w: Word, line: number, ranges = false): Cidr[] {
  const c = parseCidr(w.text);
  if (c) return [c];
  if (ranges) {
    const r = parseAddressRange(w.text);
    if (r) return r;
  }
  throw new PolicyError(line, w.column, `expected an IPv4 or IPv6 address or network (10.0.0.0/8), found '${w.text}'`);
}

/** Versions of the addresses, for rules that must not mix them. */
export function versionsIn(set: readonly Cidr[]): Set<4 | 6> {
  return new Set(set.map((c) => c.version));
}
