// Header builders for the flow shapes. Each writes one header at offset `o` of a zeroed buffer
// and returns the offset after it. Checksums are real: IPv4 header (RFC 791), TCP/UDP/ICMP over
// the pseudo-header (RFC 793, 768, 792; RFC 8200 §8.1 for IPv6), so checksum-validating tools agree.

export const ETHERTYPE = { IPV4: 0x0800, IPV6: 0x86dd, ARP: 0x0806 };
export const PROTO = { ICMP: 1, TCP: 6, UDP: 17 };
export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 };
export const ETH_LEN = 14;
export const IPV4_LEN = 20;
export const IPV6_LEN = 40;
export const TCP_LEN = 20;
export const UDP_LEN = 8;
/** Ethernet frames are at least 60 bytes on the wire without the FCS; a capture on the sending host sees them shorter. */
export const ETH_MIN = 60;

const TCP = { SPORT: 0, DPORT: 2, SEQ: 4, ACK: 8, OFF: 12, FLAGS: 13, WIN: 14, CSUM: 16 };
const UDP = { SPORT: 0, DPORT: 2, LEN: 4, CSUM: 6 };
const ICMP_CSUM = 2;

export function w16(b, o, v) { b[o] = v >>> 8; b[o + 1] = v; }
export function w32(b, o, v) { b[o] = v >>> 24; b[o + 1] = v >>> 16; b[o + 2] = v >>> 8; b[o + 3] = v; }

let viewOf = null;
let view = null;
/** A DataView of the writer's buffer, made once per buffer (the buffer is reused for the whole file). */
function dataView(b) {
  if (b !== viewOf) { viewOf = b; view = new DataView(b.buffer, b.byteOffset, b.byteLength); }
  return view;
}

/** One's-complement sum of the 16-bit words in [start, end), odd tail padded with zero; read 32 bits at a time. */
export function sum16(b, start, end) {
  const v = dataView(b);
  let s = 0;
  let i = start;
  for (; i + 3 < end; i += 4) { const x = v.getUint32(i); s += (x >>> 16) + (x & 0xffff); }
  if (i + 1 < end) { s += v.getUint16(i); i += 2; }
  if (i < end) s += b[i] << 8;
  return s;
}

/** Fold a sum below 2^31 to 16 bits. */
function fold(s) {
  s = (s & 0xffff) + (s >>> 16);
  return (s & 0xffff) + (s >>> 16);
}

/** A MAC address as the two halves the Ethernet writer stores. */
export const mac = (text) => { const n = Number.parseInt(text.replaceAll(':', ''), 16); return { hi: Math.floor(n / 4294967296), lo: n % 4294967296 }; };

/** Ethernet II; MACs from `mac()`. */
export function eth(b, o, dst, src, type) {
  w16(b, o, dst.hi); w32(b, o + 2, dst.lo);
  w16(b, o + 6, src.hi); w32(b, o + 8, src.lo);
  w16(b, o + 12, type);
  return o + ETH_LEN;
}

/** IPv4 header without options; `payloadLen` is the L4 length. */
export function ipv4(b, o, payloadLen, id, df, ttl, proto, src, dst) {
  const total = IPV4_LEN + payloadLen;
  b[o] = 0x45; w16(b, o + 2, total); w16(b, o + 4, id); if (df) b[o + 6] = 0x40;
  b[o + 8] = ttl; b[o + 9] = proto;
  w32(b, o + 12, src); w32(b, o + 16, dst);
  const s = 0x4500 + total + id + (df ? 0x4000 : 0) + ((ttl << 8) | proto) + (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff);
  w16(b, o + 10, ~fold(s) & 0xffff);
  return o + IPV4_LEN;
}

export const pseudo4 = (src, dst, proto, len) => (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;

/** IPv6 header; `a` holds the source then the destination address as 8 uint32 words. */
export function ipv6(b, o, payloadLen, next, hopLimit, a) {
  b[o] = 0x60; w16(b, o + 4, payloadLen); b[o + 6] = next; b[o + 7] = hopLimit;
  for (let i = 0; i < 8; i++) w32(b, o + 8 + 4 * i, a[i]);
  return o + IPV6_LEN;
}

export function pseudo6(a, next, len) {
  let s = next + len;
  for (let i = 0; i < 8; i++) s += (a[i] >>> 16) + (a[i] & 0xffff);
  return s;
}

/** Fixed TCP header for `optLen` bytes of options that the caller writes next. */
export function tcp(b, o, sport, dport, seq, ack, flags, win, optLen) {
  w16(b, o + TCP.SPORT, sport); w16(b, o + TCP.DPORT, dport); w32(b, o + TCP.SEQ, seq); w32(b, o + TCP.ACK, ack);
  b[o + TCP.OFF] = ((TCP_LEN + optLen) >> 2) << 4; b[o + TCP.FLAGS] = flags; w16(b, o + TCP.WIN, win);
  return o + TCP_LEN;
}

export function udp(b, o, sport, dport, payloadLen) {
  w16(b, o + UDP.SPORT, sport); w16(b, o + UDP.DPORT, dport); w16(b, o + UDP.LEN, UDP_LEN + payloadLen);
  return o + UDP_LEN;
}

/** Fill in the checksum of the L4 segment in [start, end) that has `pseudo` as its pseudo-header sum. */
export function tcpChecksum(b, start, end, pseudo) { w16(b, start + TCP.CSUM, ~fold(pseudo + sum16(b, start, end)) & 0xffff); }
export function udpChecksum(b, start, end, pseudo) { w16(b, start + UDP.CSUM, (~fold(pseudo + sum16(b, start, end)) & 0xffff) || 0xffff); }
export function icmpChecksum(b, start, end) { w16(b, start + ICMP_CSUM, ~fold(sum16(b, start, end)) & 0xffff); }

// TCP options (RFC 9293 §3.2, RFC 7323, RFC 2018).
/** MSS only: what nmap puts on its SYN probes and what a server answers to them. */
export function optMss(b, o, mss) { b[o] = 2; b[o + 1] = 4; w16(b, o + 2, mss); return o + 4; }
/** Linux's SYN and SYN-ACK options: MSS, SACK permitted, timestamps, NOP, window scale (20 bytes). */
export function optLinuxSyn(b, o, mss, tsval, tsecr, wscale) {
  b[o] = 2; b[o + 1] = 4; w16(b, o + 2, mss); b[o + 4] = 4; b[o + 5] = 2; b[o + 6] = 8; b[o + 7] = 10;
  w32(b, o + 8, tsval); w32(b, o + 12, tsecr); b[o + 16] = 1; b[o + 17] = 3; b[o + 18] = 3; b[o + 19] = wscale;
  return o + 20;
}
/** NOP, NOP, timestamps (12 bytes): every Linux segment after the handshake. */
export function optTimestamps(b, o, tsval, tsecr) {
  b[o] = 1; b[o + 1] = 1; b[o + 2] = 8; b[o + 3] = 10; w32(b, o + 4, tsval); w32(b, o + 8, tsecr);
  return o + 12;
}

/** A DNS name in wire format (RFC 1035 §3.1) from a dotted string; returns the offset after it. */
export function dnsName(b, o, name) {
  let start = 0;
  for (let i = 0; i <= name.length; i++) {
    if (i === name.length || name.charCodeAt(i) === 46) {
      b[o++] = i - start;
      for (let j = start; j < i; j++) b[o++] = name.charCodeAt(j);
      start = i + 1;
    }
  }
  b[o++] = 0;
  return o;
}
export const dnsNameLen = (name) => name.length + 2;
