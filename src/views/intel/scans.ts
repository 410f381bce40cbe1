import { protoOfKey } from '../../net/port-key';
import { tcpFlagLetters } from '../../net/tcp-flags';
import type { Finding, ScanThresholds } from '../../schema/report';
import { hashKey, RowIndex } from '../../tap/row-index';
import { ATTEMPT, type FlowFacts } from '../flow-facts';
import { identity, sortPermutation } from '../sort';

const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const;

/**
 * Sources that try many ports on one host (vertical) or one port on many hosts (horizontal),
 * mostly refused or unanswered, within a time window. Each flow of the selection is one
 * attempt by its client; per client the attempts are sorted by time once and a sliding window
 * finds the busiest span: O(n log n) overall, linear in the window for the distinct counts.
 */
export function detectScans(facts: FlowFacts, rows: Uint32Array, t: ScanThresholds): Finding[] {
  const flows = facts.state.flows;
  const findings: Finding[] = [];
  const minAttempts = Math.min(t.minPorts, t.minHosts);
  for (const attempts of attemptsByClient(facts, rows)) {
    if (attempts.length < minAttempts) continue;
    let bestLo = 0, bestHi = -1, lo = 0;
    for (let hi = 0; hi < attempts.length; hi++) {
      while (flows.firstTs(attempts[hi]!) - flows.firstTs(attempts[lo]!) > t.windowSec) lo++;
      if (hi - lo > bestHi - bestLo) {
        bestLo = lo;
        bestHi = hi;
      }
    }
    const best = Array.from(attempts.subarray(bestLo, bestHi + 1));
    const finding = judgeWindow(facts, best, t);
    if (finding) findings.push(finding);
  }
  return findings;
}

/**
 * Selected rows per client address, each client's rows by start time (ties in natural order),
 * clients in order of first appearance: two stable radix sorts, no comparator and no maps.
 */
function attemptsByClient(facts: FlowFacts, rows: Uint32Array): Uint32Array[] {
  const n = rows.length;
  const flows = facts.state.flows;
  const positions = identity(n);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = flows.firstTs(rows[i]!);
  const byTime = sortPermutation(positions, keys, false);
  for (let i = 0; i < n; i++) keys[i] = facts.clientAddr(rows[byTime[i]!]!);
  const byClient = sortPermutation(byTime, keys, false);
  // Runs of one client; each remembers its client's first position in the selection.
  const runs: Array<{ from: number; to: number; first: number }> = [];
  for (let i = 0; i < n;) {
    const c = facts.clientAddr(rows[byClient[i]!]!);
    let j = i;
    let first = byClient[i]!;
    while (j < n && facts.clientAddr(rows[byClient[j]!]!) === c) {
      if (byClient[j]! < first) first = byClient[j]!;
      j++;
    }
    runs.push({ from: i, to: j, first });
    i = j;
  }
  runs.sort((x, y) => x.first - y.first);
  return runs.map((run) => {
    const out = new Uint32Array(run.to - run.from);
    for (let i = run.from; i < run.to; i++) out[i - run.from] = rows[byClient[i]!]!;
    return out;
  });
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
  const states = portStates(style, facts, best);
  const start = flows.firstTs(best[0]!), end = flows.firstTs(best[best.length - 1]!);
  return {
    kind: 'port-scan', severity: 'high',
    title: `${style} from ${scanner}: ${hostsPerPort.size} ports on ${targets.length} host${targets.length > 1 ? 's' : ''} (${vertical && horizontal ? 'vertical and horizontal' : vertical ? 'vertical' : 'horizontal'})`,
    why: `${scanner} probed ${best.length} host:port pairs in ${(end - start).toFixed(1)} s and ${Math.round((100 * failed) / best.length)}% were refused or unanswered, the pattern of a port scan. ${states.meaning}`,
    hosts: [scanner, ...targets.slice(0, 50)], flows: best.length,
    // Exactly the attempts counted: the scanner as client, started within the window.
    filter: `client host ${scanner} and started ${start}-${end}`,
    details: {
      scanner, style, targets: targets.slice(0, 100), ports: hostsPerPort.size, hosts: targets.length, attempts: best.length,
      start, end, refusedOrUnanswered: failed, openPorts: open.slice(0, 200),
      /** Probes per port state in nmap's words for this scan style, e.g. "3 open", "197 closed". */
      portStates: states.counts,
    },
  };
}

/**
 * What the answers mean for this style of scan, in nmap's words: a silent port in a FIN, NULL
 * or Xmas scan may be open (open|filtered); a RST to an ACK probe says "unfiltered", not closed.
 */
function portStates(style: string, facts: FlowFacts, attempts: number[]): { counts: string[]; meaning: string } {
  let open = 0, refused = 0, silent = 0;
  for (const r of attempts) {
    const a = facts.attempt[r];
    if (a === ATTEMPT.OPEN) open++;
    else if (a === ATTEMPT.REFUSED) refused++;
    else silent++;
  }
  const n = (k: number, word: string) => (k ? [`${k} ${word}`] : []);
  if (style === 'FIN scan' || style === 'NULL scan' || style === 'Xmas scan') {
    return {
      counts: [...n(refused, 'closed'), ...n(silent, 'open|filtered'), ...n(open, 'answered')],
      meaning: 'In this scan a closed port answers with RST; a silent one is open or filtered (open|filtered): the scan cannot tell which.',
    };
  }
  if (style === 'ACK scan') {
    return {
      counts: [...n(refused, 'unfiltered'), ...n(silent, 'filtered'), ...n(open, 'answered')],
      meaning: 'An ACK scan maps firewall rules, not services: a RST means the port is reachable (unfiltered), silence that a firewall drops it (filtered).',
    };
  }
  if (style === 'UDP scan') {
    return {
      counts: [...n(open, 'open'), ...n(refused, 'closed'), ...n(silent, 'open|filtered')],
      meaning: 'A UDP port that answers is open, an ICMP port unreachable means closed, silence is open or filtered (open|filtered).',
    };
  }
  return {
    counts: [...n(open, 'open'), ...n(refused, 'closed'), ...n(silent, 'filtered')],
    meaning: 'A port that accepted the connection is open, a RST means closed, silence that a firewall dropped the probe (filtered).',
  };
}

/** Tell scan styles apart from the TCP flags the scanner sent (one pass over the attempts). */
function scanStyle(facts: FlowFacts, attempts: number[]): string {
  const flows = facts.state.flows;
  const { FIN: F, SYN: S, RST: R, PSH: P, ACK: A, URG: U } = TCP;
  let tcp = 0, nul = 0, xmas = 0, fin = 0, ack = 0, syn = 0, open = 0, openAck = 0;
  /** Attempts per distinct flag byte, for the fallback description. */
  const seen = new Set<number>();
  for (const r of attempts) {
    if (facts.l4[r] !== 6) continue;
    tcp++;
    const f = facts.serverIsA[r] ? flows.tcpFlagsBA(r) : flows.tcpFlagsAB(r);
    seen.add(f);
    if (f === 0) nul++;
    if ((f & (F | P | U)) === (F | P | U) && !(f & S)) xmas++;
    if ((f & ~R) === F) fin++;
    if ((f & ~R) === A) ack++;
    if (f & S) syn++;
    if (facts.attempt[r] === ATTEMPT.OPEN) {
      open++;
      if (f & A) openAck++;
    }
  }
  if (tcp === 0) return 'UDP scan';
  const most = (n: number) => n >= tcp * 0.8;
  if (most(nul)) return 'NULL scan';
  if (most(xmas)) return 'Xmas scan';
  if (most(fin)) return 'FIN scan';
  if (most(ack)) return 'ACK scan';
  if (most(syn)) {
    // Open ports tell SYN and connect scans apart: a connect scan completes the handshake (ACK).
    if (open === 0) return 'SYN or connect scan';
    return openAck > 0 ? 'TCP connect scan' : 'SYN scan';
  }
  return `TCP scan (flags ${[...seen].map((f) => tcpFlagLetters(f)).join(', ')})`;
}
