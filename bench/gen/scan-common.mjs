// What the two scan shapes share: the probe plan (which host and port each probe goes to), the
// addresses, and the scanner's own background traffic (its DNS lookups and ARP for the gateway).
import { ETHERTYPE, ETH_LEN, ETH_MIN, IPV4_LEN, PROTO, UDP_LEN, dnsName, dnsNameLen, eth, ipv4, mac, pseudo4, udp, udpChecksum, w16, w32 } from './frames.mjs';
import { Permutation, mix32 } from './hash.mjs';

export const ipv4Text = (a) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
export const ipv4Of = (text) => text.split('.').reduce((a, x) => a * 256 + Number(x), 0);

/**
 * Probe i of n goes to host (i's result / ports) and port index (i's result % ports). Hosts are
 * probed in groups, port by port, as nmap does with its host groups; the last, partial group host
 * by host. Every (host, port) pair occurs once, so every probe is its own flow.
 */
export function planProbe(i, n, ports, group) {
  const block = group * ports;
  const b = Math.floor(i / block);
  const k = i - b * block;
  if ((b + 1) * block <= n) return (b * group + (k % group)) * ports + Math.floor(k / group);
  return b * block + k; // host b*group + floor(k/ports), port k % ports
}

/** Hosts spread over a block of 2^bits addresses starting at `base`, in a seeded order. */
export class HostAddresses {
  constructor(base, bits, hosts, seed) {
    if (hosts > 2 ** bits) throw new Error(`${hosts} hosts do not fit in a /${32 - bits}`);
    this.base = base;
    this.perm = new Permutation(2 ** bits, mix32(seed ^ 0x51ed));
  }

  address(host) { return (this.base + this.perm.apply(host)) >>> 0; }
}

export const DNS_EVERY = 1500; // probes per background DNS lookup
export const ARP_EVERY = 50_000; // probes per ARP refresh of the gateway
const EPHEMERAL_LO = 32768;
const EPHEMERAL_N = 60999 - 32768 + 1;
const BROADCAST = mac('ff:ff:ff:ff:ff:ff');

/**
 * The scanning host's other traffic: a reverse lookup of a scanned address now and then (UDP to
 * the gateway's resolver, from Linux ephemeral ports that repeat only after 28,232 lookups) and a
 * periodic ARP exchange for the gateway. Background flow ids start at `firstId`: even ids are DNS
 * lookups, odd ids ARP exchanges.
 */
export class ScannerBackground {
  constructor({ w, hash, truth, firstId, scanner, scannerMac, gateway, gatewayMac, probeTarget }) {
    Object.assign(this, { w, hash, truth, firstId, scanner, scannerMac, gateway, gatewayMac, probeTarget });
    this.lookups = 0;
    this.portBase = hash(0, 901) % EPHEMERAL_N;
  }

  /** Called at each probe's first packet (the constructor's `probeTarget(i)` is the address probe i went to). */
  afterProbe(i, tUs, q) {
    if (i % DNS_EVERY === DNS_EVERY >> 1) q.push(tUs + 40 + (this.hash(i, 902) % 400), this.firstId + 2 * Math.floor(i / DNS_EVERY), 0);
    if (i % ARP_EVERY === 0) q.push(tUs + 20, this.firstId + 2 * Math.floor(i / ARP_EVERY) + 1, 0);
  }

  /** Distinct UDP flows of the lookups (tshark: one per endpoint pair). */
  udpFlows() { return Math.min(this.lookups, EPHEMERAL_N); }

  step(id, step, tUs, q) {
    const k = (id - this.firstId) >> 1;
    if ((id - this.firstId) & 1) this.arp(k, step, tUs, q);
    else this.dns(k, step, tUs, q);
  }

  dns(k, step, tUs, q) {
    const { w, hash } = this;
    const sport = EPHEMERAL_LO + ((this.portBase + k * 7919) % EPHEMERAL_N);
    const target = this.probeTarget(k * DNS_EVERY + (DNS_EVERY >> 1)); // who answered that probe
    const name = `${target & 255}.${(target >>> 8) & 255}.${(target >>> 16) & 255}.${target >>> 24}.in-addr.arpa`;
    const dnsLen = 12 + dnsNameLen(name) + 4;
    const l4 = UDP_LEN + dnsLen;
    const len = ETH_LEN + IPV4_LEN + l4;
    const out = step === 0;
    const b = w.buf;
    const f = w.frame(tUs, out ? len : Math.max(ETH_MIN, len));
    let o = eth(b, f, out ? this.gatewayMac : this.scannerMac, out ? this.scannerMac : this.gatewayMac, ETHERTYPE.IPV4);
    const src = out ? this.scanner : this.gateway, dst = out ? this.gateway : this.scanner;
    o = ipv4(b, o, l4, out ? hash(k, 903) & 0xffff : 0, true, 64, PROTO.UDP, src, dst);
    const u = o;
    o = udp(b, o, out ? sport : 53, out ? 53 : sport, dnsLen);
    w16(b, o, hash(k, 904)); w16(b, o + 2, out ? 0x0100 : 0x8183); w16(b, o + 4, 1); // id, RD (reply: NXDOMAIN), 1 question
    o = dnsName(b, o + 12, name);
    w16(b, o, 12); w16(b, o + 2, 1); // PTR, IN
    udpChecksum(b, u, u + l4, pseudo4(src, dst, PROTO.UDP, l4));
    this.truth.ipv4++;
    if (out) { this.lookups++; q.push(tUs + 300 + (hash(k, 905) % 30_000), this.firstId + 2 * k, 1); }
  }

  arp(k, step, tUs, q) {
    const { w } = this;
    const request = step === 0;
    const b = w.buf;
    const f = w.frame(tUs, request ? 42 : ETH_MIN);
    let o = eth(b, f, request ? BROADCAST : this.scannerMac, request ? this.scannerMac : this.gatewayMac, ETHERTYPE.ARP);
    w16(b, o, 1); w16(b, o + 2, ETHERTYPE.IPV4); b[o + 4] = 6; b[o + 5] = 4; w16(b, o + 6, request ? 1 : 2);
    const senderMac = request ? this.scannerMac : this.gatewayMac;
    w16(b, o + 8, senderMac.hi); w32(b, o + 10, senderMac.lo); w32(b, o + 14, request ? this.scanner : this.gateway);
    if (!request) { w16(b, o + 18, this.scannerMac.hi); w32(b, o + 20, this.scannerMac.lo); }
    w32(b, o + 24, request ? this.gateway : this.scanner);
    this.truth.arp++;
    if (request) q.push(tUs + 150 + (this.hash(k, 906) % 600), this.firstId + 2 * k + 1, 1);
  }
}
