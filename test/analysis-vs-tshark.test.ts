// Flows and ports of every fixture against expected.json (made from tshark's conversation tables).
import { describe, expect, it } from 'vitest';
import type { FlowRecord, PortRecord } from '../src/schema/report';
import { analyzeFile } from './helpers/analyze';
import { listFixtures } from './helpers/fixtures';

function flowKey(f: { proto: string; a: string; aPort: number; b: string; bPort: number; packetsAB: number; bytesAB: number; packetsBA: number; bytesBA: number }): string {
  let ea = `${f.a}|${f.aPort}`, eb = `${f.b}|${f.bPort}`;
  let ab = [f.packetsAB, f.bytesAB], ba = [f.packetsBA, f.bytesBA];
  if (eb < ea) [ea, eb, ab, ba] = [eb, ea, ba, ab];
  if (ea === eb) [ab, ba] = [ab, ba].sort();
  return JSON.stringify([f.proto, ea, eb, ab, ba]);
}

describe('flows and ports agree with tshark', () => {
  it.each(listFixtures().map((f) => [f.set, f.name, f] as const))('%s/%s', async (_set, _name, f) => {
    const { report: full } = await analyzeFile(f.path);
    // Flows inside tunnels are extra rows (marked `tunnel`), checked against tshark's conv tables in tunnel-conversations.test.ts.
    const report = { ...full, flows: full.flows.filter((x) => !x.tunnel), ports: full.ports.filter((x) => !x.tunnel) };
    const exp = f.expected;
    expect(report.flows.map(flowKey).sort()).toEqual(exp.flows.map(flowKey).sort());
    const portKey = (p: PortRecord | any) => JSON.stringify([p.proto, p.port, p.packets, p.bytes, p.flows, p.asSource, p.asDestination]);
    expect(report.ports.map((p) => portKey({ ...p, asSource: { packets: p.asSource.packets, bytes: p.asSource.bytes }, asDestination: { packets: p.asDestination.packets, bytes: p.asDestination.bytes } }))).toEqual(exp.ports.map(portKey));
    // a is the source of the first packet, and flows come by protocol then first packet.
    const orient = (x: FlowRecord | any) => JSON.stringify([x.proto, x.a, x.aPort, x.firstPacket]);
    expect(report.flows.map(orient)).toEqual(exp.flows.map(orient));
    expect(report.totals.packets).toBe(exp.totals.packets);
    expect(report.totals.bytes).toBe(exp.totals.bytes);
    expect(report.totals.flows).toEqual(exp.totals.flows);
  });
});
