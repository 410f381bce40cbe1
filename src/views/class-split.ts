import { portClass } from '../net/port-class';
import type { ClassCounts, PortClassName, Report } from '../schema/report';
import type { FlowFacts } from './flow-facts';

export type ClassSplit = Report['classes'];

/** By server port: each flow once. By port: each flow once per distinct class of its two ports. */
export function classSplit(facts: FlowFacts, rows: Uint32Array): ClassSplit {
  const t = facts.state.flows;
  const server = new Float64Array(9);
  const any = new Float64Array(9);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const p = t.packetsAB(r) + t.packetsBA(r), b = t.bytesAB(r) + t.bytesBA(r);
    const cs = portClass(facts.serverPort(r));
    server[cs * 3] += p;
    server[cs * 3 + 1] += b;
    server[cs * 3 + 2]++;
    const ca = portClass(facts.portA[r]!), cb = portClass(facts.portB[r]!);
    any[ca * 3] += p;
    any[ca * 3 + 1] += b;
    any[ca * 3 + 2]++;
    if (cb !== ca) {
      any[cb * 3] += p;
      any[cb * 3 + 1] += b;
      any[cb * 3 + 2]++;
    }
  }
  return { byServerPort: classCounts(server), byPort: classCounts(any) };
}

function classCounts(a: Float64Array): Record<PortClassName, ClassCounts> {
  const at = (c: number): ClassCounts => ({ packets: a[c * 3]!, bytes: a[c * 3 + 1]!, flows: a[c * 3 + 2]! });
  return { 'well-known': at(0), registered: at(1), ephemeral: at(2) };
}
