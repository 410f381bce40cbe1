// porthole policy check / suggest / convert and porthole diff, run as a user runs them (dist/cli.js).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeState } from '../src/tap/state-codec';
import { analyzeFile } from './helpers/analyze';
import { CAPTURES, SCANS } from './helpers/fixtures';
import { capture, office } from './policy-traffic';

const root = join(import.meta.dirname, '..');
const CLI = join(root, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'porthole-policy-cli-'));
const file = (name: string, content: string | Uint8Array) => { const p = join(dir, name); writeFileSync(p, content); return p; };
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
};

const NFT = `table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		tcp dport 80 accept
	}
}
`;

let officePcap: string;
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root });
  officePcap = file('office.pcap', capture(office()));
});

describe('porthole policy check', () => {
  it('prints totals, rules and what was blocked; --json the numbers with their filters; the format is sniffed', () => {
    const rules = file('ruleset.nft', NFT);
    const text = run('policy', 'check', rules, join(SCANS, 'nmap-sS.pcapng'));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Policy: nft, hook input/);
    expect(text.out).toMatch(/Allowed: 1 flow \(0\.5%\)/);
    expect(text.out).toMatch(/Blocked: 199 flows/);
    expect(text.out).toMatch(/line 5\s+allow\s+1\s+170\s+used\s+tcp dport 80 accept/);
    const json = JSON.parse(run('policy', 'check', rules, join(SCANS, 'nmap-sS.pcapng'), '--json', '--limit', '3').out);
    expect(json).toMatchObject({ format: 'nft', allowedFlows: 1, blockedFlows: 199, source: join(SCANS, 'nmap-sS.pcapng') });
    expect(json.blocked.flows).toHaveLength(3);
    expect(json.filters.blocked).toBe('not (tcp and server port 80)');
    // The filter shows the same flows through porthole analyze.
    const shown = JSON.parse(run('analyze', join(SCANS, 'nmap-sS.pcapng'), '--json', '--filter', json.filters.blocked).out);
    expect(shown.flows).toHaveLength(199);
  });

  it('reads states (PHST) and several inputs, merged', async () => {
    const { state } = await analyzeFile(join(SCANS, 'nmap-sS.pcapng'));
    const statePath = file('scan.phst', new Uint8Array(encodeState(state)));
    const rules = file('web.rules', 'allow tcp 80\ndefault deny\n');
    const fromCapture = JSON.parse(run('policy', 'check', rules, join(SCANS, 'nmap-sS.pcapng'), '--json').out);
    const fromState = JSON.parse(run('policy', 'check', rules, statePath, '--json').out);
    expect({ ...fromState, source: '' }).toEqual({ ...fromCapture, source: '' });
    const both = JSON.parse(run('policy', 'check', rules, join(SCANS, 'nmap-sS.pcapng'), officePcap, '--json').out);
    expect(both.flows).toBe(200 + 34);
    expect(both.source).toBe(`${join(SCANS, 'nmap-sS.pcapng')} + ${officePcap}`);
  });

  it('a rule outside the supported subset: exit 1, its line and column on stderr', () => {
    const rules = file('bad.iptables', '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -m recent --set -j ACCEPT\nCOMMIT\n');
    const r = run('policy', 'check', rules, officePcap);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${rules}: iptables rules: line 3, column 38: match module 'recent' is not supported`);
    expect(r.out).toBe('');
    const wrong = run('policy', 'check', file('x.rules', 'allow tcp 22\n'), officePcap, '--format', 'aws');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/aws rules: .*not valid JSON/);
  });

  it('usage errors and damaged captures exit like porthole analyze', () => {
    expect(run('policy').code).toBe(1);
    expect(run('policy', 'check').code).toBe(1);
    expect(run('policy', 'check', file('ok.rules', 'default deny'), '--filter', 'port abc', officePcap).err).toMatch(/--filter: column 6/);
    expect(run('policy', 'check', file('ok2.rules', 'default deny'), join(dir, 'missing.pcap')).code).toBe(1);
    const cut = run('policy', 'check', file('ok3.rules', 'default deny'), join(CAPTURES, 'local', 'a-lo-tcpdump-usec-cut-short.pcap'));
    expect(cut.code).toBe(2);
    expect(cut.err).toMatch(/damaged at byte/);
    expect(cut.out).toMatch(/Blocked: \d+ flows/);
  });
});

describe('porthole policy suggest and convert', () => {
  it('suggests a policy in each format; checked against the same capture it blocks nothing answered', () => {
    for (const format of ['porthole', 'iptables', 'nft', 'aws']) {
      const s = run('policy', 'suggest', officePcap, '--format', format, '--prefix', '24');
      expect(s.code, s.err).toBe(0);
      const rules = file(`suggested.${format}`, s.out);
      const json = JSON.parse(run('policy', 'check', rules, officePcap, '--json').out);
      expect(json.format).toBe(format);
      // The office capture's blocked flows are exactly the ones that were never answered.
      expect(json.blockedFlows).toBe(3);
      expect(json.blocked.flows.every((f: { serverPort: number; server: string }) => [23, 3389, 22].includes(f.serverPort))).toBe(true);
    }
    const text = run('policy', 'suggest', officePcap, '--prefix', '24', '--widen').out;
    expect(text).toContain('allow tcp 443 from 10.0.1.0/24 to 10.0.5.10');
    expect(text).toContain("RISK SSH: allow only the administrators' addresses");
    const json = JSON.parse(run('policy', 'suggest', officePcap, '--json').out);
    expect(json.services).toHaveLength(6);
    expect(json.rules).toMatch(/default deny\n$/);
  });

  it('converts between formats', () => {
    const rules = file('web2.nft', NFT);
    const r = run('policy', 'convert', rules, '--to', 'iptables');
    expect(r.code).toBe(0);
    expect(r.out).toContain('-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT');
    const aws = run('policy', 'convert', file('deny.rules', 'deny tcp 23\ndefault deny\n'), '--to', 'aws');
    expect(aws.code).toBe(1);
    expect(aws.err).toMatch(/security groups only allow/);
  });
});

describe('porthole diff', () => {
  it('the same file twice: no changes; a capture with a new service: found, as text and JSON', () => {
    const same = run('diff', officePcap, officePcap);
    expect(same.code).toBe(0);
    expect(same.out).toMatch(/No changes/);
    const withMore = file('office-4444.pcap', capture([...office(), { client: '10.0.1.3', clientPort: 50123, server: '10.0.5.10', serverPort: 4444, proto: 'tcp', answer: 'open', at: 50 }]));
    const text = run('diff', officePcap, withMore);
    expect(text.out).toMatch(/New exposed services \(answered in B, not in A\): 1\n {2}10\.0\.5\.10:4444\/tcp nv-video: first answered 2023-11-14T22:14:10\.000Z/);
    const json = JSON.parse(run('diff', officePcap, withMore, '--json').out);
    expect(json.exposed.new[0]).toMatchObject({ host: '10.0.5.10', port: 4444, proto: 'tcp', side: 'b' });
    expect(run('diff', officePcap).code).toBe(1);
  });
});
