// Today's capture shape ("mix"), unchanged: a fixed pool of flows of every kind, visited round
// robin until the file reaches --size. Ethernet with some 802.1Q tags; IPv4 and IPv6 (some with a
// hop-by-hop header); TCP sessions (handshake, data, teardown) to popular server ports from IANA and
// Linux ephemeral client ports; DNS, QUIC, NTP over UDP; ICMP; ARP; a few IPv4 fragments; bimodal
// frame sizes. Holds the flow pool in memory (fine: --flows is small here).
import { closeSync, openSync, writeSync, writeFileSync } from 'node:fs';

/** Writes `out` and `${out}.truth.json`; `opt(name, default)` reads the command line. */
export function generateMix(out, opt) {
  const parseSize = (s) => { const m = /^(\d+(?:\.\d+)?)\s*(k|m|g)?i?b?$/i.exec(s); if (!m) throw new Error(`bad size ${s}`); return Math.round(Number(m[1]) * { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] || Number(m[1])); };
  const target = parseSize(opt('size', '256MiB'));
  const flowCount = Number(opt('flows', '20000'));
  const format = opt('format', out.endsWith('.pcapng') ? 'pcapng' : 'pcap');
  let seed = Number(opt('seed', '1')) >>> 0 || 1;
  const rand = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
  const pick = (a) => a[Math.floor(rand() * a.length)];

  const TCP_SERVICES = [443, 443, 443, 80, 80, 22, 3306, 5432, 8080, 25, 993, 6379, 8443];
  const UDP_SERVICES = [53, 53, 123, 443];
  const buf = Buffer.alloc(32 * 1024 * 1024);
  let used = 0;
  const fd = openSync(out, 'w');
  const flush = () => { writeSync(fd, buf, 0, used); used = 0; };
  let written = 0;
  const truth = { packets: 0, bytes: 0, flows: { tcp: 0, udp: 0 }, ipv4: 0, ipv6: 0, arp: 0, fragments: 0, format, size: 0, seed: Number(opt('seed', '1')) };
  let ts = 1_700_000_000 * 1e6; // µs

  function header() {
    if (format === 'pcap') {
      buf.writeUInt32LE(0xa1b2c3d4, 0); buf.writeUInt16LE(2, 4); buf.writeUInt16LE(4, 6); buf.writeUInt32LE(0, 8); buf.writeUInt32LE(0, 12);
      buf.writeUInt32LE(262144, 16); buf.writeUInt32LE(1, 20); used = 24;
    } else {
      // SHB (28 bytes) + IDB (20 bytes), little-endian, microsecond resolution (the default).
      buf.writeUInt32LE(0x0a0d0d0a, 0); buf.writeUInt32LE(28, 4); buf.writeUInt32LE(0x1a2b3c4d, 8); buf.writeUInt16LE(1, 12); buf.writeUInt16LE(0, 14);
      buf.writeInt32LE(-1, 16); buf.writeInt32LE(-1, 20); buf.writeUInt32LE(28, 24);
      buf.writeUInt32LE(1, 28); buf.writeUInt32LE(20, 32); buf.writeUInt16LE(1, 36); buf.writeUInt16LE(0, 38); buf.writeUInt32LE(262144, 40); buf.writeUInt32LE(20, 44);
      used = 48;
    }
    written = used;
  }

  const frame = Buffer.alloc(2048);
  /** Append the frame in `frame[0..len)` as one record. */
  function record(len) {
    const recLen = format === 'pcap' ? 16 + len : 32 + ((len + 3) & ~3);
    if (used + recLen > buf.length) flush();
    const o = used;
    if (format === 'pcap') {
      buf.writeUInt32LE(Math.floor(ts / 1e6), o); buf.writeUInt32LE(ts % 1e6, o + 4); buf.writeUInt32LE(len, o + 8); buf.writeUInt32LE(len, o + 12);
      frame.copy(buf, o + 16, 0, len);
    } else {
      buf.writeUInt32LE(6, o); buf.writeUInt32LE(recLen, o + 4); buf.writeUInt32LE(0, o + 8);
      buf.writeUInt32LE(Math.floor(ts / 2 ** 32), o + 12); buf.writeUInt32LE(ts % 2 ** 32, o + 16);
      buf.writeUInt32LE(len, o + 20); buf.writeUInt32LE(len, o + 24); frame.copy(buf, o + 28, 0, len);
      buf.fill(0, o + 28 + len, o + recLen - 4); buf.writeUInt32LE(recLen, o + recLen - 4);
    }
    used += recLen;
    written += recLen;
    truth.packets++;
    truth.bytes += len;
    ts += 1 + Math.floor(rand() * 200);
  }

  function ether(vlan, type) {
    frame.fill(0x02, 0, 6); frame.writeUInt32BE(0x0242ac11, 6); frame.writeUInt16BE(0x0002, 10);
    if (vlan) { frame.writeUInt16BE(0x8100, 12); frame.writeUInt16BE(vlan, 14); frame.writeUInt16BE(type, 16); return 18; }
    frame.writeUInt16BE(type, 12);
    return 14;
  }

  function ip(f, src, dst, proto, payloadLen, dir, fragOff = 0, mf = false) {
    let o = ether(f.vlan, f.v6 ? 0x86dd : 0x0800);
    const [s, d] = dir ? [src, dst] : [dst, src];
    if (!f.v6) {
      frame[o] = 0x45; frame[o + 1] = 0; frame.writeUInt16BE(20 + payloadLen, o + 2); frame.writeUInt16BE(f.id & 0xffff, o + 4);
      frame.writeUInt16BE((mf ? 0x2000 : 0) | (fragOff >> 3), o + 6); frame[o + 8] = 64; frame[o + 9] = proto; frame.writeUInt16BE(0, o + 10);
      frame.writeUInt32BE(s, o + 12); frame.writeUInt32BE(d, o + 16);
      truth.ipv4++;
      return o + 20;
    }
    const hbh = f.hbh ? 8 : 0;
    frame.writeUInt32BE(0x60000000, o); frame.writeUInt16BE(payloadLen + hbh, o + 4); frame[o + 6] = hbh ? 0 : proto; frame[o + 7] = 64;
    frame.writeUInt32BE(0x20010db8, o + 8); frame.writeUInt32BE(0, o + 12); frame.writeUInt32BE(0, o + 16); frame.writeUInt32BE(s, o + 20);
    frame.writeUInt32BE(0x20010db8, o + 24); frame.writeUInt32BE(0, o + 28); frame.writeUInt32BE(0, o + 32); frame.writeUInt32BE(d, o + 36);
    truth.ipv6++;
    o += 40;
    if (hbh) { frame[o] = proto; frame[o + 1] = 0; frame.fill(0, o + 2, o + 8); frame[o + 2] = 1; frame[o + 3] = 4; o += 8; }
    return o;
  }

  function tcp(f, dir, flags, payload) {
    const o = ip(f, f.client, f.server, 6, 20 + payload, dir);
    frame.writeUInt16BE(dir ? f.cport : f.sport, o); frame.writeUInt16BE(dir ? f.sport : f.cport, o + 2);
    frame.writeUInt32BE(f.seq++ >>> 0, o + 4); frame.writeUInt32BE(0, o + 8); frame[o + 12] = 0x50; frame[o + 13] = flags; frame.writeUInt16BE(65535, o + 14);
    frame.fill(0, o + 16, o + 20 + payload);
    record(Math.max(60, o + 20 + payload));
  }

  function udp(f, dir, payload) {
    const o = ip(f, f.client, f.server, 17, 8 + payload, dir);
    frame.writeUInt16BE(dir ? f.cport : f.sport, o); frame.writeUInt16BE(dir ? f.sport : f.cport, o + 2); frame.writeUInt16BE(8 + payload, o + 4);
    frame.fill(0, o + 6, o + 8 + payload);
    if (f.sport === 443) frame[o + 8] = 0xc3; // QUIC long header
    record(Math.max(60, o + 8 + payload));
  }

  const flows = [];
  for (let i = 0; i < flowCount; i++) {
    const isTcp = rand() < 0.7;
    const v6 = rand() < 0.25;
    const client = v6 ? (0x1000 + i) >>> 0 : (0x0a000000 + 2 + (i % 60000) + Math.floor(i / 60000) * 65536) >>> 0;
    const server = v6 ? 0x53 + (i % 50) : (0xc0a80000 + 1 + (i % 200)) >>> 0;
    const linux = rand() < 0.5;
    const cport = linux ? 32768 + ((i * 7919) % (60999 - 32768)) : 49152 + ((i * 104729) % 16383);
    flows.push({ tcp: isTcp, v6, hbh: v6 && rand() < 0.2, vlan: rand() < 0.1 ? 100 + (i % 20) : 0, client, server, cport,
      sport: isTcp ? pick(TCP_SERVICES) : pick(UDP_SERVICES), seq: i * 1000, id: i, state: 0, left: 0 });
    if (isTcp) truth.flows.tcp++; else truth.flows.udp++;
  }

  header();
  let next = 0;
  while (written < target) {
    const f = flows[next];
    next = (next + 1) % flows.length;
    if (f.tcp) {
      if (f.state === 0) { tcp(f, true, 0x02, 0); tcp(f, false, 0x12, 0); tcp(f, true, 0x10, 0); f.state = 1; f.left = 2 + Math.floor(rand() * 40); continue; }
      if (f.left-- > 0) {
        const big = rand() < 0.6;
        tcp(f, !big, 0x18, big ? 1400 + Math.floor(rand() * 46) : Math.floor(rand() * 40));
        continue;
      }
      tcp(f, true, 0x11, 0); tcp(f, false, 0x11, 0); tcp(f, true, 0x10, 0);
      f.state = 0; // the same endpoints reconnect later: still one flow, like tshark
    } else {
      udp(f, true, f.sport === 53 ? 40 + Math.floor(rand() * 30) : f.sport === 123 ? 48 : 1200);
      udp(f, false, f.sport === 53 ? 100 + Math.floor(rand() * 200) : f.sport === 123 ? 48 : 1200);
    }
    if (rand() < 0.01) { // ICMP echo between a pair already known
      const o = ip({ ...f, v6: false, hbh: false }, f.client, f.server, 1, 64, true);
      frame.fill(0, o, o + 64); frame[o] = 8; record(o + 64);
    }
    if (rand() < 0.005) { // ARP
      const o = ether(0, 0x0806); frame.fill(0, o, o + 28); record(60); truth.arp++;
    }
    if (rand() < 0.002 && !f.v6) { // a UDP datagram in two fragments
      const g = { ...f, id: f.id + 77777 };
      let o = ip(g, f.client, f.server, 17, 1480, true, 0, true);
      frame.writeUInt16BE(f.cport, o); frame.writeUInt16BE(f.tcp ? 4500 : f.sport, o + 2); frame.fill(0, o + 4, o + 1480); record(o + 1480);
      o = ip(g, f.client, f.server, 17, 520, true, 1480, false);
      frame.fill(0, o, o + 520); record(o + 520);
      truth.fragments += 2;
      if (!f.fragFlow) { f.fragFlow = true; truth.flows.udp += f.tcp || f.sport !== 53 && f.sport !== 123 && f.sport !== 443 ? 1 : 0; }
    }
  }
  flush();
  closeSync(fd);
  truth.size = written;
  writeFileSync(`${out}.truth.json`, `${JSON.stringify(truth, null, 1)}\n`);
  console.log(`${out}: ${format}, ${written} bytes, ${truth.packets} packets, ${truth.flows.tcp} TCP + ${truth.flows.udp} UDP flows`);
}
