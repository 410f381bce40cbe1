// What the page's policy panel gets from the analysis worker (Engine): the command line's
// numbers, errors with their place, suggested text that reads back, a diff of two states.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPolicy } from '../src/policy/check-policy';
import { parsePolicy } from '../src/policy/parse-policy';
import { POLICY_FORMATS } from '../src/policy/policy';
import type { AnalysisState } from '../src/tap/analysis-state';
import { encodeState } from '../src/tap/state-codec';
import { Engine } from '../src/workers/engine';
import { diffStates, PAGE_CHECK_OPTIONS } from '../src/workers/policy-answers';
import { analyzeFile } from './helpers/analyze';
import { SCANS } from './helpers/fixtures';

const RULES = 'allow tcp 80,443\nallow tcp 22 from 10.0.0.0/24\ndeny tcp 143\ndefault deny\n';
let syn: AnalysisState, ack: AnalysisState;
beforeAll(async () => {
  syn = (await analyzeFile(join(SCANS, 'nmap-sS.pcapng'))).state;
  ack = (await analyzeFile(join(SCANS, 'nmap-sA.pcapng'))).state;
});

describe('Engine.checkPolicy', () => {
  it('judges every flow, whatever the page filter, as checkPolicy does; small lists; structured-clonable', () => {
    const engine = new Engine(syn);
    const answer = engine.checkPolicy(RULES, null);
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.format).toBe('porthole');
    const want = checkPolicy(parsePolicy(RULES), engine.view.select(null), PAGE_CHECK_OPTIONS);
    expect(answer.result).toEqual(want);
    expect(answer.result).toMatchObject({ flows: 200, allowedFlows: 1, blockedFlows: 199 });
    expect(answer.result.blocked.flows).toEqual([]);
    expect(answer.result.blocked.byService.length).toBe(PAGE_CHECK_OPTIONS.top);
    expect(structuredClone(answer)).toEqual(answer);
    // Each count's filter selects its flows.
    expect(engine.view.select(answer.result.filters.blocked).rows.length).toBe(199);
    const imap = answer.result.rules.find((r) => r.text === 'deny tcp 143')!;
    expect(engine.view.select(imap.filter).rows.length).toBe(imap.flows);
  });

  it('a rule it cannot read: format, line, column and why; JSON errors by path', () => {
    const engine = new Engine(syn);
    const bad = engine.checkPolicy('allow tcp 22\nallow tcp 80 from 10.0.0.0/33\n', null);
    expect(bad).toEqual({ ok: false, problem: expect.objectContaining({ format: 'porthole', line: 2, column: 19, path: null }) });
    const nft = engine.checkPolicy('table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 limit rate 3/minute accept\n\t}\n}\n', null);
    expect(nft).toEqual({ ok: false, problem: expect.objectContaining({ format: 'nft', line: 4, column: 16 }) });
    const aws = engine.checkPolicy('{"SecurityGroups": [{"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 1, "ToPort": 1, "UserIdGroupPairs": [{"GroupId": "sg-2"}]}]}]}', null);
    expect(aws.ok).toBe(false);
    if (!aws.ok) expect(aws.problem.path).toMatch(/^\$\.SecurityGroups\[0\]\.IpPermissions\[0\]/);
    // A chosen format is used as chosen.
    const forced = engine.checkPolicy(RULES, 'nft');
    expect(forced.ok).toBe(false);
  });
});

describe('Engine.suggestPolicy', () => {
  it.each(POLICY_FORMATS)('%s: the text reads back and allows every answered service', (format) => {
    const engine = new Engine(syn);
    const s = engine.suggestPolicy({ format, excludeScanners: false, prefix4: 32 });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.services).toBe(2);
    const check = engine.checkPolicy(s.text, null);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check).toMatchObject({ format, result: { allowedFlows: 2, blockedFlows: 198 } });
  });
});

describe('diffStates', () => {
  it('two states by their bytes, named by the library titles', () => {
    const d = diffStates(encodeState(ack), encodeState(syn), ['ACK scan', 'SYN scan']);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.diff.exposed.newCount).toBe(2);
    expect(d.text).toMatch(/^A: ACK scan: 200 flows/);
    expect(d.text).toContain('New exposed services (answered in B, not in A): 2');
    expect(diffStates(new ArrayBuffer(8), encodeState(syn), ['x', 'y']).ok).toBe(false);
  });
});
