// Filters made from a row select that row: Porthole's on the analysis, Wireshark's as tshark reads them.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisView } from '../src/views/analysis-view';
import { flowRecord } from '../src/views/records';
import { combine, flowFilter, hostFilter, portFilter, rowText } from '../web/lib/row-filters';
import { analyzeFile } from './helpers/analyze';
import { CAPTURES } from './helpers/fixtures';

const capture = join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng');

describe('row filters', () => {
  it('a flow\'s filter selects that flow in Porthole, and its Wireshark filter selects its packets in tshark', async () => {
    const { state, report } = await analyzeFile(capture);
    const view = new AnalysisView(state);
    const sample = report.flows.filter((_, i) => i % 9 === 0);
    expect(sample.length).toBeGreaterThan(2);
    for (const f of sample) {
      const { porthole, wireshark } = flowFilter(f);
      const picked = [...view.select(porthole).rows].map((r) => flowRecord(view.facts, r));
      expect(picked.map((x) => [x.a, x.aPort, x.b, x.bPort])).toContainEqual([f.a, f.aPort, f.b, f.bPort]);
      expect(picked.length).toBe(1);
      // Wireshark's filter also shows ICMP errors quoting the flow (useful there); count the flow's own packets.
      const out = spawnSync('tshark', ['-n', '-r', capture, '-Y', `(${wireshark}) && !icmp && !icmpv6`, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      expect(out.stdout.trim().split('\n').filter(Boolean).length).toBe(f.packets);
    }
  });

  it('port and host filters parse in both languages; combining keeps the current filter\'s meaning', async () => {
    const { state } = await analyzeFile(capture);
    const view = new AnalysisView(state);
    expect(view.select(portFilter({ proto: 'udp', port: 53 }).porthole).rows.length).toBeGreaterThan(0);
    expect(view.select(hostFilter({ address: '::1' }).porthole).rows.length).toBeGreaterThan(0);
    expect(combine('tcp or udp', 'port 53', 'and')).toBe('(tcp or udp) and (port 53)');
    expect(combine('tcp', 'port 53', 'exclude')).toBe('(tcp) and not (port 53)');
    expect(combine(null, 'port 53', 'exclude')).toBe('not (port 53)');
    expect(combine('tcp', 'port 53', 'only')).toBe('port 53');
    const n = (f: string) => view.select(f).rows.length;
    expect(n(combine('tcp', 'port 8080', 'exclude')) + n('tcp and port 8080')).toBe(n('tcp'));
    expect(rowText(['a,b', 'say "hi"', 3, null], ',')).toBe('"a,b","say ""hi""",3,');
    expect(rowText(['a\tb', 'c'], '\t')).toBe('a b\tc');
  });
});
