// The porthole command line, run as a user runs it (the bundled dist/cli.js).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES } from './helpers/fixtures';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const local = (n: string) => join(CAPTURES, 'local', n);

function run(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
}

describe('porthole CLI', () => {
  it('packets prints one JSON object per packet with the documented fields', () => {
    const r = run(['packets', local('a-lo-dumpcap.pcapng')]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(162);
    expect(Object.keys(lines[0])).toEqual(['n', 'ts', 'len', 'caplen', 'link', 'ip', 'src', 'dst', 'proto', 'sport', 'dport', 'frag', 'tcpFlags']);
    expect(lines[0]).toMatchObject({ n: 1, ip: 4, proto: 'tcp', sport: 57590, dport: 8080, tcpFlags: 2 });
  });

  it('reads standard input, gzip-compressed or not', () => {
    const plain = run(['packets', local('a-lo-dumpcap.pcapng')]).out;
    expect(run(['packets', '-'], readFileSync(local('a-lo-dumpcap.pcapng'))).out).toBe(plain);
    expect(run(['packets', '-'], readFileSync(local('a-lo-dumpcap.pcapng.gz'))).out).toBe(plain);
    expect(run(['packets', local('a-lo-dumpcap.pcapng.gz')]).out).toBe(plain);
  });

  it('sniffs the format, not the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-'));
    const renamed = join(dir, 'really-pcap.pcapng');
    writeFileSync(renamed, readFileSync(local('a-lo-tcpdump-usec.pcap')));
    const r = run(['info', '--json', renamed]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).capture.format).toBe('pcap');
  });

  it('info tells format, sections, interfaces, counts and times', () => {
    const r = run(['info', local('a-hand-multisection.pcapng')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Format:\s+pcapng/);
    expect(r.out).toMatch(/Sections:\s+3/);
    expect(r.out).toMatch(/Interface 2:\s+link type 229 \(Raw IPv6\)/);
    expect(r.out).toMatch(/Packets:\s+316/);
    expect(r.out).toMatch(/Read:\s+to the end/);
  });

  it('a damaged file prints what it read, then exits 2 saying where and why', () => {
    const r = run(['packets', local('a-lo-tcpdump-usec-cut-short.pcap')]);
    expect(r.code).toBe(2);
    expect(r.out.trim().split('\n')).toHaveLength(161);
    expect(r.err).toMatch(/damaged at byte \d+ \(record 162\): the file ends in the middle of a packet record/);
  });

  it('exit 1 with a message for a non-capture, an empty file, a missing file and bad usage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-'));
    writeFileSync(join(dir, 'notes.txt'), 'not a capture at all');
    writeFileSync(join(dir, 'empty.pcap'), '');
    const notCapture = run(['packets', join(dir, 'notes.txt')]);
    expect(notCapture.code).toBe(1);
    expect(notCapture.err).toMatch(/notes.txt: not a capture file/);
    expect(run(['analyze', join(dir, 'empty.pcap')]).err).toMatch(/empty/);
    expect(run(['info', join(dir, 'missing.pcap')])).toMatchObject({ code: 1 });
    expect(run(['frobnicate'])).toMatchObject({ code: 1 });
    expect(run(['packets'])).toMatchObject({ code: 1 });
  });

  it('analyze prints tables, --json the report, --csv raw numbers', () => {
    const text = run(['analyze', local('a-lo-dumpcap.pcapng')]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Traffic by port class');
    expect(text.out).toContain('Top ports by bytes');
    expect(text.out).toMatch(/tcp\s+\[::1\]:60418\s+\[::1\]:80/);
    const json = JSON.parse(run(['analyze', local('a-lo-dumpcap.pcapng'), '--json']).out);
    expect(json.schemaVersion).toBe(1);
    for (const k of ['proto', 'a', 'aPort', 'b', 'bPort', 'packetsAB', 'bytesAB', 'packetsBA', 'bytesBA', 'start', 'end', 'serverPort', 'service', 'class', 'role']) {
      expect(json.flows[0]).toHaveProperty(k);
    }
    for (const k of ['proto', 'port', 'service', 'class', 'packets', 'bytes', 'flows']) expect(json.ports[0]).toHaveProperty(k);
    const csv = run(['analyze', local('a-lo-dumpcap.pcapng'), '--csv', 'flows']).out.split('\r\n');
    expect(csv[0]).toMatch(/^proto,a,aPort,b,bPort,packetsAB,bytesAB/);
    expect(csv.filter((l) => l !== '')).toHaveLength(json.flows.length + 1);
    expect(run(['analyze', local('a-lo-dumpcap.pcapng'), '--csv', 'ports']).out).toMatch(/^proto,port,service/);
  });

  it('--filter keeps matching flows and reports bad expressions by column', () => {
    const json = JSON.parse(run(['analyze', local('a-lo-dumpcap.pcapng'), '--json', '--filter', 'udp and port 53']).out);
    expect(json.flows.length).toBeGreaterThan(0);
    expect(json.flows.every((f: any) => f.proto === 'udp' && (f.aPort === 53 || f.bPort === 53))).toBe(true);
    expect(json.filter).toBe('udp and port 53');
    const bad = run(['analyze', local('a-lo-dumpcap.pcapng'), '--filter', 'port abc']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("column 6: expected a port number after 'port', found 'abc'");
  });
});

describe('streamed JSON', () => {
  it('the report streamed in pieces is exactly JSON.stringify of the whole report', async () => {
    const { AnalysisView } = await import('../src/views/analysis-view');
    const { reportJson, reportObject } = await import('../src/views/report-document');
    const { analyzeFile } = await import('./helpers/analyze');
    const { state } = await analyzeFile(local('a-lo-dumpcap.pcapng'));
    const sel = new AnalysisView(state).select(null);
    const parts = [...reportJson(sel, 4)];
    expect(sel.rows.length).toBeGreaterThan(8);
    expect(parts.join('')).toBe(JSON.stringify(reportObject(sel)));
    // Lists go out a batch at a time: the flows alone take several pieces.
    expect(parts.length).toBeGreaterThan(sel.rows.length / 4);
  });
});
