// Port intelligence: payload recognizers, exposed services, scans on real nmap captures, risky services.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP, recognize, tlsServerName } from '../src/net/payload-signatures';
import { analyzeFile } from './helpers/analyze';
import { CAPTURES, listFixtures, SCANS } from './helpers/fixtures';


const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A TLS 1.2/1.3 ClientHello carrying server_name `host` (RFC 8446 §4.1.2, RFC 6066 §3). */
function clientHello(host: string): Uint8Array {
  const name = bytes(host);
  const sni = [0, 0, 0, name.length + 5, 0, name.length + 3, 0, 0, name.length, ...name];
  const body = [3, 3, ...new Array(32).fill(7), 0, 0, 2, 0x13, 0x01, 1, 0, 0, sni.length, ...sni];
  const hs = [1, 0, body.length >> 8, body.length & 0xff, ...body];
  return Uint8Array.from([0x16, 3, 1, hs.length >> 8, hs.length & 0xff, ...hs]);
}

describe('payload recognizers', () => {
  it('TLS ClientHello with its server name', () => {
    const hello = clientHello('billing.example.com');
    expect(recognize(hello, 0, hello.length, false)).toEqual({ app: APP.TLS, name: 'billing.example.com' });
    expect(tlsServerName(hello, 0, 20)).toBeNull(); // cut short: no name, no crash
  });

  it('HTTP request with Host, and a response', () => {
    const req = bytes('GET /index.html HTTP/1.1\r\nUser-Agent: x\r\nHost: www.example.org\r\n\r\n');
    expect(recognize(req, 0, req.length, false)).toEqual({ app: APP.HTTP, name: 'www.example.org' });
    const res = bytes('HTTP/1.1 200 OK\r\n');
    expect(recognize(res, 0, res.length, false).app).toBe(APP.HTTP);
  });

  it('SSH, SMTP, FTP, POP3, IMAP banners; DNS and QUIC over UDP; nothing from noise', () => {
    const app = (s: string | Uint8Array, udp = false) => { const b = typeof s === 'string' ? bytes(s) : s; return recognize(b, 0, b.length, udp).app; };
    expect(app('SSH-2.0-OpenSSH_9.2p1 Debian\r\n')).toBe(APP.SSH);
    expect(app('220 mail.example.com ESMTP Postfix\r\n')).toBe(APP.SMTP);
    expect(app('220 (vsFTPd 3.0.3) FTP ready\r\n')).toBe(APP.FTP);
    expect(app('+OK POP3 server ready\r\n')).toBe(APP.POP3);
    expect(app('* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n')).toBe(APP.IMAP);
    const dns = Uint8Array.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 7, ...bytes('example'), 3, ...bytes('com'), 0, 0, 1, 0, 1]);
    expect(app(dns, true)).toBe(APP.DNS);
    expect(app(Uint8Array.from([0xc3, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8]), true)).toBe(APP.QUIC);
    expect(app(Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff))).toBe(APP.NONE);
    expect(app('')).toBe(APP.NONE);
  });
});

describe('loopback captures', () => {
  it('payload confirms the services of the loopback servers (HTTP, SMTP, DNS)', async () => {
    const { report } = await analyzeFile(join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'));
    // The loopback servers' own flows; the injected tunnel frames carry a bare SYN, no payload.
    const http = report.flows.filter((f) => !f.tunnel && (f.serverPort === 8080 || f.serverPort === 80));
    expect(http.length).toBeGreaterThan(0);
    expect(http.every((f) => f.app === 'http' && f.appVerdict === 'confirmed')).toBe(true);
    expect(http.some((f) => f.appName === '127.0.0.1:8080')).toBe(true);
    const smtp = report.flows.filter((f) => !f.tunnel && f.serverPort === 25);
    const dns = report.flows.filter((f) => !f.tunnel && f.proto === 'udp' && f.serverPort === 53 && f.packets > 1);
    expect(smtp.length).toBeGreaterThan(0);
    expect(dns.length).toBeGreaterThan(0);
    expect(smtp.every((f) => f.app === 'smtp')).toBe(true);
    expect(dns.every((f) => f.app === 'dns')).toBe(true);
    expect(report.flows.some((f) => f.appVerdict === 'different')).toBe(false);
  });

  it('exposed services: what accepted, what refused (TCP port 1), with clients', async () => {
    const { report } = await analyzeFile(join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'));
    const e = (port: number, proto = 'tcp') => report.intel.exposed.filter((x) => x.port === port && x.proto === proto);
    expect(e(8080).map((x) => x.state)).toEqual(['open']);
    expect(e(8080)[0]!.clients).toBe(1);
    expect(e(1).length).toBeGreaterThan(0);
    expect(e(1).every((x) => x.state === 'refused')).toBe(true);
    expect(e(53, 'udp').some((x) => x.state === 'open')).toBe(true);
  });

  it('ordinary traffic produces no port-scan finding', async () => {
    for (const f of listFixtures().filter((x) => x.set === 'local')) {
      const { report } = await analyzeFile(f.path);
      expect(report.intel.findings.filter((x) => x.kind === 'port-scan'), f.name).toEqual([]);
    }
  });

  it('risky services name why and which hosts', async () => {
    const { report } = await analyzeFile(join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'));
    const kinds = report.intel.findings.filter((x) => x.kind === 'risky-service').map((x) => x.title);
    expect(kinds.some((t) => t.startsWith('plain HTTP'))).toBe(true);
    expect(kinds.some((t) => t.startsWith('cache'))).toBe(true);
    for (const f of report.intel.findings) {
      expect(f.why).toMatch(/\.$/);
      expect(f.hosts.length).toBeGreaterThan(0);
    }
  });
});

describe('nmap scans of 127.0.0.1 (captured with dumpcap on lo)', () => {
  const expected: Record<string, string> = {
    'nmap-sS.pcapng': 'SYN scan', 'nmap-sT.pcapng': 'TCP connect scan', 'nmap-sF.pcapng': 'FIN scan', 'nmap-sN.pcapng': 'NULL scan',
    'nmap-sX.pcapng': 'Xmas scan', 'nmap-sA.pcapng': 'ACK scan', 'nmap-sU.pcapng': 'UDP scan',
  };
  it('has a capture of every scan mode', () => {
    expect(readdirSync(SCANS).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s is found as a %s, with the open ports', async (file, style) => {
    const { report } = await analyzeFile(join(SCANS, file));
    const scans = report.intel.findings.filter((f) => f.kind === 'port-scan');
    expect(scans).toHaveLength(1);
    const s = scans[0]!;
    expect(s.details.style).toBe(style);
    expect(s.details.scanner).toBe('127.0.0.1');
    expect(s.details.hosts).toBe(1);
    expect(s.details.ports as number).toBeGreaterThanOrEqual(file === 'nmap-sU.pcapng' ? 41 : 200);
    if (file === 'nmap-sS.pcapng' || file === 'nmap-sT.pcapng') expect(s.details.openPorts).toEqual(['127.0.0.1 tcp/143', '127.0.0.1 tcp/80']);
    // Closed UDP ports answer with ICMP port unreachable: refused, not unanswered.
    if (file === 'nmap-sU.pcapng') {
      expect(report.intel.exposed.length).toBeGreaterThan(0);
      expect(report.intel.exposed.every((e) => e.state === 'refused')).toBe(true);
    }
  });

  it('thresholds are adjustable: a higher port minimum hides the scan', async () => {
    const { AnalysisView } = await import('../src/views/analysis-view');
    const { DEFAULT_SCAN_THRESHOLDS } = await import('../src/schema/report');
    const { state } = await analyzeFile(join(SCANS, 'nmap-sS.pcapng'));
    const scans = (minPorts: number) => new AnalysisView(state, { ...DEFAULT_SCAN_THRESHOLDS, minPorts, minHosts: minPorts })
      .select(null).findings().filter((f) => f.kind === 'port-scan');
    expect(scans(15)).toHaveLength(1);
    expect(scans(500)).toEqual([]);
  });
});

describe('finding links', () => {
  it('every finding\'s filter selects exactly the flows it counts (scans, risky services, unexpected protocols)', async () => {
    const { AnalysisView } = await import('../src/views/analysis-view');
    const files = [...['nmap-sS.pcapng', 'nmap-sT.pcapng', 'nmap-sU.pcapng', 'nmap-sX.pcapng'].map((f) => join(SCANS, f)),
      join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng')];
    let checked = 0;
    for (const path of files) {
      const { state } = await analyzeFile(path);
      const view = new AnalysisView(state);
      for (const f of view.select(null).findings()) {
        expect(view.select(f.filter).rows.length, `${path}: ${f.title} via ${f.filter}`).toBe(f.flows);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(6);
  });
});
