// Judging a policy against traffic: hand-checked numbers on an office capture, the nmap
// captures and generated ones; a plain independent judge (net.BlockList over flow records) on
// random policies; and every number's filter expression selects exactly the flows it counts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPolicy, type PolicyCheckResult } from '../src/policy/check-policy';
import { parseCidr, type Cidr } from '../src/policy/cidr';
import { DECIDED, EVALUATION_LIMITS, evaluatePolicy, VERDICT } from '../src/policy/evaluate-policy';
import { parsePolicy } from '../src/policy/parse-policy';
import { PROTO, type Policy, type PolicyRule, type PortRange } from '../src/policy/policy';
import { PolicyFilters, filterText } from '../src/policy/rule-filter';
import { renderPolicy } from '../src/policy/render-rules';
import { readCapture } from '../src/tap/read-capture';
import { AnalysisView } from '../src/views/analysis-view';
import { analyzeFile, bytesStream } from './helpers/analyze';
import { CAPTURES, SCANS } from './helpers/fixtures';
import { office, oracle, oracleBlocks, viewOf } from './policy-traffic';

/** Every count of a result next to the number of flows its filter selects. */
function countsAndFilters(r: PolicyCheckResult): Array<[string, number, string]> {
  const out: Array<[string, number, string]> = [
    ['allowed', r.allowedFlows, r.filters.allowed], ['blocked', r.blockedFlows, r.filters.blocked], ['outside', r.outsideFlows, r.filters.outside],
    ['default allow', r.byDefault.allow.flows, r.byDefault.allow.filter], ['default deny', r.byDefault.deny.flows, r.byDefault.deny.filter],
  ];
  for (const x of r.rules) out.push([x.at, x.flows, x.filter]);
  for (const x of r.blocked.byService) out.push([`service ${x.port}/${x.proto}`, x.flows, x.filter]);
  for (const x of r.blocked.byServer) out.push([`server ${x.host}`, x.flows, x.filter]);
  for (const x of r.blocked.byClient) out.push([`client ${x.host}`, x.flows, x.filter]);
  for (const x of r.blocked.byClass) out.push([`class ${x.class}`, x.flows, x.filter]);
  for (const x of [...r.riskyAllowed, ...r.openToEverywhere]) out.push([`exposed ${x.host}:${x.port}`, x.flows, x.filter]);
  return out;
}

function expectFiltersMatch(view: AnalysisView, r: PolicyCheckResult, base: string | null = null): void {
  for (const [name, n, filter] of countsAndFilters(r)) {
    const f = base ? `(${base}) and (${filter})` : filter;
    expect(view.select(f).rows.length, `${name}: ${f}`).toBe(n);
  }
}

const OFFICE_POLICY = `allow established
# the administrators
allow tcp 22 from 10.0.9.0/24 to 10.0.5.10
allow tcp 443 to 10.0.5.10
allow udp 53 from 10.0.0.0/16 to 10.0.5.53
allow tcp 5432 from 10.0.2.0/24 to 10.0.5.20
deny tcp 23
allow tcp 80 to 10.0.5.10
allow tcp 22 from 10.0.9.5 to 10.0.5.10
allow tcp 23 from 198.51.100.7
allow tcp 3389 from 203.0.113.0/24
default deny
`;

describe('an office capture against a hand-written policy', () => {
  const view = viewOf(office());
  const policy = parsePolicy(OFFICE_POLICY);
  const r = checkPolicy(policy, view.select(null));

  it('counts allowed and blocked flows and the rule that decided each', () => {
    expect(r.flows).toBe(34);
    expect(r.allowedFlows).toBe(30);
    expect(r.blockedFlows).toBe(4);
    expect(r.outsideFlows).toBe(0);
    expect(r.rules.map((x) => [x.at, x.flows, x.use])).toEqual([
      ['line 1', 0, 'not-deciding'], ['line 3', 2, 'used'], ['line 4', 12, 'used'], ['line 5', 12, 'used'], ['line 6', 3, 'used'],
      ['line 7', 1, 'used'], ['line 8', 1, 'used'], ['line 9', 0, 'unused'], ['line 10', 0, 'unused'], ['line 11', 0, 'unused'],
    ]);
    expect(r.byDefault.deny.flows).toBe(3);
    expect(r.rules[1]!.comment).toBe('the administrators');
    expect(r.blocked.byService.map((x) => `${x.port}/${x.proto}`).sort()).toEqual(['22/tcp', '23/tcp', '3389/tcp', '443/tcp']);
    expect(r.blocked.byClass).toEqual([expect.objectContaining({ class: 'well-known', flows: 3 }), expect.objectContaining({ class: 'registered', flows: 1 })]);
    expect(r.blocked.flows.map((f) => `${f.server}:${f.serverPort} ${f.decidedBy}`)).toEqual([
      '10.0.5.10:23 line 7', '10.0.5.30:3389 default', '2001:db8:5::10:443 default', '2001:db8:5::10:22 default',
    ]);
  });

  it('finds shadowed rules (same verdict: redundant; other verdict: conflict) and unused ones', () => {
    expect(r.shadowedRules).toEqual([
      expect.objectContaining({ at: 'line 9', byAt: 'line 3', conflict: false }),
      expect.objectContaining({ at: 'line 10', byAt: 'line 7', conflict: true }),
    ]);
    expect(r.unusedRules.map((u) => u.at)).toEqual(['line 9', 'line 10', 'line 11']);
    expect(r.warnings.some((w) => /line 10 can never take effect/.test(w))).toBe(true);
  });

  it('flags allowed risky services and services open to any address', () => {
    expect(r.riskyAllowed.map((e) => `${e.host}:${e.port} ${e.risk!.name} ${e.fromEverywhere}`)).toEqual([
      '10.0.5.20:5432 database false', '10.0.5.10:80 plain HTTP true',
    ]);
    expect(r.openToEverywhere.map((e) => `${e.host}:${e.port} ${e.allowedBy.join()}`)).toEqual(['10.0.5.10:443 line 4', '10.0.5.10:80 line 8']);
    // SSH from the administrators' block only: not flagged.
    expect(r.riskyAllowed.some((e) => e.port === 22)).toBe(false);
    const open = checkPolicy(parsePolicy('allow tcp 22\ndefault deny'), view.select(null));
    expect(open.riskyAllowed.map((e) => `${e.port} ${e.risk!.admin}`)).toEqual(['22 true']);
  });

  it('every number has a filter that selects exactly the flows it counts', () => {
    expectFiltersMatch(view, r);
  });

  it('a filter narrows what is judged', () => {
    const narrowed = checkPolicy(policy, view.select('ip6'));
    expect(narrowed.flows).toBe(2);
    expect(narrowed.blockedFlows).toBe(2);
    expectFiltersMatch(view, narrowed, 'ip6');
  });

  it('warns when nothing lets replies through a default-deny policy', () => {
    const stateless = checkPolicy(parsePolicy('allow tcp 443\ndefault deny'), view.select(null));
    expect(stateless.warnings.join()).toMatch(/no rule allows established\/related traffic/);
  });
});

describe('nmap scans of 127.0.0.1', () => {
  it('a policy that serves only 80 blocks the probes of every other port', async () => {
    const { state } = await analyzeFile(join(SCANS, 'nmap-sS.pcapng'));
    const view = new AnalysisView(state);
    const policy = parsePolicy('*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT\n');
    const r = checkPolicy(policy, view.select(null), { limit: 10, top: 5 });
    expect(r.flows).toBe(200);
    expect(r.allowedFlows).toBe(1);
    expect(r.blockedFlows).toBe(199);
    // 143 answered (IMAP) and is now blocked; the other 198 probes were refused anyway.
    expect(r.blocked.byService).toHaveLength(5);
    expect(r.blocked.services).toBe(199);
    expect(r.blocked.flows).toHaveLength(10);
    expect(r.riskyAllowed.map((e) => e.port)).toEqual([80]);
    expectFiltersMatch(view, r);
  });

  it('"-i lo -j ACCEPT" allows all loopback traffic, as on the host that was scanned', async () => {
    const { state } = await analyzeFile(join(SCANS, 'nmap-sU.pcapng'));
    const view = new AnalysisView(state);
    const r = checkPolicy(parsePolicy('*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n'), view.select(null));
    expect(r.blockedFlows).toBe(0);
    expect(r.rules[0]!.flows).toBe(r.flows);
  });

  it('an IPv4-only iptables-save leaves IPv6 flows outside the policy, and says so', async () => {
    const { state } = await analyzeFile(join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'));
    const view = new AnalysisView(state);
    const r = checkPolicy(parsePolicy('*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT\nCOMMIT\n'), view.select(null));
    expect(r.outsideFlows).toBe(view.select('ip6').rows.length);
    expect(r.outsideFlows).toBeGreaterThan(0);
    expect(r.allowedFlows + r.blockedFlows + r.outsideFlows).toBe(r.flows);
    expect(r.warnings[0]).toMatch(/IPv6, which this policy does not cover/);
    expectFiltersMatch(view, r);
  });
});

// ---- Random policies against the plain judge

const PORTS: PortRange[][] = [[{ first: 22, last: 22 }], [{ first: 443, last: 443 }, { first: 80, last: 80 }], [{ first: 53, last: 53 }], [{ first: 0, last: 1023 }], [{ first: 1024, last: 65535 }], [{ first: 5432, last: 5432 }, { first: 3389, last: 3389 }], [{ first: 23, last: 25 }]];
const BLOCKS = ['10.0.0.0/8', '10.0.1.0/24', '10.0.9.5/32', '10.0.5.10/32', '10.0.5.0/24', '198.51.100.0/24', '2001:db8::/32', '2001:db8:5::10/128', '127.0.0.0/8', '::1/128', '0.0.0.0/0', '172.16.0.66/32'];
const cidr = (t: string): Cidr => parseCidr(t)!;

const ruleArb: fc.Arbitrary<PolicyRule> = fc.record({
  action: fc.constantFrom('allow' as const, 'deny' as const, 'reject' as const),
  protos: fc.constantFrom(PROTO.TCP, PROTO.UDP, PROTO.TCP | PROTO.UDP, PROTO.ANY),
  family: fc.constantFrom(null, null, 4 as const, 6 as const),
  dport: fc.option(fc.constantFrom(...PORTS), { nil: null }),
  sport: fc.option(fc.constant<PortRange[]>([{ first: 40000, last: 40010 }]), { nil: null, freq: 4 }),
  src: fc.option(fc.uniqueArray(fc.constantFrom(...BLOCKS), { minLength: 1, maxLength: 3 }).map((xs) => xs.map(cidr)), { nil: null }),
  dst: fc.option(fc.uniqueArray(fc.constantFrom(...BLOCKS), { minLength: 1, maxLength: 2 }).map((xs) => xs.map(cidr)), { nil: null }),
}).filter((r) => {
  // Rules the formats can write: addresses of the rule's version, not of two versions only on different ends.
  const ok = (set: Cidr[] | null) => set === null || r.family === null || set.every((c) => c.version === r.family);
  const vs = (set: Cidr[] | null) => new Set(set?.map((c) => c.version) ?? [4, 6]);
  return ok(r.src) && ok(r.dst) && [...vs(r.src)].some((v) => vs(r.dst).has(v));
}).map((r) => ({
  line: 0, at: '', text: '', action: r.action, protos: r.protos, family: r.family, src: r.src, dst: r.dst,
  sport: r.sport, dport: r.dport, state: 'new' as const, comment: null,
}));

const policyArb: fc.Arbitrary<Policy> = fc.record({
  rules: fc.array(ruleArb, { maxLength: 8 }),
  d4: fc.constantFrom('allow' as const, 'deny' as const),
  d6: fc.constantFrom('allow' as const, 'deny' as const, null),
}).map(({ rules, d4, d6 }) => ({
  format: 'porthole', rules: rules.map((r, i) => ({ ...r, at: `rule ${i + 1}` })), scope: 'test', notes: [], stateful: true,
  defaults: { 4: { action: d4, at: null }, 6: d6 === null ? null : { action: d6, at: null } },
}));

describe('random policies against a plain judge', () => {
  let views: AnalysisView[];
  beforeAll(async () => {
    views = [viewOf(office())];
    for (const f of [join(SCANS, 'nmap-sS.pcapng'), join(SCANS, 'nmap-sU.pcapng'), join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng')]) {
      const data = new Uint8Array(readFileSync(f));
      views.push(new AnalysisView(await readCapture(bytesStream(data), { name: f, size: data.length })));
    }
  });

  it('the compiled evaluation decides every flow as the plain judge does, and the filters select the same flows', () => {
    fc.assert(fc.property(policyArb, fc.nat(3), (policy, which) => {
      const view = views[which]!;
      const sel = view.select(null);
      const d = evaluatePolicy(policy, view.facts, sel.rows);
      const want = oracle(policy, view, sel.rows);
      const filters = new PolicyFilters(policy);
      const byRule = new Map<number, number[]>();
      for (const r of sel.rows) {
        const w = want.get(r)!;
        const got = d.decidedBy[r]!;
        expect(got === DECIDED.DEFAULT ? -1 : got === DECIDED.OUTSIDE ? -2 : got).toBe(w);
        const blocked = oracleBlocks(policy, view, r, w);
        expect(d.verdict[r]).toBe(blocked === null ? VERDICT.NONE : blocked ? VERDICT.BLOCKED : VERDICT.ALLOWED);
        byRule.set(w, [...(byRule.get(w) ?? []), r]);
      }
      const rowsOf = (f: string) => [...view.select(f).rows].sort((a, b) => a - b);
      policy.rules.forEach((_, i) => expect(rowsOf(filterText(filters.rule(i)))).toEqual((byRule.get(i) ?? []).sort((a, b) => a - b)));
      expect(rowsOf(filterText(filters.outside()))).toEqual((byRule.get(-2) ?? []).sort((a, b) => a - b));
      const blockedRows = [...sel.rows].filter((r) => d.verdict[r] === VERDICT.BLOCKED).sort((a, b) => a - b);
      expect(rowsOf(filterText(filters.blocked()))).toEqual(blockedRows);
      expect(rowsOf(filterText(filters.allowed()))).toEqual([...sel.rows].filter((r) => d.verdict[r] === VERDICT.ALLOWED).sort((a, b) => a - b));
    }), { numRuns: 300, seed: 16 });
  });

  it('the same with every candidate list split by server host and addresses tested word by word', () => {
    const saved = { ...EVALUATION_LIMITS };
    Object.assign(EVALUATION_LIMITS, { splitAt: 0, tableBudget: 0 });
    try {
      fc.assert(fc.property(policyArb, fc.nat(3), (policy, which) => {
        const view = views[which]!;
        const d = evaluatePolicy(policy, view.facts, view.facts.order);
        const want = oracle(policy, view);
        for (const r of view.facts.order) {
          const got = d.decidedBy[r]!;
          expect(got === DECIDED.DEFAULT ? -1 : got === DECIDED.OUTSIDE ? -2 : got).toBe(want.get(r));
        }
      }), { numRuns: 300, seed: 17 });
    } finally {
      Object.assign(EVALUATION_LIMITS, saved);
    }
  });

  it('Porthole rules written out and read back decide every flow the same way', () => {
    fc.assert(fc.property(policyArb.filter((p) => p.defaults[6] !== null), fc.nat(3), (policy, which) => {
      const view = views[which]!;
      const again = parsePolicy(renderPolicy(policy, 'porthole'), 'porthole');
      const a = evaluatePolicy(policy, view.facts, view.facts.order), b = evaluatePolicy(again, view.facts, view.facts.order);
      expect(Array.from(b.verdict)).toEqual(Array.from(a.verdict));
      expect(Array.from(b.decidedBy)).toEqual(Array.from(a.decidedBy));
    }), { numRuns: 200, seed: 7 });
  });
});

describe('generated captures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-policy-'));
  const generate = async (shape: string, flows: number) => {
    const file = join(dir, `${shape}.pcap`);
    execFileSync(process.execPath, [join(import.meta.dirname, '..', 'bench', 'generate.mjs'), file, '--shape', shape, '--flows', String(flows)]);
    const data = new Uint8Array(readFileSync(file));
    return new AnalysisView(await readCapture(bytesStream(data), { name: file, size: data.length }));
  };

  it('busy-server: an nft policy for web-a only blocks web-b and is judged as the plain judge does', async () => {
    const view = await generate('busy-server', 3000);
    const policy = parsePolicy(`table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ip daddr 203.0.113.10 tcp dport { 80, 443 } accept
		ip6 daddr 2001:db8:10::10 tcp dport { 80, 443 } accept
		ip daddr 203.0.113.53 udp dport 53 accept
		ip6 daddr 2001:db8:10::53 udp dport 53 accept
	}
}
`);
    const sel = view.select(null);
    const r = checkPolicy(policy, sel);
    const want = oracle(policy, view, sel.rows);
    const blocked = [...sel.rows].filter((row) => oracleBlocks(policy, view, row, want.get(row)!)).length;
    expect(r.blockedFlows).toBe(blocked);
    expect(r.blockedFlows).toBe(view.select('server host 203.0.113.11 or server host 2001:db8:10::11').rows.length);
    expect(r.blocked.byServer.map((x) => x.host).sort()).toEqual(['2001:db8:10::11', '203.0.113.11']);
    expect(r.openToEverywhere.map((e) => `${e.host} ${e.port}`)).toContain('203.0.113.10 443');
    expectFiltersMatch(view, r);
  });

  it('syn-scan: allowing only 22 from the scanner blocks every other probe', async () => {
    const view = await generate('syn-scan', 4000);
    const policy = parsePolicy('allow tcp 22 from 172.16.0.66\ndefault deny\n');
    const sel = view.select('tcp');
    const r = checkPolicy(policy, sel);
    expect(r.allowedFlows).toBe(view.select('tcp and server port 22 and client host 172.16.0.66').rows.length);
    expect(r.allowedFlows).toBeGreaterThan(800);
    expect(r.blockedFlows).toBe(sel.rows.length - r.allowedFlows);
    expectFiltersMatch(view, r, 'tcp');
  });
});
