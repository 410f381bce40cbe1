// What changed between two analyses: the same traffic twice is no change; each kind of change
// is found, and its filter selects its flows on the side it names.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIFF_OPTIONS, diffAnalyses, type AnalysisDiff } from '../src/policy/diff';
import { formatDiffText } from '../src/policy/diff-text';
import { decodeState, encodeState } from '../src/tap/state-codec';
import { AnalysisView } from '../src/views/analysis-view';
import { analyzeFile } from './helpers/analyze';
import { CAPTURES, SCANS } from './helpers/fixtures';
import { office, stateOf, viewOf, type Conversation } from './policy-traffic';

const more = (extra: Conversation[]) => [...office(), ...extra];
const conv = (client: string, server: string, serverPort: number, at: number, answer: Conversation['answer'] = 'open', payload = 32): Conversation =>
  ({ client, clientPort: 50000 + Math.round(at * 10), server, serverPort, proto: 'tcp', answer, at, payload });

/** Each filter of a diff selects flows on its side (a non-empty selection, or exactly `flows` when the entry counts flows). */
function expectFilters(d: AnalysisDiff, a: AnalysisView, b: AnalysisView): void {
  const view = (side: 'a' | 'b') => (side === 'a' ? a : b);
  for (const s of [...d.exposed.new, ...d.exposed.vanished]) expect(view(s.side).select(s.filter).rows.length, s.filter).toBe(s.flows);
  for (const c of d.riskyClients.new) expect(view(c.side).select(c.filter).rows.length, c.filter).toBe(c.flows);
  for (const s of [...d.scanners.new, ...d.scanners.gone]) expect(view(s.side).select(s.filter).rows.length).toBeGreaterThanOrEqual(s.flows);
  for (const t of d.talkers.changes) expect(view(t.side).select(t.filter).rows.length).toBeGreaterThan(0);
  for (const c of d.classSplit) expect(b.select(c.filter).rows.length).toBe(c.b.flows);
}

describe('diff of two analyses', () => {
  it('the same traffic twice: no change (captures, and a state against its capture)', async () => {
    for (const file of [join(SCANS, 'nmap-sS.pcapng'), join(SCANS, 'nmap-sU.pcapng'), join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng')]) {
      const { state } = await analyzeFile(file);
      const again = decodeState(encodeState(state));
      const d = diffAnalyses(new AnalysisView(state), new AnalysisView(again));
      expect(d.empty, file).toBe(true);
      expect(formatDiffText(d)).toMatch(/No changes/);
    }
    expect(diffAnalyses(viewOf(office()), viewOf(office())).empty).toBe(true);
  });

  it('something new is listening on 4444: a new exposed service, first answered when', () => {
    const a = viewOf(office()), b = viewOf(more([conv('10.0.1.3', '10.0.5.10', 4444, 50), conv('10.0.1.4', '10.0.5.10', 4444, 51)]));
    const d = diffAnalyses(a, b);
    expect(d.empty).toBe(false);
    expect(d.exposed.new).toEqual([expect.objectContaining({ host: '10.0.5.10', proto: 'tcp', port: 4444, flows: 2, clients: 2, side: 'b', firstSeen: 1_700_000_050, other: null })]);
    expect(d.exposed.vanished).toEqual([]);
    expect(d.riskyClients.count).toBe(0);
    expect(d.scanners.new).toEqual([]);
    expect(formatDiffText(d)).toContain('10.0.5.10:4444/tcp');
    expectFilters(d, a, b);
  });

  it('a service that stopped answering vanished; one that was refused and now answers is new, saying so', () => {
    const withoutPostgres = office().filter((c) => c.serverPort !== 5432);
    const a = viewOf(office()), b = viewOf([...withoutPostgres, conv('198.51.100.7', '10.0.5.10', 23, 60)]);
    const d = diffAnalyses(a, b);
    expect(d.exposed.vanished.map((s) => `${s.host}:${s.port} ${s.other}`)).toEqual(['10.0.5.20:5432 null']);
    expect(d.exposed.new.map((s) => `${s.host}:${s.port} ${s.other}`)).toEqual(['10.0.5.10:23 refused']);
    // Telnet is risky: its client is a new client of a risky service.
    expect(d.riskyClients.new.map((c) => `${c.client} ${c.port} ${c.risk}`)).toEqual(['198.51.100.7 23 Telnet']);
    expectFilters(d, a, b);
  });

  it('new clients of risky services (SSH from an address never seen before)', () => {
    const a = viewOf(office()), b = viewOf(more([conv('203.0.113.9', '10.0.5.10', 22, 70)]));
    const d = diffAnalyses(a, b);
    expect(d.exposed.new).toEqual([]);
    expect(d.riskyClients.new).toEqual([expect.objectContaining({ client: '203.0.113.9', host: '10.0.5.10', port: 22, risk: 'SSH', flows: 1 })]);
    expectFilters(d, a, b);
  });

  it('new scanners, and the class split and top talkers they move', () => {
    const scan: Conversation[] = [];
    for (let port = 1; port <= 300; port++) scan.push({ client: '203.0.113.66', clientPort: 61000, server: '10.0.5.10', serverPort: 2000 + port, proto: 'tcp', answer: 'refused', at: 80 + port * 0.001 });
    const a = viewOf(office()), b = viewOf(more(scan));
    const d = diffAnalyses(a, b);
    expect(d.scanners.new.map((s) => s.scanner)).toEqual(['203.0.113.66']);
    expect(d.scanners.gone).toEqual([]);
    const registered = d.classSplit.find((c) => c.class === 'registered')!;
    expect(registered.moved).toBe(true);
    expect(registered.b.flows - registered.a.flows).toBe(300);
    expect(d.talkers.changes.some((t) => t.host === '203.0.113.66' && t.change === 'entered')).toBe(true);
    expectFilters(d, a, b);
    // Reversed: the scanner is gone.
    expect(diffAnalyses(b, a).scanners.gone.map((s) => s.scanner)).toEqual(['203.0.113.66']);
  });

  it('a top talker that grew, with the filter as a common argument', () => {
    const a = viewOf(office()), b = viewOf(more([conv('10.0.1.2', '10.0.5.10', 443, 90, 'open', 60000)]));
    const d = diffAnalyses(a, b, { ...DEFAULT_DIFF_OPTIONS, top: 3 });
    expect(d.talkers.changes.map((t) => `${t.host} ${t.change}`)).toContain('10.0.1.2 entered');
    const only = diffAnalyses(a, b, { ...DEFAULT_DIFF_OPTIONS, filter: 'udp' });
    expect(only.empty).toBe(true);
    expect(only.filter).toBe('udp');
  });

  it('works on states as well as captures (the page diffs saved analyses)', () => {
    const a = stateOf(office()), b = stateOf(more([conv('10.0.1.3', '10.0.5.10', 4444, 50)]));
    const d = diffAnalyses(new AnalysisView(decodeState(encodeState(a))), new AnalysisView(decodeState(encodeState(b))));
    expect(d.exposed.new.map((s) => s.port)).toEqual([4444]);
  });
});
