// Suggested policies: clients aggregated into blocks; checked against the capture they came from
// they block nothing that was answered; against scans they block the probes of closed ports; and
// every export format reads back to the same verdict for every flow.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPolicy } from '../src/policy/check-policy';
import { aggregate, cidrText, parseCidr } from '../src/policy/cidr';
import { evaluatePolicy, VERDICT } from '../src/policy/evaluate-policy';
import { parsePolicy, sniffFormat } from '../src/policy/parse-policy';
import { POLICY_FORMATS, PROTO, type Policy, type PolicyFormat, type PortRange } from '../src/policy/policy';
import { renderPolicy } from '../src/policy/render-rules';
import { DEFAULT_SUGGEST_OPTIONS, suggestPolicy } from '../src/policy/suggest-policy';
import { readCapture } from '../src/tap/read-capture';
import { AnalysisView } from '../src/views/analysis-view';
import { ATTEMPT } from '../src/views/flow-facts';
import { bytesStream } from './helpers/analyze';
import { CAPTURES, SCANS } from './helpers/fixtures';
import { office, viewOf, type Conversation } from './policy-traffic';

const blocks = (hosts: string[], prefix4 = 32, widen = false) =>
  aggregate(hosts.map((h) => parseCidr(h)!), { prefix4, prefix6: 128, widen }).map(cidrText);

describe('client addresses as blocks', () => {
  const staff = Array.from({ length: 12 }, (_, i) => `10.0.1.${i + 1}`);

  it('exactly the clients seen, adjacent ones merged', () => {
    expect(blocks(staff)).toEqual(['10.0.1.1/32', '10.0.1.2/31', '10.0.1.4/30', '10.0.1.8/30', '10.0.1.12/32']);
    expect(blocks(['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3', '192.0.2.9', '2001:db8::1', '2001:db8::'])).toEqual(['10.0.0.0/30', '192.0.2.9/32', '2001:db8::/127']);
  });

  it('--prefix N: clients sharing a /N become the smallest block around them; --widen: the whole /N', () => {
    expect(blocks(staff, 24)).toEqual(['10.0.1.0/28']);
    expect(blocks([...staff, '10.0.2.200', '10.0.2.201'], 24)).toEqual(['10.0.1.0/28', '10.0.2.200/31']);
    expect(blocks(staff, 24, true)).toEqual(['10.0.1.0/24']);
    expect(blocks(['10.0.1.5', '10.0.2.5'], 16)).toEqual(['10.0.0.0/22']);
    expect(blocks(['10.0.1.5', '10.0.2.5'], 16, true)).toEqual(['10.0.0.0/16']);
  });
});

/** Flows answered (TCP SYN+ACK, UDP reply) in the selection. */
const answered = (view: AnalysisView) => [...view.select(null).rows].filter((r) => view.facts.attempt[r] === ATTEMPT.OPEN);

function verdicts(policy: Policy, view: AnalysisView): number[] {
  return Array.from(evaluatePolicy(policy, view.facts, view.facts.order).verdict);
}

async function viewOfFile(path: string): Promise<AnalysisView> {
  const data = new Uint8Array(readFileSync(path));
  return new AnalysisView(await readCapture(bytesStream(data), { name: path, size: data.length }));
}

describe('suggested policies', () => {
  const views: Record<string, AnalysisView> = {};
  beforeAll(async () => {
    views.office = viewOf(office());
    views['nmap-sS'] = await viewOfFile(join(SCANS, 'nmap-sS.pcapng'));
    views['nmap-sU'] = await viewOfFile(join(SCANS, 'nmap-sU.pcapng'));
    views['a-lo-dumpcap'] = await viewOfFile(join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'));
    const dir = mkdtempSync(join(tmpdir(), 'porthole-suggest-'));
    for (const [shape, flows] of [['syn-scan', 6000], ['busy-server', 3000], ['udp-scan', 2000]] as const) {
      const file = join(dir, `${shape}.pcap`);
      execFileSync(process.execPath, [join(import.meta.dirname, '..', 'bench', 'generate.mjs'), file, '--shape', shape, '--flows', String(flows)]);
      views[shape] = await viewOfFile(file);
    }
  });

  it('one rule per answered service, with its clients, established allowed, default deny; risky ones flagged', () => {
    const s = suggestPolicy(views.office!.select(null));
    const text = renderPolicy(s.policy, 'porthole');
    expect(s.policy.defaults).toMatchObject({ 4: { action: 'deny' }, 6: { action: 'deny' } });
    expect(s.policy.rules[0]).toMatchObject({ state: 'established', action: 'allow' });
    expect(s.services.map((x) => `${x.host} ${x.port}/${x.proto} ${x.from.join(',')}`)).toEqual([
      '10.0.5.10 22/tcp 10.0.9.5/32,10.0.9.6/32',
      '10.0.5.10 80/tcp 198.51.100.7/32',
      '10.0.5.10 443/tcp 10.0.1.1/32,10.0.1.2/31,10.0.1.4/30,10.0.1.8/30,10.0.1.12/32',
      '10.0.5.20 5432/tcp 10.0.2.7/32,10.0.2.14/32,10.0.2.21/32',
      '10.0.5.53 53/udp 10.0.1.1/32,10.0.1.2/31,10.0.1.4/30,10.0.1.8/30,10.0.1.12/32',
      '2001:db8:5::10 443/tcp 2001:db8:1::5/128',
    ]);
    expect(s.services.find((x) => x.port === 22)!.risk).toMatchObject({ name: 'SSH', admin: true });
    expect(s.services.find((x) => x.port === 5432)!.risk).toMatchObject({ name: 'database', admin: false });
    expect(s.services.find((x) => x.port === 443)!.risk).toBeNull();
    expect(text).toContain("# 2 flows from 2 clients; ssh; RISK SSH: allow only the administrators' addresses\nallow tcp 22 from 10.0.9.5,10.0.9.6 to 10.0.5.10\n");
    expect(text.trimEnd().split('\n').at(-1)).toBe('default deny');
    // Refused and unanswered services get no rule.
    expect(s.services.some((x) => x.port === 23 || x.port === 3389)).toBe(false);
  });

  it.each(['office', 'a-lo-dumpcap', 'nmap-sS', 'syn-scan', 'busy-server', 'udp-scan'])(
    '%s: checked against the capture it came from, it blocks nothing that was answered', (name) => {
      const view = views[name]!;
      const s = suggestPolicy(view.select(null));
      const d = evaluatePolicy(s.policy, view.facts, view.facts.order);
      const open = answered(view);
      expect(open.length).toBeGreaterThan(0);
      expect(open.filter((r) => d.verdict[r] !== VERDICT.ALLOWED)).toEqual([]);
      const r = checkPolicy(s.policy, view.select(null));
      expect(r.unusedRules).toEqual([]);
    });

  it.each(['nmap-sS', 'nmap-sU', 'syn-scan', 'udp-scan'])('%s: it blocks every probe of a port that never answered', (name) => {
    const view = views[name]!;
    const sel = view.select(null);
    const s = suggestPolicy(sel);
    const d = evaluatePolicy(s.policy, view.facts, view.facts.order);
    const groups = sel.groups();
    let closedProbes = 0;
    for (let g = 0; g < groups.size; g++) {
      if (groups.state[g] === ATTEMPT.OPEN) continue;
      for (let i = groups.start[g]!; i < groups.start[g + 1]!; i++) {
        closedProbes++;
        expect(d.verdict[groups.members[i]!]).toBe(VERDICT.BLOCKED);
      }
    }
    expect(closedProbes).toBeGreaterThan(sel.rows.length / 2);
    // The scanner is named in the rules its answered probes made (nmap-sU found no open port).
    if (answered(view).length) expect(s.services.some((x) => x.scanners.length > 0)).toBe(true);
    else expect(s.services).toEqual([]);
  });

  it('a policy from ordinary traffic blocks a later scan of the same servers, open ports included', () => {
    const normal = office();
    const scan: Conversation[] = [];
    for (let port = 1; port <= 200; port++) {
      const open = port === 22 || port === 80 || port === 443;
      scan.push({ client: '203.0.113.66', clientPort: 61000, server: '10.0.5.10', serverPort: port, proto: 'tcp', answer: open ? 'open' : 'refused', at: 100 + port * 0.001 });
    }
    const policy = suggestPolicy(viewOf(normal).select(null)).policy;
    const view = viewOf([...normal, ...scan]);
    const r = checkPolicy(policy, view.select(null));
    expect(r.blockedFlows).toBe(200 + view.select('not client host 203.0.113.66 and not (server host 10.0.5.10 or server host 10.0.5.53 or server host 10.0.5.20 or server host 2001:db8:5::10)').rows.length + 2);
    expect(r.blocked.byClient[0]).toMatchObject({ host: '203.0.113.66', flows: 200 });
    expect(view.select(r.blocked.byClient[0]!.filter).rows.length).toBe(200);
  });

  it('--exclude-scanners leaves the scanner out: nmap-sS gets no rule but established', () => {
    const s = suggestPolicy(views['nmap-sS']!.select(null), { ...DEFAULT_SUGGEST_OPTIONS, excludeScanners: true });
    expect(s.policy.rules).toHaveLength(1);
    expect(s.services.filter((x) => x.rule === null).map((x) => x.port)).toEqual([80, 143]);
  });

  it.each(['office', 'a-lo-dumpcap', 'nmap-sS', 'syn-scan', 'busy-server'])('%s: every export format reads back to the same verdicts', (name) => {
    const view = views[name]!;
    const s = suggestPolicy(view.select(null), { prefix4: 24, prefix6: 64, widen: false, excludeScanners: false });
    const want = verdicts(s.policy, view);
    for (const format of POLICY_FORMATS) {
      const text = renderPolicy(s.policy, format, ['porthole policy suggest test']);
      expect(sniffFormat(text), format).toBe(format);
      const again = parsePolicy(text);
      expect(verdicts(again, view), format).toEqual(want);
    }
  });
});

describe('export round trips of hand-made policies', () => {
  const view = viewOf(office());
  const policy = parsePolicy(`allow established
allow tcp 22,2222 from 10.0.9.0/24,2001:db8:1::/48 to 10.0.5.10,2001:db8:5::10
reject tcp 23
deny udp port 53 from 10.0.1.8/30 port 40000-40100
allow port 53
allow ip6 tcp 443
allow from 198.51.100.0/24 to 10.0.5.0/24
default deny ip
default allow ip6
`);

  it.each(['porthole', 'iptables', 'nft'] as PolicyFormat[])('%s keeps every verdict', (format) => {
    const again = parsePolicy(renderPolicy(policy, format));
    expect(again.format).toBe(format);
    expect(verdicts(again, view)).toEqual(verdicts(policy, view));
    expect(again.defaults[6]!.action).toBe('allow');
  });

  it('security groups say what they cannot hold', () => {
    expect(() => renderPolicy(policy, 'aws')).toThrow(/default 'allow' cannot be written/);
    expect(() => renderPolicy(parsePolicy('deny tcp 23\ndefault deny'), 'aws')).toThrow(/only allow/);
    const allowOnly = parsePolicy('allow tcp 443 from 0.0.0.0/0\nallow udp port 53 to 10.0.5.53\nallow from 10.0.9.5\ndefault deny');
    expect(verdicts(parsePolicy(renderPolicy(allowOnly, 'aws')), view)).toEqual(verdicts(allowOnly, view));
    expect(allowOnly.rules[2]!.protos).toBe(PROTO.ANY);
  });

  it('random policies survive iptables-save and nft', () => {
    const v = viewOf(office());
    const ports = fc.constantFrom<PortRange[]>([{ first: 22, last: 22 }], [{ first: 443, last: 443 }, { first: 1000, last: 2000 }], [{ first: 53, last: 53 }]);
    const block = fc.constantFrom('10.0.0.0/8', '10.0.1.4/30', '10.0.5.10/32', '2001:db8::/32', '0.0.0.0/0').map((t) => parseCidr(t)!);
    const rule = fc.record({
      action: fc.constantFrom('allow' as const, 'deny' as const, 'reject' as const),
      protos: fc.constantFrom(PROTO.TCP, PROTO.UDP, PROTO.TCP | PROTO.UDP, PROTO.ANY),
      dport: fc.option(ports, { nil: null }),
      sport: fc.option(fc.constant<PortRange[]>([{ first: 40000, last: 40020 }]), { nil: null, freq: 4 }),
      src: fc.option(fc.uniqueArray(block, { minLength: 1, maxLength: 2, selector: cidrText }), { nil: null }),
      dst: fc.option(fc.uniqueArray(block, { minLength: 1, maxLength: 2, selector: cidrText }), { nil: null }),
    }).map((r) => ({ ...r, line: 0, at: 'r', text: '', family: null, state: 'new' as const, comment: 'random "rule"' }));
    fc.assert(fc.property(fc.array(rule, { maxLength: 6 }), fc.constantFrom('allow' as const, 'deny' as const), (rules, d) => {
      const p: Policy = { format: 'porthole', rules, defaults: { 4: { action: d, at: null }, 6: { action: d, at: null } }, scope: '', notes: [], stateful: true };
      const want = verdicts(p, v);
      for (const format of ['iptables', 'nft'] as const) expect(verdicts(parsePolicy(renderPolicy(p, format)), v), format).toEqual(want);
    }), { numRuns: 200, seed: 3 });
  });
});
