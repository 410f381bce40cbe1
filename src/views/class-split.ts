import { portClass } from '../net/port-class';
import type { ClassCounts, PortClassName, Report } from '../schema/report';
import type { FlowFacts } from './flow-facts';

export type ClassSplit = Report['classes'] & { byClientRange: ClientRangeCounts };

/** Client ports by the OS ephemeral ranges they fit (see port-class.ts EPHEMERAL_RANGES). */
export const CLIENT_RANGES = [
  { id: 'below', label: 'below every OS range (0–32767)', first: 0, last: 32767 },
  { id: 'linux', label: 'Linux only (32768–49151)', first: 32768, last: 49151 },
  { id: 'both', label: 'Linux and IANA / Windows / BSD (49152–60999)', first: 49152, last: 60999 },
  { id: 'iana', label: 'IANA / Windows / BSD only (61000–65535)', first: 61000, last: 65535 },
] as const;
export type ClientRangeId = (typeof CLIENT_RANGES)[number]['id'];
export type ClientRangeCounts = Record<ClientRangeId, ClassCounts>;

function clientRange(port: number): number {
  return port < 32768 ? 0 : port < 49152 ? 1 : port < 61000 ? 2 : 3;
}

/** By server port: each flow once. By port: each flow once per distinct class of its two ports. */
export function classSplit(facts: FlowFacts, rows: Uint32Array): ClassSplit {
  const t = facts.state.flows;
  const server = new Float64Array(9);
  const any = new Float64Array(9);
  const client = new Float64Array(12);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const p = t.packetsAB(r) + t.packetsBA(r), b = t.bytesAB(r) + t.bytesBA(r);
    const cs = portClass(facts.serverPort(r));
    server[cs * 3] += p;
    server[cs * 3 + 1] += b;
    server[cs * 3 + 2]++;
    const cr = clientRange(facts.clientPort(r));
    client[cr * 3] += p;
    client[cr * 3 + 1] += b;
    client[cr * 3 + 2]++;
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
  const at = (c: number): ClassCounts => ({ packets: client[c * 3]!, bytes: client[c * 3 + 1]!, flows: client[c * 3 + 2]! });
  return { byServerPort: classCounts(server), byPort: classCounts(any), byClientRange: { below: at(0), linux: at(1), both: at(2), iana: at(3) } };
}

function classCounts(a: Float64Array): Record<PortClassName, ClassCounts> {
  const at = (c: number): ClassCounts => ({ packets: a[c * 3]!, bytes: a[c * 3 + 1]!, flows: a[c * 3 + 2]! });
  return { 'well-known': at(0), registered: at(1), ephemeral: at(2) };
}
