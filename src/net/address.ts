// Addresses travel as uint32 words; strings are made only for reports, as tshark prints them.

export function formatIpv4(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

/** RFC 5952 text: lower-case hex, longest run (>= 2) of zero groups as "::", first run on ties. */
export function formatIpv6(w0: number, w1: number, w2: number, w3: number): string {
  const g = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  // IPv4-mapped (::ffff:a.b.c.d) is printed with a dotted tail, as tshark and inet_ntop do.
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return `::ffff:${formatIpv4(w3)}`;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += g[i]!.toString(16);
  }
  return out;
}

/** Format words[at..at+3] as IPv6 or words[at] as IPv4. */
export function formatAddress(version: number, words: ArrayLike<number>, at: number): string {
  return version === 4
    ? formatIpv4(words[at]!)
    : formatIpv6(words[at]!, words[at + 1]!, words[at + 2]!, words[at + 3]!);
}

/** Parse dotted IPv4 to a uint32, or null. */
export function parseIpv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return null;
    v = v * 256 + octet;
  }
  return v;
}

/** Parse IPv6 text (with "::" and an optional dotted tail) to four uint32 words, or null. */
export function parseIpv6(text: string): [number, number, number, number] | null {
  let s = text.toLowerCase();
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [v4 >>> 16, v4 & 0xffff];
    s = s.slice(0, lastColon + 1) + (s[lastColon - 1] === ':' ? '' : '0');
    if (s.endsWith(':0')) s = s.slice(0, -2);
    else if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const parts = s.split('::');
  if (parts.length > 2) return null;
  const parseGroups = (p: string) => (p === '' ? [] : p.split(':'));
  const head = parseGroups(parts[0]!);
  const rest = parts.length === 2 ? parseGroups(parts[1]!) : [];
  const groups: number[] = [];
  for (const h of [...head, ...rest]) {
    if (!/^[0-9a-f]{1,4}$/.test(h)) return null;
  }
  const total = head.length + rest.length + tail.length;
  if (parts.length === 1 && total !== 8) return null;
  if (parts.length === 2 && total > 7) return null;
  for (const h of head) groups.push(parseInt(h, 16));
  if (parts.length === 2) for (let i = total; i < 8; i++) groups.push(0);
  for (const h of rest) groups.push(parseInt(h, 16));
  groups.push(...tail);
  if (groups.length !== 8) return null;
  return [
    ((groups[0]! << 16) | groups[1]!) >>> 0, ((groups[2]! << 16) | groups[3]!) >>> 0,
    ((groups[4]! << 16) | groups[5]!) >>> 0, ((groups[6]! << 16) | groups[7]!) >>> 0,
  ];
}
