import { protoOfKey } from '../../net/port-key';
import { tcpFlagLetters } from '../../net/tcp-flags';
import type { Finding, ScanThresholds } from '../../schema/report';
import { hashKey, RowIndex } from '../../tap/row-index';
import { ATTEMPT, type FlowFacts } from '../flow-facts';

const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const;

/**
 * Sources that try many ports on one host (vertical) or one port on many hosts (horizontal),
 * mostly refused or unanswered, within a time window. Each flow of the selection is one
 * attempt by its client; per client the attempts are sorted by time once and a sliding window
 * finds the busiest span: O(n log n) overall, linear in the window for the distinct counts.
 */
export function detectScans(facts: FlowFacts, rows: Uint32Array, t: ScanThresholds): Finding[] {
  const flows = facts.state.flows;
  const byClient = groupByClient(facts, rows);
  const findings: Finding[] = [];
  const minAttempts = Math.min(t.minPorts, t.minHosts);
  for (const attempts of byClient) {
    if (attempts.length < minAttempts) continue;
    // Stable: equal start times keep the flows' natural order.
    attempts.sort((x, y) => flows.firstTs[x]! - flows.firstTs[y]!);
    let bestLo = 0, bestHi = -1, lo = 0;
    for (let hi = 0; hi < attempts.length; hi++) {
      while (flows.firstTs[attempts[hi]!]! - flows.firstTs[attempts[lo]!]! > t.windowSec) lo++;
      if (hi - lo > bestHi - bestLo) {
        bestLo = lo;
        bestHi = hi;
      }
    }
    const best = attempts.slice(bestLo, bestHi + 1);
    const finding = judgeWindow(facts, best, t);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** Selected rows per client address, clients in order of first appearance. */
function groupByClient(facts: FlowFacts, rows: Uint32Array): number[][] {
  const slot = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const c = facts.clientAddr(r);
    let list = slot.get(c);
    if (!list) slot.set(c, (list = []));
    list.push(r);
  }
  return [...slot.values()];
}

function judgeWindow(facts: FlowFacts, best: number[], t: ScanThresholds): Finding | null {
  const flows = facts.state.flows;
  const book = facts.addresses;
  const pair = new Uint32Array(2);
  const hostPort = new RowIndex(2, 64);
  const portsPerHost = new Map<number, number>();
  const hostsPerPort = new Map<number, number>();
  let failed = 0;
  const openKeys = new RowIndex(2, 16);
  const open: string[] = [];
  for (const r of best) {
    const host = facts.serverAddr(r), pk = facts.serverKey(r);
    pair[0] = host;
    pair[1] = pk;
    hostPort.findOrInsert(pair, hashKey(pair, 2));
    if (hostPort.isNew) {
      portsPerHost.set(host, (portsPerHost.get(host) ?? 0) + 1);
      hostsPerPort.set(pk, (hostsPerPort.get(pk) ?? 0) + 1);
    }
    if (facts.attempt[r] !== ATTEMPT.OPEN) failed++;
    else {
      openKeys.findOrInsert(pair, hashKey(pair, 2));
      if (openKeys.isNew) open.push(`${book.text(host)} ${protoOfKey(pk)}/${pk & 0xffff}`);
    }
  }
  let maxPorts = 0, maxHosts = 0;
  for (const n of portsPerHost.values()) maxPorts = Math.max(maxPorts, n);
  for (const n of hostsPerPort.values()) maxHosts = Math.max(maxHosts, n);
  const vertical = maxPorts >= t.minPorts;
  const horizontal = maxHosts >= t.minHosts;
  if (!vertical && !horizontal) return null;
  if (failed / best.length < t.minFailureRatio) return null;
  open.sort();
  const scanner = book.text(facts.clientAddr(best[0]!));
  const targets = [...portsPerHost.keys()].map((id) => book.text(id));
  const style = scanStyle(facts, best);
  const start = flows.firstTs[best[0]!]!, end = flows.firstTs[best[best.length - 1]!]!;
  return {
    kind: 'port-scan', severity: 'high',
    title: `${style} from ${scanner}: ${hostsPerPort.size} ports on ${targets.length} host${targets.length > 1 ? 's' : ''} (${vertical && horizontal ? 'vertical and horizontal' : vertical ? 'vertical' : 'horizontal'})`,
    why: `${scanner} probed ${best.length} host:port pairs in ${(end - start).toFixed(1)} s and ${Math.round((100 * failed) / best.length)}% were refused or unanswered, the pattern of a port scan.`,
    hosts: [scanner, ...targets.slice(0, 50)], flows: best.length,
    filter: `src host ${scanner} or dst host ${scanner}`,
    details: {
      scanner, style, targets: targets.slice(0, 100), ports: hostsPerPort.size, hosts: targets.length, attempts: best.length,
      start, end, refusedOrUnanswered: failed, openPorts: open.slice(0, 200),
    },
  };
}

/** Tell scan styles apart from the TCP flags the scanner sent. */
function scanStyle(facts: FlowFacts, attempts: number[]): string {
  const flows = facts.state.flows;
  if (attempts.every((r) => facts.l4[r] === 17)) return 'UDP scan';
  const tcp = attempts.filter((r) => facts.l4[r] === 6);
  const sent = (r: number) => (facts.serverIsA[r] ? flows.tcpFlagsBA[r]! : flows.tcpFlagsAB[r]!);
  const count = (pred: (f: number) => boolean) => tcp.filter((r) => pred(sent(r))).length;
  const most = (n: number) => n >= tcp.length * 0.8;
  const { FIN: F, SYN: S, RST: R, PSH: P, ACK: A, URG: U } = TCP;
  if (most(count((f) => f === 0))) return 'NULL scan';
  if (most(count((f) => (f & (F | P | U)) === (F | P | U) && !(f & S)))) return 'Xmas scan';
  if (most(count((f) => (f & ~R) === F))) return 'FIN scan';
  if (most(count((f) => (f & ~R) === A))) return 'ACK scan';
  if (most(count((f) => (f & S) !== 0))) {
    // Open ports tell SYN and connect scans apart: a connect scan completes the handshake (ACK).
    const open = tcp.filter((r) => facts.attempt[r] === ATTEMPT.OPEN);
    if (open.length === 0) return 'SYN or connect scan';
    return open.some((r) => (sent(r) & A) !== 0) ? 'TCP connect scan' : 'SYN scan';
  }
  return `TCP scan (flags ${[...new Set(tcp.map((r) => tcpFlagLetters(sent(r))))].join(', ')})`;
}
