// Past the flow table's cap, new flows are counted together as "other flows" and the report says so.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FLOWS } from '../src/tap/flow-table';
import { Tap } from '../src/tap/tap';
import { reportOf, stateOfBytes } from './helpers/analyze';
import { concat, pcapHeader, pcapRecord, udpFrame } from './helpers/capture-builder';

/** A port scan: one source to every port of a few hosts, one packet each. */
function scanCapture(hosts: number, ports: number): Uint8Array {
  const parts = [pcapHeader(true, 1)];
  for (let h = 0; h < hosts; h++) for (let p = 1; p <= ports; p++) parts.push(pcapRecord(true, 1700000000, p, udpFrame([10, 0, 0, 1], [10, 1, 0, h], 40000, p, 0)));
  return concat(...parts);
}

describe('flow table cap', () => {
  it('counts flows beyond the cap as "other flows", keeping every packet and byte', () => {
    const data = scanCapture(4, 5000);
    const report = reportOf(stateOfBytes(data, [], { maxFlows: 12_000 }));
    expect(report.flows.length).toBe(12_000);
    expect(report.otherFlows).toEqual({ flows: 8_000, packets: 8_000, bytes: 8_000 * 42, cap: 12_000 });
    expect(report.totals.packets).toBe(20_000);
    const flowPackets = report.flows.reduce((n, f) => n + f.packets, 0);
    expect(flowPackets + report.otherFlows!.packets).toBe(report.decode.withPorts.packets);
    expect(report.warnings.some((w) => w.includes('reached its cap of 12000 flows'))).toBe(true);
  });

  it('a tap without options uses the cap the README documents', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = /flow table is capped at ([\d,]+) flows/.exec(readme);
    expect(documented, 'the README states the cap').not.toBeNull();
    expect(Number(documented![1]!.replace(/,/g, ''))).toBe(DEFAULT_MAX_FLOWS);
    expect(Tap.create({ name: 'x', size: null }).state.flows.maxFlows).toBe(DEFAULT_MAX_FLOWS);
  });
});
