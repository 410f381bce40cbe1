import { tcpFlagLetters } from '../tcp-flags';
import type { FlowRecord } from '../report-types';
import { attemptState } from './exposure';

export interface Finding {
  kind: 'port-scan' | 'risky-service' | 'unexpected-protocol';
  severity: 'high' | 'medium' | 'low';
  title: string;
  /** One sentence: why this matters. */
  why: string;
  hosts: string[];
  flows: number;
  /** A filter expression that shows the evidence in the flows table. */
  filter: string;
  details: Record<string, string | number | string[] | number[]>;
}

/** Scan detection thresholds (documented in the README; adjustable from the CLI and the page). */
export interface ScanThresholds {
  /** Attempts count together when they fall within this many seconds. */
  windowSec: number;
  /** Distinct ports on one host (vertical scan). */
  minPorts: number;
  /** Distinct hosts on one port (horizontal scan). */
  minHosts: number;
  /** Share of attempts refused or unanswered. */
  minFailureRatio: number;
}

export const DEFAULT_SCAN_THRESHOLDS: ScanThresholds = { windowSec: 60, minPorts: 15, minHosts: 15, minFailureRatio: 0.6 };

interface Attempt {
  host: string;
  port: number;
  proto: 'tcp' | 'udp';
  start: number;
  state: ReturnType<typeof attemptState>;
  clientFlags: number | null;
}

const endpointFilter = (addr: string) => (addr.includes(':') ? `host ${addr}` : `host ${addr}`);

/** Sources that try many ports on one host, or one port on many hosts, mostly failing, in a short window. */
export function detectScans(flows: FlowRecord[], t: ScanThresholds = DEFAULT_SCAN_THRESHOLDS): Finding[] {
  const bySource = new Map<string, Attempt[]>();
  for (const f of flows) {
    const client = f.server === 'a' ? f.b : f.a;
    const host = f.server === 'a' ? f.a : f.b;
    let list = bySource.get(client);
    if (!list) bySource.set(client, (list = []));
    list.push({ host, port: f.serverPort, proto: f.proto, start: f.start, state: attemptState(f), clientFlags: f.server === 'a' ? f.tcpFlagsBA : f.tcpFlagsAB });
  }
  const findings: Finding[] = [];
  for (const [scanner, attempts] of bySource) {
    if (attempts.length < Math.min(t.minPorts, t.minHosts)) continue;
    attempts.sort((a, b) => a.start - b.start);
    // Largest window of attempts (by time) and the distinct ports/hosts in it.
    let best: Attempt[] = [];
    let bestScore = 0;
    let lo = 0;
    for (let hi = 0; hi < attempts.length; hi++) {
      while (attempts[hi]!.start - attempts[lo]!.start > t.windowSec) lo++;
      if (hi - lo + 1 > bestScore) {
        bestScore = hi - lo + 1;
        best = attempts.slice(lo, hi + 1);
      }
    }
    const portsPerHost = new Map<string, Set<string>>();
    const hostsPerPort = new Map<string, Set<string>>();
    for (const a of best) {
      const pk = `${a.proto}/${a.port}`;
      if (!portsPerHost.has(a.host)) portsPerHost.set(a.host, new Set());
      portsPerHost.get(a.host)!.add(pk);
      if (!hostsPerPort.has(pk)) hostsPerPort.set(pk, new Set());
      hostsPerPort.get(pk)!.add(a.host);
    }
    const maxPorts = Math.max(0, ...[...portsPerHost.values()].map((s) => s.size));
    const maxHosts = Math.max(0, ...[...hostsPerPort.values()].map((s) => s.size));
    const vertical = maxPorts >= t.minPorts;
    const horizontal = maxHosts >= t.minHosts;
    if (!vertical && !horizontal) continue;
    const failed = best.filter((a) => a.state !== 'open').length;
    if (failed / best.length < t.minFailureRatio) continue;
    const targets = [...portsPerHost.keys()];
    const open = [...new Set(best.filter((a) => a.state === 'open').map((a) => `${a.host} ${a.proto}/${a.port}`))].sort();
    const distinctPorts = new Set(best.map((a) => `${a.proto}/${a.port}`)).size;
    const style = scanStyle(best);
    const span = best[best.length - 1]!.start - best[0]!.start;
    findings.push({
      kind: 'port-scan', severity: 'high',
      title: `${style} from ${scanner}: ${distinctPorts} ports on ${targets.length} host${targets.length > 1 ? 's' : ''} (${vertical && horizontal ? 'vertical and horizontal' : vertical ? 'vertical' : 'horizontal'})`,
      why: `${scanner} probed ${best.length} host:port pairs in ${span.toFixed(1)} s and ${Math.round((100 * failed) / best.length)}% were refused or unanswered, the pattern of a port scan.`,
      hosts: [scanner, ...targets.slice(0, 50)], flows: best.length,
      filter: `src host ${scanner} or dst host ${scanner}`,
      details: {
        scanner, style, targets: targets.slice(0, 100), ports: distinctPorts, hosts: targets.length, attempts: best.length,
        start: best[0]!.start, end: best[best.length - 1]!.start, refusedOrUnanswered: failed, openPorts: open.slice(0, 200),
      },
    });
  }
  return findings;
}

/** Tell scan styles apart from the TCP flags the scanner sent. */
function scanStyle(attempts: Attempt[]): string {
  if (attempts.every((a) => a.proto === 'udp')) return 'UDP scan';
  const tcp = attempts.filter((a) => a.proto === 'tcp' && a.clientFlags !== null);
  const count = (pred: (f: number) => boolean) => tcp.filter((a) => pred(a.clientFlags!)).length;
  const most = (n: number) => n >= tcp.length * 0.8;
  const S = 0x02, A = 0x10, F = 0x01, R = 0x04, P = 0x08, U = 0x20;
  if (most(count((f) => f === 0))) return 'NULL scan';
  if (most(count((f) => (f & (F | P | U)) === (F | P | U) && !(f & S)))) return 'Xmas scan';
  if (most(count((f) => (f & ~R) === F))) return 'FIN scan';
  if (most(count((f) => (f & ~R) === A))) return 'ACK scan';
  if (most(count((f) => (f & S) !== 0))) {
    // Open ports tell SYN and connect scans apart: a connect scan completes the handshake (ACK).
    const open = tcp.filter((a) => a.state === 'open');
    if (open.length === 0) return 'SYN or connect scan';
    return open.some((a) => (a.clientFlags! & A) !== 0) ? 'TCP connect scan' : 'SYN scan';
  }
  return `TCP scan (flags ${[...new Set(tcp.map((a) => tcpFlagLetters(a.clientFlags)))].join(', ')})`;
}

/** Services that carry credentials or data in clear text, or should rarely be exposed. */
const RISKY: Array<{ proto: 'tcp' | 'udp'; ports: number[]; name: string; why: string; severity: Finding['severity'] }> = [
  { proto: 'tcp', ports: [23], name: 'Telnet', why: 'Telnet sends passwords and whole sessions in clear text; use SSH.', severity: 'high' },
  { proto: 'tcp', ports: [21], name: 'FTP', why: 'FTP sends credentials and files in clear text; use SFTP or FTPS.', severity: 'high' },
  { proto: 'tcp', ports: [80, 8080, 8000, 8008], name: 'plain HTTP', why: 'Plain HTTP exposes cookies, tokens and content to anyone on the path; use HTTPS.', severity: 'medium' },
  { proto: 'tcp', ports: [110], name: 'POP3', why: 'POP3 without TLS sends mailbox passwords in clear text; use POP3S (995).', severity: 'high' },
  { proto: 'tcp', ports: [143], name: 'IMAP', why: 'IMAP without TLS sends mailbox passwords in clear text; use IMAPS (993).', severity: 'high' },
  { proto: 'tcp', ports: [25], name: 'SMTP', why: 'SMTP relays mail in clear text unless STARTTLS is used; no TLS handshake was seen in these flows.', severity: 'low' },
  { proto: 'udp', ports: [161, 162], name: 'SNMP', why: 'SNMP v1/v2c uses clear-text community strings that often grant device control.', severity: 'high' },
  { proto: 'tcp', ports: [3389], name: 'RDP', why: 'Remote Desktop exposed on the network is a frequent target of brute force and exploits.', severity: 'high' },
  { proto: 'tcp', ports: [445, 139], name: 'SMB', why: 'SMB file sharing should not be reachable beyond trusted networks (worm and ransomware vector).', severity: 'high' },
  { proto: 'tcp', ports: [3306, 5432, 1433, 1521, 27017, 9200, 5984], name: 'database', why: 'A database reachable over the network should sit behind an application, with TLS and authentication.', severity: 'medium' },
  { proto: 'tcp', ports: [6379, 11211], name: 'cache', why: 'Redis and memcached often run without authentication; exposed, they leak or accept data.', severity: 'high' },
  { proto: 'udp', ports: [11211], name: 'memcached (UDP)', why: 'Memcached over UDP is abused for traffic amplification.', severity: 'high' },
  { proto: 'tcp', ports: [5900, 5901], name: 'VNC', why: 'VNC is often weakly authenticated and unencrypted.', severity: 'high' },
  { proto: 'tcp', ports: [512, 513, 514], name: 'r-services', why: 'rexec/rlogin/rsh trust addresses and send credentials in clear text.', severity: 'high' },
  { proto: 'udp', ports: [69], name: 'TFTP', why: 'TFTP has no authentication at all.', severity: 'medium' },
];

const RISKY_BY_PORT = new Map(RISKY.flatMap((r, i) => r.ports.map((p) => [`${r.proto}/${p}`, i] as [string, number])));

/** Flows to risky services, grouped per service, with the hosts and flows they concern. */
export function riskyServices(flows: FlowRecord[]): Finding[] {
  // One pass: bucket the flows of risky server ports (TLS on them is not clear text).
  const byRule = new Map<number, FlowRecord[]>();
  for (const f of flows) {
    const rule = RISKY_BY_PORT.get(`${f.proto}/${f.serverPort}`);
    if (rule === undefined || f.app === 'tls' || attemptState(f) !== 'open') continue;
    let list = byRule.get(rule);
    if (!list) byRule.set(rule, (list = []));
    list.push(f);
  }
  const out: Finding[] = [];
  for (const [i, r] of RISKY.entries()) {
    const hit = byRule.get(i) ?? [];
    if (hit.length === 0) continue;
    if (r.name === 'SMTP' && flows.some((f) => f.proto === 'tcp' && f.serverPort === 25 && f.app === 'tls')) continue;
    const servers = [...new Set(hit.map((f) => `${f.server === 'a' ? f.a : f.b}`))];
    const ports = [...new Set(hit.map((f) => f.serverPort))].sort((a, b) => a - b);
    out.push({
      kind: 'risky-service', severity: r.severity,
      title: `${r.name} on ${servers.length} host${servers.length > 1 ? 's' : ''} (${r.proto} ${ports.join(', ')})`,
      why: r.why, hosts: servers.slice(0, 50), flows: hit.length,
      filter: `${r.proto} and (${ports.map((p) => `server port ${p}`).join(' or ')})`,
      details: { servers: servers.slice(0, 100), ports, clients: [...new Set(hit.map((f) => (f.server === 'a' ? f.b : f.a)))].slice(0, 100) },
    });
  }
  return out;
}

/** The payload says another protocol than the port's service (e.g. SSH on port 443). */
export function unexpectedProtocols(flows: FlowRecord[]): Finding[] {
  const groups = new Map<string, FlowRecord[]>();
  for (const f of flows) {
    if (f.appVerdict !== 'different') continue;
    const k = `${f.proto} ${f.serverPort} ${f.app}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(f);
  }
  return [...groups.values()].map((g) => {
    const f = g[0]!;
    const servers = [...new Set(g.map((x) => (x.server === 'a' ? x.a : x.b)))];
    return {
      kind: 'unexpected-protocol' as const, severity: 'medium' as const,
      title: `${f.app!.toUpperCase()} on ${f.proto} port ${f.serverPort} (expected ${f.service ?? 'its registered service'})`,
      why: `The first payload bytes are ${f.app!.toUpperCase()}, not what port ${f.serverPort} is registered for: a tunnel, a misconfiguration or a service hiding behind a trusted port.`,
      hosts: servers.slice(0, 50), flows: g.length,
      filter: `${f.proto} and server port ${f.serverPort}`,
      details: { servers: servers.slice(0, 100), names: [...new Set(g.map((x) => x.appName).filter((x): x is string => !!x))].slice(0, 20) },
    };
  });
}
