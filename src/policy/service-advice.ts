// Why a service should be reachable by few: the risky-services list of port intelligence, and
// remote administration, which belongs to the administrators' addresses only.
import { PORT_KEYS, portKey } from '../net/port-key';
import type { Finding } from '../schema/report';
import { RISKY_SERVICES } from '../views/intel/risky';

export interface ServiceAdvice {
  name: string;
  why: string;
  severity: Finding['severity'];
  /** Remote administration: allow it from the administrators' addresses only. */
  admin: boolean;
  /** On port intelligence's risky-services list (clear text, databases, ...). */
  risky: boolean;
}

const ADMIN_SERVICES: ReadonlyArray<{ proto: 'tcp' | 'udp'; ports: number[]; name: string }> = [
  { proto: 'tcp', ports: [22], name: 'SSH' },
  { proto: 'tcp', ports: [3389], name: 'RDP' },
  { proto: 'tcp', ports: [5985, 5986], name: 'WinRM' },
  { proto: 'tcp', ports: [5900, 5901], name: 'VNC' },
  { proto: 'tcp', ports: [23], name: 'Telnet' },
];
const ADMIN_WHY = "remote administration: allow it only from the administrators' addresses";

let table: Array<ServiceAdvice | null> | null = null;

/** Advice per port key (null: nothing to say). */
export function serviceAdvice(): Array<ServiceAdvice | null> {
  if (table) return table;
  const t = new Array<ServiceAdvice | null>(PORT_KEYS).fill(null);
  for (const r of RISKY_SERVICES) {
    for (const p of r.ports) t[portKey(r.proto === 'tcp' ? 6 : 17, p)] = { name: r.name, why: r.why, severity: r.severity, admin: false, risky: true };
  }
  for (const a of ADMIN_SERVICES) {
    for (const p of a.ports) {
      const k = portKey(a.proto === 'tcp' ? 6 : 17, p);
      const risky = t[k];
      t[k] = risky ? { ...risky, why: `${risky.why} ${ADMIN_WHY[0]!.toUpperCase()}${ADMIN_WHY.slice(1)}.`, admin: true }
        : { name: a.name, why: `${a.name} is ${ADMIN_WHY}.`, severity: 'medium', admin: true, risky: false };
    }
  }
  return (table = t);
}
