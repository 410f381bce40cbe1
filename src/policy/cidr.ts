// Address blocks of firewall rules: parsing, set containment (for shadowed rules), membership
// of a view's interned addresses, and aggregation of client addresses into blocks (for
// suggested policies). Sets are compared as unions of intervals, so {10.0.0.0/25,
// 10.0.0.128/25} covers 10.0.0.0/24. BigInt is used only here, per rule, never per flow.
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../net/address';
import type { AddressBook } from '../views/address-book';

export interface Cidr {
  version: 4 | 6;
  /** IPv4: the address in words[0] (others 0); IPv6: four words, most significant first. */
  words: [number, number, number, number];
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/** "10.0.0.0/8", "10.0.0.1" (a host), "2001:db8::/32", "::1"; host bits are cleared. Null when not an address. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? null : text.slice(slash + 1);
  let version: 4 | 6;
  let words: [number, number, number, number];
  const v4 = parseIpv4(addr);
  if (v4 !== null) {
    version = 4;
    words = [v4, 0, 0, 0];
  } else {
    const v6 = parseIpv6(addr);
    if (v6 === null) return null;
    version = 6;
    words = v6;
  }
  const max = BITS[version];
  let prefix: number = max;
  if (prefixText !== null) {
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > max) return null;
  }
  return fromBig(version, toBig(version, words) & mask(version, prefix), prefix);
}

/** Text as firewalls print it: always with the prefix ("10.0.0.1/32"). */
export function cidrText(c: Cidr): string {
  return `${addressText(c)}/${c.prefix}`;
}

/** The block's first address as text. */
export function addressText(c: Cidr): string {
  return c.version === 4 ? formatIpv4(c.words[0]) : formatIpv6(...c.words);
}

/** "host 10.0.0.1" or "net 10.0.0.0/24", as the filter language writes it. */
export function cidrFilterWord(c: Cidr): string {
  return c.prefix === BITS[c.version] ? `host ${addressText(c)}` : `net ${cidrText(c)}`;
}

export function isHost(c: Cidr): boolean {
  return c.prefix === BITS[c.version];
}

/** The whole address space of a version (0.0.0.0/0 or ::/0). */
export function everything(version: 4 | 6): Cidr {
  return { version, words: [0, 0, 0, 0], prefix: 0 };
}

function toBig(version: 4 | 6, words: ArrayLike<number>): bigint {
  if (version === 4) return BigInt(words[0]! >>> 0);
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 32n) | BigInt(words[i]! >>> 0);
  return v;
}

function fromBig(version: 4 | 6, v: bigint, prefix: number): Cidr {
  if (version === 4) return { version, words: [Number(v), 0, 0, 0], prefix };
  const w = [0, 0, 0, 0] as [number, number, number, number];
  for (let i = 3; i >= 0; i--) {
    w[i] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
  return { version, words: w, prefix };
}

/** Network mask of a prefix, as a BigInt of the version's width. */
function mask(version: 4 | 6, prefix: number): bigint {
  const bits = BigInt(BITS[version]);
  const all = (1n << bits) - 1n;
  return prefix === 0 ? 0n : (all >> BigInt(BITS[version] - prefix)) << BigInt(BITS[version] - prefix);
}

export interface Interval {
  version: 4 | 6;
  lo: bigint;
  hi: bigint;
}

export function interval(c: Cidr): Interval {
  const lo = toBig(c.version, c.words);
  return { version: c.version, lo, hi: lo + (1n << BigInt(BITS[c.version] - c.prefix)) - 1n };
}

/** Sorted, merged intervals of a set of blocks (adjacent ones joined). */
export function mergedIntervals(set: readonly Cidr[]): Interval[] {
  const all = set.map(interval).sort((a, b) => a.version - b.version || (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: Interval[] = [];
  for (const iv of all) {
    const last = out[out.length - 1];
    if (last && last.version === iv.version && iv.lo <= last.hi + 1n) {
      if (iv.hi > last.hi) last.hi = iv.hi;
    } else out.push({ ...iv });
  }
  return out;
}

/** Is every address of `inner` in `outer`? (null means every address.) */
export function setContains(outer: readonly Cidr[] | null, inner: readonly Cidr[] | null): boolean {
  if (outer === null) return true;
  if (inner === null) return coversAll(outer, 4) && coversAll(outer, 6);
  const merged = mergedIntervals(outer);
  return inner.every((c) => {
    const iv = interval(c);
    return merged.some((m) => m.version === iv.version && m.lo <= iv.lo && iv.hi <= m.hi);
  });
}

/** Do the two sets share an address? */
export function setsIntersect(a: readonly Cidr[] | null, b: readonly Cidr[] | null): boolean {
  if (a === null || b === null) return (a ?? b ?? [everything(4)]).length > 0;
  const ia = a.map(interval), ib = b.map(interval);
  return ia.some((x) => ib.some((y) => x.version === y.version && x.lo <= y.hi && y.lo <= x.hi));
}

/** Does the set hold every address of the version? */
export function coversAll(set: readonly Cidr[] | null, version: 4 | 6): boolean {
  return set === null || set.some((c) => c.version === version && c.prefix === 0);
}

/** The versions a set has addresses of. */
export function versionsOf(set: readonly Cidr[] | null): Set<4 | 6> {
  return set === null ? new Set([4, 6]) : new Set(set.map((c) => c.version));
}

/** 1 for each interned address of the book inside the set (one pass per block). */
export function membership(book: AddressBook, set: readonly Cidr[]): Uint8Array {
  const out = new Uint8Array(book.size);
  // Per block: version, then per word the masked value and mask, so the test is four ANDs.
  const tests = set.map((c) => {
    const masks: number[] = [];
    for (let i = 0; i < 4; i++) {
      const bits = Math.min(32, Math.max(0, c.prefix - i * 32));
      masks.push(bits === 0 ? 0 : bits === 32 ? 0xffffffff : (~(0xffffffff >>> bits)) >>> 0);
    }
    return { version: c.version, masks, words: c.words.map((w, i) => (w & masks[i]!) >>> 0) };
  });
  for (let id = 0; id < book.size; id++) {
    const v = book.version(id);
    for (const t of tests) {
      if (t.version !== v) continue;
      let inside = true;
      for (let i = 0; i < (v === 4 ? 1 : 4) && inside; i++) inside = ((book.word(id, i) & t.masks[i]!) >>> 0) === t.words[i];
      if (inside) {
        out[id] = 1;
        break;
      }
    }
  }
  return out;
}

/** The fewest blocks holding exactly the addresses lo..hi. */
export function rangeToCidrs(version: 4 | 6, lo: bigint, hi: bigint): Cidr[] {
  const bits = BITS[version];
  const out: Cidr[] = [];
  while (lo <= hi) {
    let size = 0;
    while (size < bits && ((lo >> BigInt(size)) & 1n) === 0n && lo + (1n << BigInt(size + 1)) - 1n <= hi) size++;
    out.push(fromBig(version, lo, bits - size));
    lo += 1n << BigInt(size);
  }
  return out;
}

/** Parse "10.0.0.1-10.0.0.20" (both ends of one version) into blocks, or null. */
export function parseAddressRange(text: string): Cidr[] | null {
  const dash = text.indexOf('-');
  if (dash < 0) return null;
  const a = parseCidr(text.slice(0, dash)), b = parseCidr(text.slice(dash + 1));
  if (!a || !b || a.version !== b.version || !isHost(a) || !isHost(b)) return null;
  const lo = interval(a).lo, hi = interval(b).lo;
  if (lo > hi) return null;
  return rangeToCidrs(a.version, lo, hi);
}

/** The address of interned id as a host block. */
export function hostCidr(book: AddressBook, id: number): Cidr {
  const v = book.version(id);
  return { version: v, words: [book.word(id, 0), v === 4 ? 0 : book.word(id, 1), v === 4 ? 0 : book.word(id, 2), v === 4 ? 0 : book.word(id, 3)], prefix: BITS[v] };
}

export interface AggregateOptions {
  /** Clients sharing a block of this prefix go together (IPv4; default 32: no grouping). */
  prefix4: number;
  /** The same for IPv6 (default 128). */
  prefix6: number;
  /** Give each group its whole /prefix block instead of the smallest block around its clients. */
  widen: boolean;
}

/**
 * Client addresses as few blocks. Without grouping (prefix 32/128) the blocks hold exactly the
 * addresses seen (adjacent ones merged). With a prefix, clients sharing a /prefix become the
 * smallest block around them (never wider than the clients seen), or the whole /prefix with
 * `widen`.
 */
export function aggregate(hosts: readonly Cidr[], options: AggregateOptions): Cidr[] {
  const out: Cidr[] = [];
  for (const version of [4, 6] as const) {
    const bits = BITS[version];
    const prefix = version === 4 ? options.prefix4 : options.prefix6;
    const values = [...new Set(hosts.filter((h) => h.version === version).map((h) => toBig(version, h.words)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (values.length === 0) continue;
    if (prefix >= bits) {
      out.push(...exactBlocks(version, values));
      continue;
    }
    const groupMask = mask(version, prefix);
    const blocks: Cidr[] = [];
    for (let i = 0; i < values.length;) {
      const net = values[i]! & groupMask;
      let j = i;
      while (j < values.length && (values[j]! & groupMask) === net) j++;
      const lo = values[i]!, hi = values[j - 1]!;
      if (options.widen) blocks.push(fromBig(version, net, prefix));
      else {
        // Smallest block around lo..hi: the longest common prefix of its two ends.
        let p = prefix;
        while (p < bits && (lo & mask(version, p + 1)) === (hi & mask(version, p + 1))) p++;
        blocks.push(fromBig(version, lo & mask(version, p), p));
      }
      i = j;
    }
    out.push(...minimalCover(blocks));
  }
  return out;
}

/** Blocks holding exactly the sorted, distinct addresses given. */
function exactBlocks(version: 4 | 6, values: bigint[]): Cidr[] {
  const out: Cidr[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1n) j++;
    out.push(...rangeToCidrs(version, values[i]!, values[j]!));
    i = j + 1;
  }
  return out;
}

/** The same addresses as the fewest blocks. */
export function minimalCover(set: readonly Cidr[]): Cidr[] {
  return mergedIntervals(set).flatMap((iv) => rangeToCidrs(iv.version, iv.lo, iv.hi));
}
