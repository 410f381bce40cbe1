// syn-scan: one scanner (nmap -sS -Pn -p 22,80,443,3389 over hosts of 10.0.0.0/8) seen from the
// scanner. One SYN probe per (host, port), each its own TCP flow. Hosts that are up (43 %) answer
// a closed port with RST+ACK and an open one (7 % of their ports) with SYN+ACK, which the
// scanner's kernel resets; the rest never answer. About 3,300 probes a second, so 1 M flows span
// about five minutes. SYN probes carry nmap's MSS option, window 1024 and a random TTL 37-59.
import { ETHERTYPE, ETH_LEN, ETH_MIN, IPV4_LEN, PROTO, TCP_FLAG, TCP_LEN, eth, ipv4, mac, optMss, pseudo4, tcp, tcpChecksum } from './frames.mjs';
import { expUs, logUniformTable } from './hash.mjs';
import { HostAddresses, ScannerBackground, ipv4Of, ipv4Text, planProbe } from './scan-common.mjs';

const PORTS = [22, 80, 443, 3389];
const GROUP = 1024; // hosts probed together, port by port
const MEAN_GAP_US = 300;
const UP = 0.43;
const OPEN_IF_UP = 0.07;
const SCANNER = ipv4Of('172.16.0.66');
const GATEWAY = ipv4Of('172.16.0.1');
const SCANNER_MAC = mac('02:16:3e:00:00:42');
const GATEWAY_MAC = mac('02:16:3e:00:00:01');
const TARGETS = ipv4Of('10.0.0.0');
const S = { GAP: 1, HOST: 2, PROBE: 3, SEQ: 4, ISN: 5, SPORT: 6, PORTS: 7 };
const RTT_US = logUniformTable(800, 90_000); // RTTs log-uniform in [0.8, 90) ms
const STEP = { PROBE: 0, ANSWER: 1, RESET: 2 };
const OUTCOME = { UNANSWERED: 0, REFUSED: 1, OPEN: 2 };

export function synScan({ w, hash, flows, truth, startUs }) {
  if (flows > PORTS.length * 2 ** 24) throw new Error('syn-scan: at most 4 x 2^24 flows (one /8)');
  const hosts = new HostAddresses(TARGETS, 24, Math.ceil(flows / PORTS.length), hash(0, S.PORTS));
  const ports = [...PORTS].sort((a, b) => hash(a, S.PORTS) - hash(b, S.PORTS)); // nmap shuffles the port order
  const sport = 33000 + (hash(0, S.SPORT) % 28000); // one source port for the whole scan
  const probeTarget = (i) => hosts.address(Math.floor(planProbe(i, flows, PORTS.length, GROUP) / PORTS.length));
  const bg = new ScannerBackground({ w, hash, truth, firstId: flows, scanner: SCANNER, scannerMac: SCANNER_MAC, gateway: GATEWAY, gatewayMac: GATEWAY_MAC, probeTarget });
  const probes = { sent: 0, open: 0, refused: 0, unanswered: 0 };
  const b = w.buf;

  function step(i, s, tUs, q) {
    if (i >= flows) { bg.step(i, s, tUs, q); return; }
    const hp = planProbe(i, flows, PORTS.length, GROUP);
    const host = Math.floor(hp / PORTS.length);
    const dport = ports[hp % PORTS.length];
    const target = hosts.address(host);
    // One hash per host (up 10 bits, OS 2, hops 4, RTT 16) and one per probe (IP ID 16, TTL 8, open 8).
    const hh = hash(host, S.HOST);
    const hi = hash(i, S.PROBE);
    const seq = hash(i, S.SEQ);
    const result = (hh & 0x3ff) >= UP * 1024 ? OUTCOME.UNANSWERED : (hi >>> 24) < OPEN_IF_UP * 256 ? OUTCOME.OPEN : OUTCOME.REFUSED;
    const windows = ((hh >>> 10) & 3) === 0; // a quarter answer with Windows' TTL 128 and window
    if (s === STEP.PROBE) {
      const l4 = TCP_LEN + 4;
      const f = w.frame(tUs, ETH_LEN + IPV4_LEN + l4);
      let o = eth(b, f, GATEWAY_MAC, SCANNER_MAC, ETHERTYPE.IPV4);
      o = ipv4(b, o, l4, hi & 0xffff, false, 37 + (((hi >>> 16) & 0xff) % 23), PROTO.TCP, SCANNER, target);
      tcp(b, o, sport, dport, seq, 0, TCP_FLAG.SYN, 1024, 4);
      optMss(b, o + TCP_LEN, 1460);
      tcpChecksum(b, o, o + l4, pseudo4(SCANNER, target, PROTO.TCP, l4));
      truth.ipv4++;
      probes.sent++;
      if (result === OUTCOME.UNANSWERED) probes.unanswered++;
      else {
        if (result === OUTCOME.OPEN) probes.open++; else probes.refused++;
        q.push(tUs + RTT_US[hh >>> 16], i, STEP.ANSWER);
      }
      bg.afterProbe(i, tUs, q);
    } else if (s === STEP.ANSWER) {
      const open = result === OUTCOME.OPEN;
      const l4 = TCP_LEN + (open ? 4 : 0);
      const f = w.frame(tUs, Math.max(ETH_MIN, ETH_LEN + IPV4_LEN + l4)); // received: padded to 60
      let o = eth(b, f, SCANNER_MAC, GATEWAY_MAC, ETHERTYPE.IPV4);
      const ttl = (windows ? 128 : 64) - 4 - ((hh >>> 12) & 15);
      o = ipv4(b, o, l4, windows ? (hi + 1) & 0xffff : 0, !windows, ttl, PROTO.TCP, target, SCANNER);
      if (open) {
        tcp(b, o, dport, sport, hash(i, S.ISN), (seq + 1) >>> 0, TCP_FLAG.SYN | TCP_FLAG.ACK, windows ? 8192 : 64240, 4);
        optMss(b, o + TCP_LEN, 1460);
        q.push(tUs + 15 + (seq % 60), i, STEP.RESET);
      } else tcp(b, o, dport, sport, 0, (seq + 1) >>> 0, TCP_FLAG.RST | TCP_FLAG.ACK, 0, 0);
      tcpChecksum(b, o, o + l4, pseudo4(target, SCANNER, PROTO.TCP, l4));
      truth.ipv4++;
    } else { // the scanner's kernel knows no such connection: RST
      const f = w.frame(tUs, ETH_LEN + IPV4_LEN + TCP_LEN);
      let o = eth(b, f, GATEWAY_MAC, SCANNER_MAC, ETHERTYPE.IPV4);
      o = ipv4(b, o, TCP_LEN, 0, true, 64, PROTO.TCP, SCANNER, target);
      tcp(b, o, sport, dport, (seq + 1) >>> 0, 0, TCP_FLAG.RST, 0, 0);
      tcpChecksum(b, o, o + TCP_LEN, pseudo4(SCANNER, target, PROTO.TCP, TCP_LEN));
      truth.ipv4++;
    }
  }

  return {
    flows,
    startUs,
    nextStartUs: (prevUs, i) => prevUs + expUs(hash(i, S.GAP), MEAN_GAP_US),
    step,
    finish() {
      truth.flows = { tcp: flows, udp: bg.udpFlows() };
      truth.scanner = ipv4Text(SCANNER);
      truth.probes = probes;
      truth.scan = { proto: 'tcp', ports, hosts: Math.ceil(flows / PORTS.length), targets: '10.0.0.0/8', sourcePort: sport };
    },
  };
}
