// Test traffic for the policy and diff tests: conversations (who connects to what, and how the
// server answers) written as a classic pcap of Ethernet frames, IPv4 or IPv6.
import { BlockList } from 'node:net';
import { addressText, parseCidr, type Cidr } from '../src/policy/cidr';
import { PROTO, type Policy, type PolicyRule } from '../src/policy/policy';
import type { AnalysisState } from '../src/tap/analysis-state';
import { AnalysisView } from '../src/views/analysis-view';
import { flowRecord } from '../src/views/records';
import { stateOfBytes } from './helpers/analyze';
import { concat, pcapHeader, pcapRecord } from './helpers/capture-builder';

export interface Conversation {
  client: string;
  clientPort: number;
  server: string;
  serverPort: number;
  proto: 'tcp' | 'udp';
  /** open: SYN, SYN+ACK, ACK, data (UDP: a request and an answer); refused: SYN, RST+ACK (UDP: no answer); unanswered: SYN only. */
  answer: 'open' | 'refused' | 'unanswered';
  /** Seconds since the capture start. */
  at: number;
  /** Payload bytes of the data packet (default 32). */
  payload?: number;
}

const FLAG = { SYN: 0x02, RST: 0x04, ACK: 0x10, PSH: 0x08 } as const;

function addressBytes(text: string): { v: 4 | 6; bytes: number[] } {
  const c = parseCidr(text);
  if (!c) throw new Error(`bad address ${text}`);
  const bytes: number[] = [];
  for (const w of c.version === 4 ? [c.words[0]] : c.words) bytes.push(w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff);
  return { v: c.version, bytes };
}

function frame(src: string, dst: string, sport: number, dport: number, proto: 'tcp' | 'udp', flags: number, payload: number): Uint8Array {
  const s = addressBytes(src), d = addressBytes(dst);
  const l4len = (proto === 'tcp' ? 20 : 8) + payload;
  const out: number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const u16 = (x: number) => out.push((x >>> 8) & 0xff, x & 0xff);
  if (s.v === 4) {
    u16(0x0800);
    out.push(0x45, 0);
    u16(20 + l4len);
    out.push(0, 1, 0, 0, 64, proto === 'tcp' ? 6 : 17, 0, 0, ...s.bytes, ...d.bytes);
  } else {
    u16(0x86dd);
    out.push(0x60, 0, 0, 0);
    u16(l4len);
    out.push(proto === 'tcp' ? 6 : 17, 64, ...s.bytes, ...d.bytes);
  }
  u16(sport);
  u16(dport);
  if (proto === 'tcp') {
    out.push(0, 0, 0, 1, 0, 0, 0, flags & FLAG.ACK ? 1 : 0, 0x50, flags);
    u16(1024);
    out.push(0, 0, 0, 0);
  } else {
    u16(l4len);
    out.push(0, 0);
  }
  for (let i = 0; i < payload; i++) out.push(i & 0xff);
  return Uint8Array.from(out);
}

/** The packets of the conversations, in time order, as a pcap file. */
export function capture(convs: Conversation[]): Uint8Array {
  const packets: Array<{ t: number; data: Uint8Array }> = [];
  for (const c of convs) {
    const c2s = (flags: number, payload: number, dt: number) => packets.push({ t: c.at + dt, data: frame(c.client, c.server, c.clientPort, c.serverPort, c.proto, flags, payload) });
    const s2c = (flags: number, payload: number, dt: number) => packets.push({ t: c.at + dt, data: frame(c.server, c.client, c.serverPort, c.clientPort, c.proto, flags, payload) });
    const size = c.payload ?? 32;
    if (c.proto === 'tcp') {
      c2s(FLAG.SYN, 0, 0);
      if (c.answer === 'open') {
        s2c(FLAG.SYN | FLAG.ACK, 0, 0.001);
        c2s(FLAG.ACK, 0, 0.002);
        c2s(FLAG.ACK | FLAG.PSH, size, 0.003);
        s2c(FLAG.ACK | FLAG.PSH, size, 0.004);
      } else if (c.answer === 'refused') s2c(FLAG.RST | FLAG.ACK, 0, 0.001);
    } else {
      c2s(0, size, 0);
      if (c.answer === 'open') s2c(0, size, 0.001);
    }
  }
  packets.sort((a, b) => a.t - b.t);
  const start = 1_700_000_000;
  return concat(pcapHeader(false, 1), ...packets.map((p) => {
    const t = start + p.t;
    return pcapRecord(false, Math.floor(t), Math.round((t - Math.floor(t)) * 1e6), p.data);
  }));
}

export function stateOf(convs: Conversation[]): AnalysisState {
  return stateOfBytes(capture(convs));
}

export function viewOf(convs: Conversation[]): AnalysisView {
  return new AnalysisView(stateOf(convs));
}

/** An office: admins and staff using a few servers, some traffic refused or unanswered. */
export function office(): Conversation[] {
  const out: Conversation[] = [];
  let t = 0, port = 40000;
  const conv = (client: string, server: string, serverPort: number, proto: 'tcp' | 'udp' = 'tcp', answer: Conversation['answer'] = 'open') =>
    out.push({ client, clientPort: port++, server, serverPort, proto, answer, at: (t += 0.5) });
  for (const admin of ['10.0.9.5', '10.0.9.6']) conv(admin, '10.0.5.10', 22);
  for (let i = 1; i <= 12; i++) {
    conv(`10.0.1.${i}`, '10.0.5.10', 443);
    conv(`10.0.1.${i}`, '10.0.5.53', 53, 'udp');
  }
  for (let i = 1; i <= 3; i++) conv(`10.0.2.${i * 7}`, '10.0.5.20', 5432);
  conv('198.51.100.7', '10.0.5.10', 80);
  conv('198.51.100.7', '10.0.5.10', 23, 'tcp', 'refused');
  conv('198.51.100.8', '10.0.5.30', 3389, 'tcp', 'unanswered');
  conv('2001:db8:1::5', '2001:db8:5::10', 443);
  conv('2001:db8:1::6', '2001:db8:5::10', 22, 'tcp', 'refused');
  return out;
}

// ---- An independent judge: the policy's meaning written plainly over flow records, with
// Node's own address matching (net.BlockList), to hold the compiled evaluation against.

function blockList(set: Cidr[], version: 4 | 6): BlockList {
  const b = new BlockList();
  for (const c of set) if (c.version === version) b.addSubnet(addressText(c), c.prefix, version === 4 ? 'ipv4' : 'ipv6');
  return b;
}

/** Per flow row of the view: the index of the deciding rule, -1 for the default, -2 outside the policy. */
export function oracle(policy: Policy, view: AnalysisView, rows: Iterable<number> = view.facts.order): Map<number, number> {
  const lists = policy.rules.map((r) => ({ src: r.src && { 4: blockList(r.src, 4), 6: blockList(r.src, 6) }, dst: r.dst && { 4: blockList(r.dst, 4), 6: blockList(r.dst, 6) } }));
  const inPorts = (ranges: PolicyRule['dport'], p: number) => ranges === null || ranges.some((x) => p >= x.first && p <= x.last);
  const out = new Map<number, number>();
  for (const r of rows) {
    const f = flowRecord(view.facts, r);
    const v = f.ipVersion;
    if (policy.defaults[v] === null) { out.set(r, -2); continue; }
    const client = f.server === 'a' ? f.b : f.a, server = f.server === 'a' ? f.a : f.b;
    const decided = policy.rules.findIndex((rule, i) => rule.state === 'new'
      && (rule.protos & (f.proto === 'tcp' ? PROTO.TCP : PROTO.UDP)) !== 0
      && (rule.family === null || rule.family === v)
      && inPorts(rule.dport, f.serverPort) && inPorts(rule.sport, f.clientPort)
      && (lists[i]!.src === null || lists[i]!.src![v].check(client, v === 4 ? 'ipv4' : 'ipv6'))
      && (lists[i]!.dst === null || lists[i]!.dst![v].check(server, v === 4 ? 'ipv4' : 'ipv6')));
    out.set(r, decided);
  }
  return out;
}

/** Is flow row r blocked under the oracle's decision d? */
export function oracleBlocks(policy: Policy, view: AnalysisView, r: number, d: number): boolean | null {
  if (d === -2) return null;
  if (d >= 0) return policy.rules[d]!.action !== 'allow';
  return policy.defaults[view.facts.ipVersion[r] === 4 ? 4 : 6]!.action === 'deny';
}
