// What the first payload bytes say a flow is: small, bounded recognizers over captured bytes.
// No reassembly: each looks at one packet's payload as captured.

/** Application protocols Porthole recognizes from payload. 0 = not recognized. */
export const APP = { NONE: 0, TLS: 1, HTTP: 2, SSH: 3, DNS: 4, SMTP: 5, FTP: 6, POP3: 7, IMAP: 8, QUIC: 9 } as const;
export const APP_NAMES = ['', 'tls', 'http', 'ssh', 'dns', 'smtp', 'ftp', 'pop3', 'imap', 'quic'] as const;
export type AppName = Exclude<(typeof APP_NAMES)[number], ''>;

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const HTTP_METHODS = ['GET ', 'POST ', 'PUT ', 'HEAD ', 'DELETE ', 'OPTIONS ', 'PATCH ', 'CONNECT ', 'TRACE '].map(ascii);
const HTTP_VERSION = ascii('HTTP/1.');
const SSH = ascii('SSH-');

function startsWith(b: Uint8Array, o: number, end: number, prefix: Uint8Array): boolean {
  if (end - o < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[o + i] !== prefix[i]) return false;
  return true;
}

function lineAt(b: Uint8Array, o: number, end: number, max = 200): string {
  let e = o;
  while (e < end && e - o < max && b[e] !== 0x0d && b[e] !== 0x0a) e++;
  let s = '';
  for (let i = o; i < e; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Result of recognizing one payload: the protocol and, when found, a name (SNI or Host). */
export interface Recognized {
  app: number;
  name: string | null;
}

const NONE: Recognized = { app: APP.NONE, name: null };

/**
 * Recognize the payload [o, end) of a TCP or UDP packet. Allocates only when it recognizes
 * something (at most a few times per flow).
 */
export function recognize(b: Uint8Array, o: number, end: number, udp: boolean): Recognized {
  const n = end - o;
  if (n <= 0) return NONE;
  const first = b[o]!;
  if (udp) {
    if (isQuicLongHeader(b, o, end)) return { app: APP.QUIC, name: null };
    if (isDns(b, o, end)) return { app: APP.DNS, name: null };
    return NONE;
  }
  // TLS record: handshake (22), version 3.x, then ClientHello (1) or ServerHello (2).
  if (first === 0x16 && n >= 6 && b[o + 1] === 0x03 && b[o + 2]! <= 0x04) {
    const hs = b[o + 5];
    if (hs === 1) return { app: APP.TLS, name: tlsServerName(b, o, end) };
    if (hs === 2) return { app: APP.TLS, name: null };
  }
  if (first === 0x53 && startsWith(b, o, end, SSH)) return { app: APP.SSH, name: lineAt(b, o, end, 80) };
  if (startsWith(b, o, end, HTTP_VERSION)) return { app: APP.HTTP, name: null };
  for (const m of HTTP_METHODS) {
    if (b[o] === m[0] && startsWith(b, o, end, m)) {
      const line = lineAt(b, o, end, 400);
      if (!/ HTTP\/[0-9.]+$/.test(line)) return NONE;
      return { app: APP.HTTP, name: httpHost(b, o, end) };
    }
  }
  // Text banners and commands of mail and file-transfer protocols.
  if (first === 0x32 || first === 0x2b || first === 0x2a || first === 0x45 || first === 0x48 || first === 0x55) {
    const line = lineAt(b, o, end, 200);
    if (/^220[ -].*\b(E?SMTP|Postfix|Exim|Sendmail|mail)\b/i.test(line) || /^(EHLO|HELO) /i.test(line)) return { app: APP.SMTP, name: null };
    if (/^220[ -].*\bFTP\b/i.test(line) || /^USER /.test(line)) return { app: APP.FTP, name: null };
    if (/^\+OK\b/.test(line)) return { app: APP.POP3, name: null };
    if (/^\* (OK|PREAUTH)\b/.test(line) && /IMAP/i.test(line)) return { app: APP.IMAP, name: null };
  }
  // DNS over TCP: a 2-byte length then a plausible DNS header.
  if (n >= 14 && ((b[o]! << 8) | b[o + 1]!) === n - 2 && isDns(b, o + 2, end)) return { app: APP.DNS, name: null };
  return NONE;
}

/** RFC 9000 long header: form and fixed bits set, version 1, 2, or a draft. */
function isQuicLongHeader(b: Uint8Array, o: number, end: number): boolean {
  if (end - o < 7 || (b[o]! & 0xc0) !== 0xc0) return false;
  const v = ((b[o + 1]! << 24) | (b[o + 2]! << 16) | (b[o + 3]! << 8) | b[o + 4]!) >>> 0;
  const dcidLen = b[o + 5]!;
  return (v === 1 || v === 0x6b3343cf || (v >>> 8) === 0xff0000) && dcidLen <= 20;
}

/** RFC 1035 header plausibility: opcode 0-2/4/5, sensible counts, at least one question or answer. */
function isDns(b: Uint8Array, o: number, end: number): boolean {
  if (end - o < 12) return false;
  const flags = (b[o + 2]! << 8) | b[o + 3]!;
  const opcode = (flags >> 11) & 0xf;
  const z = (flags >> 6) & 1;
  const qd = (b[o + 4]! << 8) | b[o + 5]!;
  const an = (b[o + 6]! << 8) | b[o + 7]!;
  const ns = (b[o + 8]! << 8) | b[o + 9]!;
  const ar = (b[o + 10]! << 8) | b[o + 11]!;
  if (opcode > 5 || opcode === 3 || z !== 0) return false;
  if (qd < 1 || qd > 4 || an > 100 || ns > 100 || ar > 100) return false;
  // The first question name: labels of 1..63 bytes ending in a zero byte.
  let p = o + 12;
  for (let labels = 0; labels < 64; labels++) {
    if (p >= end) return true; // cut by the snap length: what we saw is plausible
    const len = b[p]!;
    if (len === 0) return true;
    if (len > 63) return false;
    p += len + 1;
  }
  return false;
}

/** server_name from a ClientHello (RFC 8446 §4.1.2, RFC 6066 §3), if captured. */
export function tlsServerName(b: Uint8Array, o: number, end: number): string | null {
  let p = o + 5 + 4 + 2 + 32; // record header, handshake header, version, random
  if (p >= end) return null;
  p += 1 + b[p]!; // session id
  if (p + 2 > end) return null;
  p += 2 + ((b[p]! << 8) | b[p + 1]!); // cipher suites
  if (p + 1 > end) return null;
  p += 1 + b[p]!; // compression methods
  if (p + 2 > end) return null;
  const extEnd = Math.min(end, p + 2 + ((b[p]! << 8) | b[p + 1]!));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = (b[p]! << 8) | b[p + 1]!;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    if (type === 0 && p + 9 <= extEnd) {
      const nameLen = (b[p + 7]! << 8) | b[p + 8]!;
      const s = p + 9;
      if (b[p + 6] !== 0 || s + nameLen > extEnd || nameLen > 255) return null;
      let name = '';
      for (let i = s; i < s + nameLen; i++) {
        const c = b[i]!;
        if (c < 0x21 || c > 0x7e) return null;
        name += String.fromCharCode(c);
      }
      return name;
    }
    p += 4 + len;
  }
  return null;
}

function httpHost(b: Uint8Array, o: number, end: number): string | null {
  // Scan header lines for "Host:" within the captured bytes.
  let p = o;
  for (let lines = 0; lines < 40 && p < end; lines++) {
    const line = lineAt(b, p, end, 512);
    if (line === '' && lines > 0) return null;
    const m = /^host:\s*([^\s]{1,255})$/i.exec(line);
    if (m) return m[1]!;
    p += line.length;
    while (p < end && (b[p] === 0x0d || b[p] === 0x0a)) p++;
  }
  return null;
}

/** The protocol a port's IANA service implies, for confirming or contradicting the payload. */
export function expectedApp(proto: 'tcp' | 'udp', port: number): AppName | null {
  if (proto === 'udp') {
    if (port === 53 || port === 5353) return 'dns';
    if (port === 443) return 'quic';
    return null;
  }
  switch (port) {
    case 443: case 8443: case 993: case 995: case 465: case 636: case 853: return 'tls';
    case 80: case 8080: case 8000: case 8008: case 3128: return 'http';
    case 22: return 'ssh';
    case 53: return 'dns';
    case 25: case 587: return 'smtp';
    case 21: return 'ftp';
    case 110: return 'pop3';
    case 143: return 'imap';
    default: return null;
  }
}

/** expectedApp by port key (see port-key.ts) as an APP id, 0 when nothing is expected; one table lookup. */
let expectedByKey: Uint8Array | null = null;
export function expectedAppId(key: number): number {
  if (!expectedByKey) {
    expectedByKey = new Uint8Array(131072);
    for (let k = 0; k < 131072; k++) {
      const name = expectedApp(k >= 65536 ? 'udp' : 'tcp', k & 0xffff);
      if (name !== null) expectedByKey[k] = APP_NAMES.indexOf(name);
    }
  }
  return expectedByKey[key]!;
}
