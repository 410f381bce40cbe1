// What changed between two analyses (`porthole diff A B`, and the page): services that started
// or stopped answering, new clients of risky services, new scanners, shifts of the port-class
// split, and top talkers that changed. A pure function of two views; every entry carries a
// filter expression and the side (a or b) it selects flows in.
import { PORT_CLASS_NAMES, portClass, type PortClassName } from '../net/port-class';
import { protoOfKey } from '../net/port-key';
import { serviceLabels } from '../net/services';
import type { AnalysisView } from '../views/analysis-view';
import { ATTEMPT, ATTEMPT_STATES } from '../views/flow-facts';
import type { Selection } from '../views/selection';
import { hashKey } from '../tap/row-index';
import { parseCidr } from './cidr';
import { serviceAdvice } from './service-advice';

export interface DiffOptions {
  /** The same filter applied to both sides (null: all flows). */
  filter: string | null;
  /** Entries per list, and the size of the top-talker lists compared. */
  top: number;
  /** A class's share of bytes or flows moving by at least this many percentage points is reported. */
  classShiftPoints: number;
  /** A top talker whose bytes grew or shrank by this factor is reported. */
  talkerFactor: number;
}

export const DEFAULT_DIFF_OPTIONS: DiffOptions = { filter: null, top: 20, classShiftPoints: 5, talkerFactor: 2 };

type Side = 'a' | 'b';

export interface ServiceChange {
  host: string;
  proto: 'tcp' | 'udp';
  port: number;
  service: string | null;
  /** First time a flow to it was answered (new: in B; vanished: in A), epoch seconds. */
  firstSeen: number | null;
  lastSeen: number | null;
  flows: number;
  clients: number;
  /** How the port answered on the other side, when it was tried there ("refused", "unanswered"). */
  other: string | null;
  side: Side;
  filter: string;
}

export interface RiskyClient {
  host: string;
  proto: 'tcp' | 'udp';
  port: number;
  service: string | null;
  risk: string;
  client: string;
  flows: number;
  firstSeen: number | null;
  side: Side;
  filter: string;
}

export interface ScannerChange {
  scanner: string;
  title: string;
  flows: number;
  side: Side;
  filter: string;
}

export interface ClassShift {
  class: PortClassName;
  a: { flows: number; bytes: number; flowShare: number; byteShare: number };
  b: { flows: number; bytes: number; flowShare: number; byteShare: number };
  /** Percentage points, b - a. */
  flowShift: number;
  byteShift: number;
  moved: boolean;
  /** Server ports of the class whose share of all bytes moved most. */
  ports: Array<{ proto: 'tcp' | 'udp'; port: number; service: string | null; aBytes: number; bBytes: number; shift: number; filter: string }>;
  filter: string;
}

export interface TalkerChange {
  host: string;
  change: 'entered' | 'left' | 'grew' | 'shrank';
  aBytes: number;
  bBytes: number;
  /** 1-based rank in the top list, null when outside it. */
  aRank: number | null;
  bRank: number | null;
  side: Side;
  filter: string;
}

export interface AnalysisDiff {
  a: { name: string; flows: number; start: number | null; end: number | null };
  b: { name: string; flows: number; start: number | null; end: number | null };
  filter: string | null;
  empty: boolean;
  exposed: { new: ServiceChange[]; vanished: ServiceChange[]; newCount: number; vanishedCount: number };
  riskyClients: { new: RiskyClient[]; count: number };
  scanners: { new: ScannerChange[]; gone: ScannerChange[] };
  classSplit: ClassShift[];
  talkers: { top: number; changes: TalkerChange[] };
}

interface OpenService {
  host: string;
  key: number;
  flows: number;
  clients: number;
  firstOpen: number;
  lastSeen: number;
  /** Client address texts (only for risky services). */
  clientFlows: Map<string, { flows: number; first: number }> | null;
}

/** Answered services (and how every tried service answered) of a selection, by "host|port key". */
function servicesOf(sel: Selection): { open: Map<string, OpenService>; tried: Map<string, number> } {
  const facts = sel.facts;
  const t = facts.state.flows;
  const g = sel.groups();
  const advice = serviceAdvice();
  const open = new Map<string, OpenService>();
  const tried = new Map<string, number>();
  for (let i = 0; i < g.size; i++) {
    const host = facts.addresses.text(g.host[i]!);
    const key = g.portKey[i]!;
    const id = `${host}|${key}`;
    tried.set(id, g.state[i]!);
    if (g.state[i] !== ATTEMPT.OPEN) continue;
    let firstOpen = Infinity;
    const clientFlows = advice[key] ? new Map<string, { flows: number; first: number }>() : null;
    for (let m = g.start[i]!; m < g.start[i + 1]!; m++) {
      const r = g.members[m]!;
      if (facts.attempt[r] === ATTEMPT.OPEN && t.firstTs(r) < firstOpen) firstOpen = t.firstTs(r);
      if (clientFlows) {
        const c = facts.addresses.text(facts.clientAddr(r));
        const e = clientFlows.get(c);
        if (e) { e.flows++; e.first = Math.min(e.first, t.firstTs(r)); }
        else clientFlows.set(c, { flows: 1, first: t.firstTs(r) });
      }
    }
    open.set(id, { host, key, flows: g.flows[i]!, clients: g.clients[i]!, firstOpen, lastSeen: g.lastSeen[i]!, clientFlows });
  }
  return { open, tried };
}

const time = (x: number): number | null => (Number.isFinite(x) ? x : null);
const serviceFilter = (host: string, key: number) => `server host ${host} and ${protoOfKey(key)} and server port ${key & 0xffff}`;

export function diffAnalyses(viewA: AnalysisView, viewB: AnalysisView, options: DiffOptions = DEFAULT_DIFF_OPTIONS): AnalysisDiff {
  const a = viewA.select(options.filter), b = viewB.select(options.filter);
  const labels = serviceLabels();
  const advice = serviceAdvice();
  const sa = servicesOf(a), sb = servicesOf(b);

  const change = (s: OpenService, side: Side, other: Map<string, number>): ServiceChange => {
    const was = other.get(`${s.host}|${s.key}`);
    return {
      host: s.host, proto: protoOfKey(s.key), port: s.key & 0xffff, service: labels[s.key]?.name ?? null,
      firstSeen: time(s.firstOpen), lastSeen: time(s.lastSeen), flows: s.flows, clients: s.clients,
      other: was === undefined ? null : ATTEMPT_STATES[was]!, side, filter: serviceFilter(s.host, s.key),
    };
  };
  const byTime = (x: ServiceChange, y: ServiceChange) => (x.firstSeen ?? Infinity) - (y.firstSeen ?? Infinity) || x.host.localeCompare(y.host) || x.port - y.port;
  const added = [...sb.open.values()].filter((s) => !sa.open.has(`${s.host}|${s.key}`)).map((s) => change(s, 'b', sa.tried)).sort(byTime);
  const vanished = [...sa.open.values()].filter((s) => !sb.open.has(`${s.host}|${s.key}`)).map((s) => change(s, 'a', sb.tried)).sort(byTime);

  const riskyClients: RiskyClient[] = [];
  for (const s of sb.open.values()) {
    if (!s.clientFlows) continue;
    const before = sa.open.get(`${s.host}|${s.key}`)?.clientFlows;
    for (const [client, e] of s.clientFlows) {
      if (before?.has(client)) continue;
      riskyClients.push({
        host: s.host, proto: protoOfKey(s.key), port: s.key & 0xffff, service: labels[s.key]?.name ?? null, risk: advice[s.key]!.name,
        client, flows: e.flows, firstSeen: time(e.first), side: 'b', filter: `${serviceFilter(s.host, s.key)} and client host ${client}`,
      });
    }
  }
  riskyClients.sort((x, y) => (x.firstSeen ?? Infinity) - (y.firstSeen ?? Infinity) || x.host.localeCompare(y.host) || x.port - y.port || x.client.localeCompare(y.client));

  const scanners = (sel: Selection, side: Side) => sel.findings().filter((f) => f.kind === 'port-scan').map((f): ScannerChange => ({
    scanner: String(f.details.scanner), title: f.title, flows: f.flows, side, filter: f.filter,
  }));
  const scA = scanners(a, 'a'), scB = scanners(b, 'b');
  const newScanners = scB.filter((x) => !scA.some((y) => y.scanner === x.scanner));
  const goneScanners = scA.filter((x) => !scB.some((y) => y.scanner === x.scanner));

  const classSplit = classShifts(a, b, options);
  const talkers = talkerChanges(a, b, options);
  const empty = added.length === 0 && vanished.length === 0 && riskyClients.length === 0 && newScanners.length === 0
    && goneScanners.length === 0 && !classSplit.some((c) => c.moved) && talkers.length === 0;
  const side = (v: AnalysisView, sel: Selection) => ({
    name: v.state.source.name, flows: sel.rows.length, start: time(v.state.stats.firstTs), end: time(v.state.stats.lastTs),
  });
  return {
    a: side(viewA, a), b: side(viewB, b), filter: options.filter, empty,
    exposed: { new: added.slice(0, options.top), vanished: vanished.slice(0, options.top), newCount: added.length, vanishedCount: vanished.length },
    riskyClients: { new: riskyClients.slice(0, options.top), count: riskyClients.length },
    scanners: { new: newScanners.slice(0, options.top), gone: goneScanners.slice(0, options.top) },
    classSplit, talkers: { top: options.top, changes: talkers.slice(0, options.top) },
  };
}

const RANGES = ['0-1023', '1024-49151', '49152-65535'];

function classShifts(a: Selection, b: Selection, options: DiffOptions): ClassShift[] {
  const ca = a.classes().byServerPort, cb = b.classes().byServerPort;
  const total = (c: typeof ca) => PORT_CLASS_NAMES.reduce((s, n) => ({ flows: s.flows + c[n].flows, bytes: s.bytes + c[n].bytes }), { flows: 0, bytes: 0 });
  const ta = total(ca), tb = total(cb);
  const share = (x: number, of: number) => (of === 0 ? 0 : (100 * x) / of);
  const serverBytes = (sel: Selection) => {
    const p = sel.ports();
    const m = new Map<number, number>();
    for (let i = 0; i < p.keys.length; i++) if (p.serverBytes[i]! > 0) m.set(p.keys[i]!, p.serverBytes[i]!);
    return m;
  };
  const pa = serverBytes(a), pb = serverBytes(b);
  const labels = serviceLabels();
  return PORT_CLASS_NAMES.map((cls, ci): ClassShift => {
    const x = ca[cls], y = cb[cls];
    const A = { flows: x.flows, bytes: x.bytes, flowShare: share(x.flows, ta.flows), byteShare: share(x.bytes, ta.bytes) };
    const B = { flows: y.flows, bytes: y.bytes, flowShare: share(y.flows, tb.flows), byteShare: share(y.bytes, tb.bytes) };
    const flowShift = B.flowShare - A.flowShare, byteShift = B.byteShare - A.byteShare;
    const moved = Math.abs(flowShift) >= options.classShiftPoints || Math.abs(byteShift) >= options.classShiftPoints;
    const keys = new Set([...pa.keys(), ...pb.keys()].filter((k) => portClass(k & 0xffff) === ci));
    const ports = moved ? [...keys].map((k) => {
      const ab = pa.get(k) ?? 0, bb = pb.get(k) ?? 0;
      return { proto: protoOfKey(k), port: k & 0xffff, service: labels[k]?.name ?? null, aBytes: ab, bBytes: bb, shift: share(bb, tb.bytes) - share(ab, ta.bytes), filter: `${protoOfKey(k)} and server port ${k & 0xffff}` };
    }).filter((p) => Math.abs(p.shift) > 0).sort((p, q) => Math.abs(q.shift) - Math.abs(p.shift) || p.port - q.port).slice(0, 5) : [];
    return { class: cls, a: A, b: B, flowShift, byteShift, moved, ports, filter: `server portrange ${RANGES[ci]}` };
  });
}

function talkerChanges(a: Selection, b: Selection, options: DiffOptions): TalkerChange[] {
  const n = options.top;
  /** The top n hosts by bytes, and a way to ask any host's bytes and rank (ids of another view found by address). */
  const side = (sel: Selection) => {
    const h = sel.hosts();
    const rank = new Map<number, number>();
    for (let i = 0; i < h.order.length; i++) rank.set(h.order[i]!, i + 1);
    const top = Array.from(h.order.subarray(0, n), (id) => sel.facts.addresses.text(id));
    const of = (host: string) => {
      const id = addressId(sel, host);
      return id < 0 || !rank.has(id) ? { bytes: 0, rank: null } : { bytes: h.bytesSent[id]! + h.bytesReceived[id]!, rank: rank.get(id)! };
    };
    return { top, of };
  };
  const ha = side(a), hb = side(b);
  const out: TalkerChange[] = [];
  const inTop = (r: number | null) => r !== null && r <= n;
  for (const host of hb.top) {
    const x = ha.of(host), y = hb.of(host);
    if (!inTop(x.rank)) out.push({ host, change: 'entered', aBytes: x.bytes, bBytes: y.bytes, aRank: x.rank, bRank: y.rank, side: 'b', filter: `host ${host}` });
    else if (y.bytes >= x.bytes * options.talkerFactor || y.bytes * options.talkerFactor <= x.bytes) {
      out.push({ host, change: y.bytes > x.bytes ? 'grew' : 'shrank', aBytes: x.bytes, bBytes: y.bytes, aRank: x.rank, bRank: y.rank, side: 'b', filter: `host ${host}` });
    }
  }
  for (const host of ha.top) {
    const x = ha.of(host), y = hb.of(host);
    if (!inTop(y.rank)) out.push({ host, change: 'left', aBytes: x.bytes, bBytes: y.bytes, aRank: x.rank, bRank: y.rank, side: 'a', filter: `host ${host}` });
  }
  return out.sort((p, q) => Math.abs(q.bBytes - q.aBytes) - Math.abs(p.bBytes - p.aBytes) || p.host.localeCompare(q.host));
}

/** The interned id of an address text in a selection's view, or -1. */
function addressId(sel: Selection, host: string): number {
  const c = parseCidr(host);
  if (!c) return -1;
  const key = new Uint32Array([c.version, ...c.words]);
  return sel.facts.addresses.index.find(key, hashKey(key, 5));
}
