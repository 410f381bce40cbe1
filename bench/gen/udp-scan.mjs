// udp-scan: one scanner (nmap -sU --top-ports 20 -Pn over hosts of 172.16.0.0/12, sixteen /16s),
// seen from the scanner. One UDP probe per (host, port), each its own UDP flow; nmap's payloads
// for DNS, NTP, NetBIOS, SNMP and SSDP, empty datagrams elsewhere. Hosts that are up (75 %) answer
// a closed port with ICMP port unreachable (type 3 code 3) quoting the probe's IP header, UDP header
// and payload as Linux does, and an open port (3 % of theirs) with a UDP reply; the rest never
// answer. About 2,000 probes a second.
import { ETHERTYPE, ETH_LEN, ETH_MIN, IPV4_LEN, PROTO, UDP_LEN, eth, icmpChecksum, ipv4, mac, pseudo4, udp, udpChecksum } from './frames.mjs';
import { expUs, logUniformTable } from './hash.mjs';
import { PayloadPool, bytes } from './payload-pool.mjs';
import { HostAddresses, ScannerBackground, ipv4Of, ipv4Text, planProbe } from './scan-common.mjs';

/** nmap's top 20 UDP ports (nmap-services frequencies). */
const PORTS = [53, 67, 68, 69, 123, 135, 137, 138, 139, 161, 162, 445, 500, 514, 520, 631, 1434, 1900, 4500, 49152];
const GROUP = 256;
const MEAN_GAP_US = 500;
const UP = 0.75;
const OPEN_IF_UP = 0.03;
const SCANNER = ipv4Of('192.168.7.21');
const GATEWAY = ipv4Of('192.168.7.1');
const SCANNER_MAC = mac('02:16:3e:07:00:15');
const GATEWAY_MAC = mac('02:16:3e:07:00:01');
const TARGETS = ipv4Of('172.16.0.0');
const S = { GAP: 1, HOST: 2, PROBE: 3, SPORT: 4, PORTS: 5, REPLY: 6 };
const STEP = { PROBE: 0, ANSWER: 1 };
const OUTCOME = { UNANSWERED: 0, REFUSED: 1, OPEN: 2 };
const RTT_US = logUniformTable(1_000, 120_000); // RTTs log-uniform in [1, 120) ms
const ICMP_HEADER = 8;

// nmap-payloads (abridged): what nmap sends to these ports, and the start of what comes back.
const PROBE_PAYLOAD = new Map([
  [53, bytes([0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0])], // DNS server status request
  [123, bytes([0xe3, 0, 4, 0xfa, 0, 1, 0, 0, 0, 1, 0, 0], new Array(28).fill(0), [0xc5, 0x4f, 0x23, 0x4b, 0x71, 0xb1, 0x52, 0xf3])], // NTPv4 client
  [137, bytes([0x80, 0xf0, 0, 0x10, 0, 1, 0, 0, 0, 0, 0, 0, 0x20], 'CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', [0, 0, 0x21, 0, 1])], // NBSTAT
  [161, bytes([0x30, 0x3a, 2, 1, 3, 0x30, 0x0f, 2, 2, 0x4a, 0x69, 2, 3, 0, 0xff, 0xe3, 4, 1, 4, 2, 1, 3, 4, 0x10, 0x30, 0x0e, 4, 0, 2, 1, 0, 2, 1, 0, 4, 0, 4, 0, 4, 0, 0x30, 0x12, 4, 0, 4, 0, 0xa0, 0x0c, 2, 2, 0x37, 0xf0, 2, 1, 0, 2, 1, 0, 0x30, 0])], // SNMPv3 GetRequest
  [1900, bytes('M-SEARCH * HTTP/1.1\r\nHost:239.255.255.250:1900\r\nST:upnp:rootdevice\r\nMan:"ssdp:discover"\r\nMX:3\r\n\r\n')],
]);
const SSDP_REPLY = bytes('HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: http://172.16.0.1:49152/rootDesc.xml\r\nSERVER: Linux/5.10 UPnP/1.1 MiniUPnPd/2.3\r\nST: upnp:rootdevice\r\nUSN: uuid:4d696e69-5550-6e50-0000-000000000001::upnp:rootdevice\r\n\r\n');
const REPLY = new Map([
  [53, { prefix: bytes([0, 0, 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0]), len: 12 }],
  [123, { prefix: bytes([0x24, 2, 3, 0xe9]), len: 48 }],
  // NBSTAT answer: header, the name, type NBSTAT, class IN, TTL 0, 47 bytes of data: no names, then the 46-byte statistics.
  [137, { prefix: bytes([0x80, 0xf0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x20], 'CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', [0, 0, 0x21, 0, 1, 0, 0, 0, 0, 0, 47, 0]), len: 103 }],
  [161, { prefix: bytes([0x30, 0x81, 0x8c]), len: 143 }],
  [1900, { prefix: SSDP_REPLY, len: SSDP_REPLY.length }],
]);
const EMPTY = Buffer.alloc(0);

export function udpScan({ w, hash, flows, truth, startUs }) {
  if (flows > PORTS.length * 2 ** 20) throw new Error(`udp-scan: at most ${PORTS.length} x 2^20 flows (one /12)`);
  const hosts = new HostAddresses(TARGETS, 20, Math.ceil(flows / PORTS.length), hash(0, S.PORTS));
  const ports = [...PORTS].sort((a, b) => hash(a, S.PORTS) - hash(b, S.PORTS));
  const probePayload = ports.map((p) => PROBE_PAYLOAD.get(p) ?? EMPTY);
  const reply = ports.map((p) => REPLY.get(p) ?? { prefix: null, len: 0 });
  const sport = 33000 + (hash(0, S.SPORT) % 28000);
  const pool = new PayloadPool(hash);
  const probeTarget = (i) => hosts.address(Math.floor(planProbe(i, flows, PORTS.length, GROUP) / PORTS.length));
  const bg = new ScannerBackground({ w, hash, truth, firstId: flows, scanner: SCANNER, scannerMac: SCANNER_MAC, gateway: GATEWAY, gatewayMac: GATEWAY_MAC, probeTarget });
  const probes = { sent: 0, open: 0, refused: 0, unanswered: 0 };
  const b = w.buf;

  /** The probe's IP datagram at `o` as it left (ttl) or as it arrived (ttl lowered by the hops); returns its end. */
  function probeDatagram(o, hi, pi, target, ttl) {
    const payload = probePayload[pi];
    const l4 = UDP_LEN + payload.length;
    o = ipv4(b, o, l4, hi & 0xffff, false, ttl, PROTO.UDP, SCANNER, target);
    const u = o;
    o = udp(b, o, sport, ports[pi], payload.length);
    payload.copy(b, o);
    udpChecksum(b, u, u + l4, pseudo4(SCANNER, target, PROTO.UDP, l4));
    return u + l4;
  }

  function step(i, s, tUs, q) {
    if (i >= flows) { bg.step(i, s, tUs, q); return; }
    const hp = planProbe(i, flows, PORTS.length, GROUP);
    const host = Math.floor(hp / PORTS.length);
    const pi = hp % PORTS.length;
    const target = hosts.address(host);
    // One hash per host (up 10 bits, OS 2, hops 4, RTT 16) and one per probe (IP ID 16, TTL 8, open 8).
    const hh = hash(host, S.HOST);
    const hi = hash(i, S.PROBE);
    const result = (hh & 0x3ff) >= UP * 1024 ? OUTCOME.UNANSWERED : (hi >>> 24) < OPEN_IF_UP * 256 ? OUTCOME.OPEN : OUTCOME.REFUSED;
    const ttlOut = 37 + (((hi >>> 16) & 0xff) % 23);
    const hops = 4 + ((hh >>> 12) & 15);
    if (s === STEP.PROBE) {
      const len = ETH_LEN + IPV4_LEN + UDP_LEN + probePayload[pi].length;
      const f = w.frame(tUs, len);
      probeDatagram(eth(b, f, GATEWAY_MAC, SCANNER_MAC, ETHERTYPE.IPV4), hi, pi, target, ttlOut);
      truth.ipv4++;
      probes.sent++;
      if (result === OUTCOME.UNANSWERED) probes.unanswered++;
      else {
        if (result === OUTCOME.OPEN) probes.open++; else probes.refused++;
        q.push(tUs + RTT_US[hh >>> 16], i, STEP.ANSWER);
      }
      bg.afterProbe(i, tUs, q);
      return;
    }
    const windows = ((hh >>> 10) & 3) === 0;
    const ttl = (windows ? 128 : 64) - hops;
    if (result === OUTCOME.REFUSED) { // RFC 792 destination unreachable, port unreachable; Linux quotes the whole probe
      const quoted = IPV4_LEN + UDP_LEN + probePayload[pi].length;
      const l4 = ICMP_HEADER + quoted;
      const f = w.frame(tUs, Math.max(ETH_MIN, ETH_LEN + IPV4_LEN + l4));
      let o = eth(b, f, SCANNER_MAC, GATEWAY_MAC, ETHERTYPE.IPV4);
      o = ipv4(b, o, l4, windows ? (hi + 1) & 0xffff : hash(i, S.REPLY) & 0xffff, false, ttl, PROTO.ICMP, target, SCANNER);
      b[o] = 3; b[o + 1] = 3;
      probeDatagram(o + ICMP_HEADER, hi, pi, target, ttlOut - hops);
      icmpChecksum(b, o, o + l4);
    } else {
      const r = reply[pi];
      const h = hash(i, S.REPLY);
      const payloadLen = r.len || 16 + (h % 120);
      const l4 = UDP_LEN + payloadLen;
      const f = w.frame(tUs, Math.max(ETH_MIN, ETH_LEN + IPV4_LEN + l4));
      let o = eth(b, f, SCANNER_MAC, GATEWAY_MAC, ETHERTYPE.IPV4);
      o = ipv4(b, o, l4, h & 0xffff, !windows, ttl, PROTO.UDP, target, SCANNER);
      const u = o;
      o = udp(b, o, ports[pi], sport, payloadLen);
      pool.fill(b, o, payloadLen, r.prefix, h);
      udpChecksum(b, u, u + l4, pseudo4(target, SCANNER, PROTO.UDP, l4));
    }
    truth.ipv4++;
  }

  return {
    flows,
    startUs,
    nextStartUs: (prevUs, i) => prevUs + expUs(hash(i, S.GAP), MEAN_GAP_US),
    step,
    finish() {
      truth.flows = { tcp: 0, udp: flows + bg.udpFlows() };
      truth.scanner = ipv4Text(SCANNER);
      truth.probes = probes;
      truth.scan = { proto: 'udp', ports, hosts: Math.ceil(flows / PORTS.length), targets: '172.16.0.0/12', sourcePort: sport };
    },
  };
}
