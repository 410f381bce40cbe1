// Build small pcap and pcapng files byte by byte for edge-case tests.

export class Bytes {
  private parts: number[] = [];
  constructor(private readonly le: boolean) {}
  u8(v: number) { this.parts.push(v & 0xff); return this; }
  u16(v: number) { return this.le ? this.u8(v).u8(v >> 8) : this.u8(v >> 8).u8(v); }
  u32(v: number) { return this.le ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff); }
  raw(b: ArrayLike<number>) { for (let i = 0; i < b.length; i++) this.parts.push(b[i]!); return this; }
  pad4() { while (this.parts.length % 4) this.parts.push(0); return this; }
  get length() { return this.parts.length; }
  bytes() { return Uint8Array.from(this.parts); }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export type Option = [code: number, value: Uint8Array];
export const text = (s: string) => new TextEncoder().encode(s);

function options(le: boolean, opts: Option[]): Uint8Array {
  if (opts.length === 0) return new Uint8Array(0);
  const b = new Bytes(le);
  for (const [code, v] of opts) b.u16(code).u16(v.length).raw(v).pad4();
  b.u16(0).u16(0);
  return b.bytes();
}

/** A pcapng block: type, total length, body (padded), options, total length. */
export function block(le: boolean, type: number, body: Uint8Array, opts: Option[] = [], trailer?: number): Uint8Array {
  const o = options(le, opts);
  const bodyPadded = new Bytes(le).raw(body).pad4().bytes();
  const total = 12 + bodyPadded.length + o.length;
  return new Bytes(le).u32(type).u32(total).raw(bodyPadded).raw(o).u32(trailer ?? total).bytes();
}

export function shb(le: boolean, opts: Option[] = []): Uint8Array {
  const body = new Bytes(le).u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff).bytes();
  return block(le, 0x0a0d0d0a, body, opts);
}

export function idb(le: boolean, linkType: number, snaplen = 262144, opts: Option[] = []): Uint8Array {
  return block(le, 1, new Bytes(le).u16(linkType).u16(0).u32(snaplen).bytes(), opts);
}

export function epb(le: boolean, ifId: number, tsHi: number, tsLo: number, data: Uint8Array, origLen = data.length, opts: Option[] = []): Uint8Array {
  const body = new Bytes(le).u32(ifId).u32(tsHi).u32(tsLo).u32(data.length).u32(origLen).raw(data).bytes();
  return block(le, 6, body, opts);
}

export function spb(le: boolean, data: Uint8Array, origLen = data.length): Uint8Array {
  return block(le, 3, new Bytes(le).u32(origLen).raw(data).bytes());
}

export function pb(le: boolean, ifId: number, tsHi: number, tsLo: number, data: Uint8Array, origLen = data.length): Uint8Array {
  const body = new Bytes(le).u16(ifId).u16(0).u32(tsHi).u32(tsLo).u32(data.length).u32(origLen).raw(data).bytes();
  return block(le, 2, body);
}

export function pcapHeader(le: boolean, linkType: number, nsec = false, snaplen = 65535): Uint8Array {
  return new Bytes(le).u32(nsec ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(snaplen).u32(linkType).bytes();
}

export function pcapRecord(le: boolean, sec: number, frac: number, data: Uint8Array, origLen = data.length): Uint8Array {
  return new Bytes(le).u32(sec).u32(frac).u32(data.length).u32(origLen).raw(data).bytes();
}

/** Ethernet + IPv4 + UDP (or TCP) frame between two hosts. */
export function udpFrame(src: number[], dst: number[], sport: number, dport: number, payload = 8, proto = 17): Uint8Array {
  const l4 = proto === 6 ? 20 : 8;
  const ipLen = 20 + l4 + payload;
  const b = new Bytes(false)
    .raw([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).u16(0x0800)
    .u8(0x45).u8(0).u16(ipLen).u16(1).u16(0).u8(64).u8(proto).u16(0).raw(src).raw(dst)
    .u16(sport).u16(dport);
  if (proto === 6) b.u32(1).u32(0).u8(0x50).u8(0x02).u16(1024).u16(0).u16(0);
  else b.u16(8 + payload).u16(0);
  for (let i = 0; i < payload; i++) b.u8(i);
  return b.bytes();
}

/** Raw IPv4 + UDP packet (for link types 101/228). */
export function rawUdp(src: number[], dst: number[], sport: number, dport: number): Uint8Array {
  return udpFrame(src, dst, sport, dport).subarray(14);
}

// ---- Hex builders for encapsulation tests: each returns the bytes of one header plus its payload as hex ----

export const h8 = (v: number) => (v & 0xff).toString(16).padStart(2, '0');
export const h16 = (v: number) => (v & 0xffff).toString(16).padStart(4, '0');
export const h32 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
const bytesOf = (hex: string) => hex.length / 2;
const v4 = (a: string) => a.split('.').map((x) => h8(Number(x))).join('');

/** IPv4 header (20 bytes, no options, DF clear) with the given protocol, addresses and payload. */
export function ipv4Hex(proto: number, payload: string, src = '10.1.1.1', dst = '10.2.2.2', flagsFrag = 0): string {
  return `4500${h16(20 + bytesOf(payload))}0001${h16(flagsFrag)}40${h8(proto)}0000${v4(src)}${v4(dst)}${payload}`;
}

/** IPv6 header (40 bytes) with the given next header and payload; addresses as 32 hex digits. */
export function ipv6Hex(next: number, payload: string, src = '20010db8000000000000000000000001', dst = '20010db8000000000000000000000002'): string {
  return `60000000${h16(bytesOf(payload))}${h8(next)}40${src}${dst}${payload}`;
}

/** UDP header with a correct length (checksum 0). */
export function udpHex(sport: number, dport: number, payload = ''): string {
  return `${h16(sport)}${h16(dport)}${h16(8 + bytesOf(payload))}0000${payload}`;
}

/** A 20-byte TCP header (SYN) without payload. */
export function tcpHex(sport: number, dport: number): string {
  return `${h16(sport)}${h16(dport)}00000001000000005002721000000000`;
}

/** Ethernet II header (destination 00:0c:29:.., source 00:50:56:.., both with known OUIs). */
export function ethHex(type: number, payload: string, dst = '000c29000001', src = '005056000002'): string {
  return `${dst}${src}${h16(type)}${payload}`;
}
