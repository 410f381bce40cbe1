// busy-server: a few servers seen from their switch port, with very many short client
// connections. web-a (HTTPS 443 and HTTP 80), web-b (HTTPS 443) and a DNS server (53/udp), each
// with an IPv4 and an IPv6 address. Clients are Linux hosts (15 % over IPv6) whose connections use
// ephemeral ports 32768-60999, stepping by 2 as Linux does. Every TCP connection: the handshake with
// Linux options, 1-3 data segments (the request; then up to two response segments), and a FIN
// teardown started by the client. Every DNS exchange: one query, one answer. About 5,000 new flows
// a second.
import { ETHERTYPE, ETH_LEN, ETH_MIN, IPV4_LEN, IPV6_LEN, PROTO, TCP_FLAG, TCP_LEN, UDP_LEN, dnsName, dnsNameLen, eth, ipv4, ipv6, mac, optLinuxSyn, optTimestamps, pseudo4, pseudo6, tcp, tcpChecksum, udp, udpChecksum, w16, w32 } from './frames.mjs';
import { Permutation, expUs, logUniformTable, mix32 } from './hash.mjs';
import { PayloadPool, bytes } from './payload-pool.mjs';
import { SERVER_FLIGHT_MIN, appData, clientHello, serverFlight } from './tls-records.mjs';
import { ipv4Of, ipv4Text } from './scan-common.mjs';

const MEAN_GAP_US = 200;
const FLOWS_PER_CLIENT = 12;
const EPHEMERAL_LO = 32768;
const EPHEMERAL_N = 60999 - 32768 + 1;
const CLIENTS_V4 = ipv4Of('100.64.0.0'); // a /10: up to 2^22 IPv4 clients
const V6_SHARE = 0.15;
const ROUTER_MAC = mac('02:16:3e:cc:00:01');
const RTT_US = logUniformTable(2_000, 180_000); // client RTTs log-uniform in [2, 180) ms
const S = { GAP: 1, KIND: 2, CLIENT: 3, PORT: 4, ISN: 5, SIZES: 6, ORDER: 7, NAME: 8, TIME: 9 }; // TIME + step: per-packet

/** v6 addresses as 4 words. */
const v6 = (text) => {
  const [head, tail = ''] = text.split('::');
  const h = head ? head.split(':') : [], t = tail ? tail.split(':') : [];
  const groups = [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t].map((g) => Number.parseInt(g, 16));
  return [0, 1, 2, 3].map((i) => ((groups[2 * i] << 16) | groups[2 * i + 1]) >>> 0);
};
const v6Text = (w) => w.flatMap((x) => [x >>> 16, x & 0xffff]).map((g) => g.toString(16)).join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
const SERVERS = [
  { name: 'web-a', v4: ipv4Of('203.0.113.10'), v6: v6('2001:db8:10::10'), mac: mac('02:16:3e:cc:00:10') },
  { name: 'web-b', v4: ipv4Of('203.0.113.11'), v6: v6('2001:db8:10::11'), mac: mac('02:16:3e:cc:00:11') },
  { name: 'dns', v4: ipv4Of('203.0.113.53'), v6: v6('2001:db8:10::53'), mac: mac('02:16:3e:cc:00:53') },
];
// What a new flow is, by share: [server, port, tcp?, share].
const KINDS = [[0, 443, true, 0.45], [1, 443, true, 0.15], [0, 80, true, 0.15], [2, 53, false, 0.25]];
const KIND_CUT = KINDS.reduce((acc, k) => [...acc, (acc.at(-1) ?? 0) + k[3] * 65536], []);
const ANSWERS_V4 = ipv4Of('198.51.100.0');
const NAMES = ['www.example.com', 'api.example.com', 'cdn.example.net', 'static.example.org', 'login.example.com', 'img.example.net', 'mail.example.org', 'update.example.com'];

// HTTP/1.1 requests and the response head; HTTPS payloads are TLS 1.3 first flights (tls-records.mjs).
const HTTP_REQUESTS = ['/', '/index.html', '/static/app.js', '/api/v1/status', '/favicon.ico', '/images/logo.png'].map((p) =>
  bytes(`GET ${p} HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: close\r\n\r\n`));
const HTTP_RESPONSE = bytes('HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n');

// TCP steps: SYN, SYN-ACK, ACK, then `data` segments, then FIN (client), FIN (server), ACK (client).
const STEP = { SYN: 0, SYN_ACK: 1, ACK: 2, DATA: 3 };
const PAYLOAD = { NONE: 0, CLIENT_HELLO: 1, SERVER_FLIGHT: 2, APP_DATA: 3, HTTP_REQUEST: 4, HTTP_RESPONSE: 5, HTTP_BODY: 6 };

export function busyServer({ w, hash, flows, truth, startUs }) {
  const clients = Math.max(64, Math.ceil(flows / FLOWS_PER_CLIENT));
  if (clients > 2 ** 22) throw new Error(`busy-server: at most ${FLOWS_PER_CLIENT} x 2^22 flows`);
  const order = new Permutation(clients, hash(0, S.ORDER));
  const v4Spread = new Permutation(2 ** 22, hash(1, S.ORDER));
  const pool = new PayloadPool(hash);
  const serverClock = KINDS.map((k) => hash(k[0], S.TIME));
  const addr = new Uint32Array(8); // IPv6 source then destination
  const b = w.buf;
  const counts = { tcp: 0, udp: 0, ipv6Flows: 0 };
  // The flow being written, recomputed from its id at each packet.
  const f = { client: 0, v6: false, kind: 0, server: null, sport: 0, dport: 0, tcp: false, cAddr: 0, rtt: 0, ttl: 0, data: 0, sizes: [0, 0, 0], request: 0, cIsn: 0, sIsn: 0, cTs: 0, sTs: 0 };

  function flowOf(i) {
    // Flow i is client order(i mod C)'s (i div C)-th connection: every (client, port) pair is new.
    const c = order.apply(i % clients);
    const k = Math.floor(i / clients);
    // Per client: IPv6 or not (10 bits), hops (4), RTT (16); its port base and clocks from a second hash.
    const hc = hash(c, S.CLIENT);
    const hp = hash(c, S.PORT);
    const hk = hash(i, S.KIND) & 0xffff;
    let kind = 0;
    while (hk >= KIND_CUT[kind]) kind++;
    f.client = c;
    f.v6 = (hc & 0x3ff) < V6_SHARE * 1024;
    f.kind = kind;
    f.server = SERVERS[KINDS[kind][0]];
    f.dport = KINDS[kind][1];
    f.tcp = KINDS[kind][2];
    f.sport = EPHEMERAL_LO + ((hp + 2 * k) % EPHEMERAL_N);
    f.rtt = RTT_US[hc >>> 16];
    f.ttl = 64 - 6 - ((hc >>> 10) & 15);
    if (f.v6) {
      addr[0] = 0x20010db8; addr[1] = (0xc000 << 16 | (c >>> 16)) >>> 0; addr[2] = (c & 0xffff) << 16 >>> 0; addr[3] = mix32(hp ^ 0x1d);
      addr[4] = f.server.v6[0]; addr[5] = f.server.v6[1]; addr[6] = f.server.v6[2]; addr[7] = f.server.v6[3];
    } else f.cAddr = (CLIENTS_V4 + v4Spread.apply(c)) >>> 0;
    const hs = hash(i, S.SIZES);
    f.data = 1 + (hs % 3);
    // Short exchanges (API calls, health checks, resumed TLS sessions): a ClientHello of 250-600 bytes,
    // a resumed server flight of 140-460, small records and bodies.
    if (f.dport === 443) { f.sizes[0] = 250 + ((hs >>> 2) % 351); f.sizes[1] = SERVER_FLIGHT_MIN + ((hs >>> 11) % 321); f.sizes[2] = 60 + ((hs >>> 20) % 341); }
    else { f.request = (hs >>> 2) % HTTP_REQUESTS.length; f.sizes[0] = HTTP_REQUESTS[f.request].length; f.sizes[1] = HTTP_RESPONSE.length + ((hs >>> 9) % 400); f.sizes[2] = 60 + ((hs >>> 20) % 341); }
    f.cIsn = hash(i, S.ISN);
    f.sIsn = mix32(f.cIsn ^ 0x5eed);
    f.cTs = mix32(hp);
    f.sTs = serverClock[kind];
  }

  /** Ethernet and IP from `fromClient`'s side for an L4 length; returns the L4 offset and sets `pseudo`. */
  let pseudo = 0;
  function frameIp(tUs, fromClient, proto, l4, id) {
    const ipLen = f.v6 ? IPV6_LEN : IPV4_LEN;
    const len = ETH_LEN + ipLen + l4;
    const o0 = w.frame(tUs, Math.max(ETH_MIN, len));
    const s = f.server;
    let o = eth(b, o0, fromClient ? s.mac : ROUTER_MAC, fromClient ? ROUTER_MAC : s.mac, f.v6 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4);
    if (f.v6) {
      if (!fromClient) swap();
      o = ipv6(b, o, l4, proto, fromClient ? f.ttl : 64, addr);
      pseudo = pseudo6(addr, proto, l4);
      if (!fromClient) swap();
      truth.ipv6++;
    } else {
      const src = fromClient ? f.cAddr : s.v4, dst = fromClient ? s.v4 : f.cAddr;
      o = ipv4(b, o, l4, id & 0xffff, true, fromClient ? f.ttl : 64, proto, src, dst);
      pseudo = pseudo4(src, dst, proto, l4);
      truth.ipv4++;
    }
    return o;
  }
  function swap() { for (let j = 0; j < 4; j++) { const x = addr[j]; addr[j] = addr[j + 4]; addr[j + 4] = x; } }

  /** Client's and server's TCP timestamp clocks (ms) at tUs. */
  const cClock = (tUs) => (f.cTs + Math.floor(tUs / 1000)) >>> 0;
  const sClock = (tUs) => (f.sTs + Math.floor(tUs / 1000)) >>> 0;

  function tcpSegment(tUs, fromClient, flags, seq, ack, payloadLen, payload, h, syn) {
    const optLen = syn ? 20 : 12;
    const l4 = TCP_LEN + optLen + payloadLen;
    let o = frameIp(tUs, fromClient, PROTO.TCP, l4, h);
    const t = o;
    const mss = f.v6 ? 1440 : 1460;
    o = tcp(b, o, fromClient ? f.sport : f.dport, fromClient ? f.dport : f.sport, seq >>> 0, ack >>> 0, flags,
      syn ? (fromClient ? 64240 : 65160) : (fromClient ? 502 : 509), optLen);
    const tsval = fromClient ? cClock(tUs) : sClock(tUs);
    // Clocks as seen at the server: a client segment echoes the server segment of an RTT ago, a server one the client's latest.
    const tsecr = flags === TCP_FLAG.SYN ? 0 : fromClient ? sClock(tUs - f.rtt) : cClock(tUs);
    o = syn ? optLinuxSyn(b, o, mss, tsval, tsecr, 7) : optTimestamps(b, o, tsval, tsecr);
    if (payload === PAYLOAD.CLIENT_HELLO) clientHello(b, o, payloadLen, pool, h);
    else if (payload === PAYLOAD.SERVER_FLIGHT) serverFlight(b, o, payloadLen, pool, h);
    else if (payload === PAYLOAD.APP_DATA) appData(b, o, payloadLen, pool, h);
    else if (payload === PAYLOAD.HTTP_REQUEST) HTTP_REQUESTS[f.request].copy(b, o);
    else if (payload === PAYLOAD.HTTP_RESPONSE) pool.fill(b, o, payloadLen, HTTP_RESPONSE, h);
    else if (payload === PAYLOAD.HTTP_BODY) pool.fill(b, o, payloadLen, null, h);
    tcpChecksum(b, t, t + l4, pseudo);
  }

  // Bytes each side sent in data segments 0 .. n-1 (segment 0 is the client's, 1 and 2 the server's).
  const cSent = (n) => (n >= 1 ? f.sizes[0] : 0);
  const sSent = (n) => (n >= 2 ? f.sizes[1] : 0) + (n >= 3 ? f.sizes[2] : 0);

  function tcpStep(i, s, tUs, q) {
    const d = f.data;
    const h = hash(i, S.TIME + s);
    const A = TCP_FLAG.ACK;
    let next = -1;
    if (s === STEP.SYN) { tcpSegment(tUs, true, TCP_FLAG.SYN, f.cIsn, 0, 0, PAYLOAD.NONE, h, true); next = tUs + 15 + (h % 50); }
    else if (s === STEP.SYN_ACK) { tcpSegment(tUs, false, TCP_FLAG.SYN | A, f.sIsn, f.cIsn + 1, 0, PAYLOAD.NONE, h, true); next = tUs + f.rtt; }
    else if (s === STEP.ACK) { tcpSegment(tUs, true, A, f.cIsn + 1, f.sIsn + 1, 0, PAYLOAD.NONE, h, false); next = tUs + 20 + (h % 400); }
    else if (s < STEP.DATA + d) {
      const n = s - STEP.DATA; // data segment n: 0 the request, 1 and 2 the response
      const fromClient = n === 0;
      const payload = f.dport === 443 ? (n === 0 ? PAYLOAD.CLIENT_HELLO : n === 1 ? PAYLOAD.SERVER_FLIGHT : PAYLOAD.APP_DATA)
        : n === 0 ? PAYLOAD.HTTP_REQUEST : n === 1 ? PAYLOAD.HTTP_RESPONSE : PAYLOAD.HTTP_BODY;
      const seq = fromClient ? f.cIsn + 1 : f.sIsn + 1 + sSent(n);
      const ack = fromClient ? f.sIsn + 1 : f.cIsn + 1 + f.sizes[0];
      tcpSegment(tUs, fromClient, TCP_FLAG.PSH | A, seq, ack, f.sizes[n], payload, h, false);
      // after the request: the server thinks; between response segments: back to back; after the last: the client's RTT.
      next = n === d - 1 ? tUs + (fromClient ? 100 + (h % 2000) : f.rtt) : tUs + (n === 0 ? 300 + (h % 20_000) : 10 + (h % 40));
    } else {
      const fin = s - STEP.DATA - d; // 0: client FIN, 1: server FIN, 2: client's last ACK
      const cSeq = f.cIsn + 1 + cSent(d), sSeq = f.sIsn + 1 + sSent(d);
      if (fin === 0) { tcpSegment(tUs, true, TCP_FLAG.FIN | A, cSeq, sSeq, 0, PAYLOAD.NONE, h, false); next = tUs + 20 + (h % 80); }
      else if (fin === 1) { tcpSegment(tUs, false, TCP_FLAG.FIN | A, sSeq, cSeq + 1, 0, PAYLOAD.NONE, h, false); next = tUs + f.rtt; }
      else tcpSegment(tUs, true, A, cSeq + 1, sSeq + 1, 0, PAYLOAD.NONE, h, false);
    }
    if (next >= 0) q.push(next, i, s + 1);
  }

  function dnsStep(i, s, tUs, q) {
    const name = NAMES[hash(i, S.NAME) % NAMES.length];
    const type = f.v6 ? 28 : 1; // AAAA from IPv6 clients, A otherwise
    const question = dnsNameLen(name) + 4;
    const answer = s === 0 ? 0 : 12 + (f.v6 ? 16 : 4);
    const dnsLen = 12 + question + answer;
    const l4 = UDP_LEN + dnsLen;
    const fromClient = s === 0;
    const h = hash(i, S.TIME);
    let o = frameIp(tUs, fromClient, PROTO.UDP, l4, h);
    const u = o;
    o = udp(b, o, fromClient ? f.sport : 53, fromClient ? 53 : f.sport, dnsLen);
    w16(b, o, h); w16(b, o + 2, fromClient ? 0x0100 : 0x8180); w16(b, o + 4, 1); if (!fromClient) w16(b, o + 6, 1);
    o = dnsName(b, o + 12, name);
    w16(b, o, type); w16(b, o + 2, 1); o += 4;
    if (!fromClient) { // RFC 1035 §4.1.4: the answer names the question by a pointer to offset 12
      w16(b, o, 0xc00c); w16(b, o + 2, type); w16(b, o + 4, 1); w32(b, o + 6, 300); w16(b, o + 10, f.v6 ? 16 : 4);
      if (f.v6) { w32(b, o + 12, 0x20010db8); w32(b, o + 16, 0x20); w32(b, o + 24, 0x1000 + (h % 200)); }
      else w32(b, o + 12, (ANSWERS_V4 + (h % 200)) >>> 0);
    }
    udpChecksum(b, u, u + l4, pseudo);
    if (fromClient) q.push(tUs + 80 + (h % 3000), i, 1);
  }

  function step(i, s, tUs, q) {
    flowOf(i);
    if (s === 0) { if (f.tcp) counts.tcp++; else counts.udp++; if (f.v6) counts.ipv6Flows++; }
    if (f.tcp) tcpStep(i, s, tUs, q); else dnsStep(i, s, tUs, q);
  }

  return {
    flows,
    startUs,
    nextStartUs: (prevUs, i) => prevUs + expUs(hash(i, S.GAP), MEAN_GAP_US),
    step,
    finish() {
      truth.flows = { tcp: counts.tcp, udp: counts.udp };
      truth.servers = SERVERS.map((s) => ({ name: s.name, ipv4: ipv4Text(s.v4), ipv6: v6Text(s.v6) }));
      truth.clients = clients;
      truth.ipv6Flows = counts.ipv6Flows;
    },
  };
}
