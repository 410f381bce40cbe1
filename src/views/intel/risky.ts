import { APP } from '../../net/payload-signatures';
import { PORT_KEYS, portKey } from '../../net/port-key';
import type { Finding } from '../../schema/report';
import { ATTEMPT, type FlowFacts } from '../flow-facts';

/** Services that carry credentials or data in clear text, or should rarely be exposed. */
export const RISKY_SERVICES: ReadonlyArray<{ proto: 'tcp' | 'udp'; ports: number[]; name: string; why: string; severity: Finding['severity'] }> = [
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

/** Index into RISKY_SERVICES + 1 per port key (0: not risky). */
const RULE_BY_KEY = (() => {
  const a = new Uint8Array(PORT_KEYS);
  RISKY_SERVICES.forEach((r, i) => { for (const p of r.ports) a[portKey(r.proto === 'tcp' ? 6 : 17, p)] = i + 1; });
  return a;
})();
const SMTP_KEY = portKey(6, 25);

/** Accepted flows to risky services (TLS on them is not clear text), one finding per service. */
export function riskyServices(facts: FlowFacts, rows: Uint32Array): Finding[] {
  const hits: number[][] = RISKY_SERVICES.map(() => []);
  let smtpTls = false;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const k = facts.serverKey(r);
    const rule = RULE_BY_KEY[k]!;
    if (rule === 0) continue;
    if (facts.app[r] === APP.TLS) {
      if (k === SMTP_KEY) smtpTls = true;
      continue;
    }
    if (facts.attempt[r] === ATTEMPT.OPEN) hits[rule - 1]!.push(r);
  }
  const book = facts.addresses;
  const out: Finding[] = [];
  RISKY_SERVICES.forEach((r, i) => {
    const hit = hits[i]!;
    if (hit.length === 0 || (r.name === 'SMTP' && smtpTls)) return;
    const servers = [...new Set(hit.map((x) => facts.serverAddr(x)))].map((id) => book.text(id));
    const ports = [...new Set(hit.map((x) => facts.serverPort(x)))].sort((a, b) => a - b);
    const clients = [...new Set(hit.map((x) => facts.clientAddr(x)))].slice(0, 100).map((id) => book.text(id));
    out.push({
      kind: 'risky-service', severity: r.severity,
      title: `${r.name} on ${servers.length} host${servers.length > 1 ? 's' : ''} (${r.proto} ${ports.join(', ')})`,
      why: r.why, hosts: servers.slice(0, 50), flows: hit.length,
      filter: `${r.proto} and (${ports.map((p) => `server port ${p}`).join(' or ')}) and open and not payload tls`,
      details: { servers: servers.slice(0, 100), ports, clients },
    });
  });
  return out;
}
