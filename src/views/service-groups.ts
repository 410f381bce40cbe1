import { hashKey, RowIndex } from '../tap/row-index';
import type { FlowFacts } from './flow-facts';
import { sortPermutation } from './sort';

/** Clients listed per service (all are counted). */
export const CLIENTS_LISTED = 20;

/**
 * Flows of a selection grouped by their server end (host, protocol, port): what each host
 * exposed and how it answered (the best answer over its flows), with packets, bytes, times,
 * distinct clients and the payloads seen. Each group keeps a chain of its flows, so the
 * client list of a group someone looks at is made only then.
 */
export class ServiceGroups {
  readonly index = new RowIndex(2, 1024);
  host = new Int32Array(0);
  portKey = new Int32Array(0);
  flows = new Float64Array(0);
  packets = new Float64Array(0);
  bytes = new Float64Array(0);
  state = new Uint8Array(0);
  firstSeen = new Float64Array(0);
  lastSeen = new Float64Array(0);
  /** Bit per APP id seen in the group's payloads. */
  apps = new Uint16Array(0);
  clients = new Uint32Array(0);
  /** First flow row of the group, and per flow row the next row of its group (-1 ends). */
  firstFlow = new Int32Array(0);
  nextFlow = new Int32Array(0);

  get size(): number {
    return this.index.rows;
  }

  /** Distinct clients of group g in flow order, up to `limit` (address ids). */
  clientIds(facts: FlowFacts, g: number, limit = CLIENTS_LISTED): number[] {
    const out: number[] = [];
    for (let r = this.firstFlow[g]!; r >= 0 && out.length < limit; r = this.nextFlow[r]!) {
      const c = facts.clientAddr(r);
      if (!out.includes(c)) out.push(c);
    }
    return out;
  }

  /** Groups ordered by host address, then TCP before UDP, then port. */
  byHostAndPort(facts: FlowFacts): Uint32Array {
    const n = this.size;
    const ids = new Uint32Array(n);
    for (let g = 0; g < n; g++) ids[g] = g;
    const keys = new Float64Array(n);
    for (let g = 0; g < n; g++) keys[g] = this.portKey[g]!;
    const byPort = sortPermutation(ids, keys, false);
    const ranks = facts.addresses.ranks();
    for (let i = 0; i < n; i++) keys[i] = ranks[this.host[byPort[i]!]!]!;
    return sortPermutation(byPort, keys, false);
  }
}

export function serviceGroups(facts: FlowFacts, rows: Uint32Array): ServiceGroups {
  const g = new ServiceGroups();
  const t = facts.state.flows;
  const key = new Uint32Array(2);
  const clientPairs = new RowIndex(2, 1024);
  let cap = 0;
  const lastFlow: number[] = [];
  g.nextFlow = new Int32Array(facts.size).fill(-1);
  const ensure = (n: number) => {
    if (n <= cap) return;
    cap = Math.max(1024, cap * 2, n);
    const grow = <T extends Float64Array | Int32Array | Uint8Array | Uint16Array | Uint32Array>(a: T, fill = 0): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      if (fill) b.fill(fill as never);
      b.set(a as never);
      return b;
    };
    g.host = grow(g.host); g.portKey = grow(g.portKey); g.flows = grow(g.flows); g.packets = grow(g.packets); g.bytes = grow(g.bytes);
    g.state = grow(g.state); g.firstSeen = grow(g.firstSeen); g.lastSeen = grow(g.lastSeen); g.apps = grow(g.apps);
    g.clients = grow(g.clients); g.firstFlow = grow(g.firstFlow);
  };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    key[0] = facts.serverAddr(r);
    key[1] = facts.serverKey(r);
    const id = g.index.findOrInsert(key, hashKey(key, 2));
    if (g.index.isNew) {
      ensure(id + 1);
      g.host[id] = key[0];
      g.portKey[id] = key[1];
      g.firstSeen[id] = Infinity;
      g.lastSeen[id] = -Infinity;
      g.firstFlow[id] = r;
      lastFlow[id] = r;
    } else {
      g.nextFlow[lastFlow[id]!] = r;
      lastFlow[id] = r;
    }
    g.flows[id]++;
    g.packets[id] += t.packetsAB[r]! + t.packetsBA[r]!;
    g.bytes[id] += t.bytesAB[r]! + t.bytesBA[r]!;
    if (facts.attempt[r]! > g.state[id]!) g.state[id] = facts.attempt[r]!;
    if (t.firstTs[r]! < g.firstSeen[id]!) g.firstSeen[id] = t.firstTs[r]!;
    if (t.lastTs[r]! > g.lastSeen[id]!) g.lastSeen[id] = t.lastTs[r]!;
    if (facts.app[r]) g.apps[id] |= 1 << facts.app[r]!;
    key[0] = id;
    key[1] = facts.clientAddr(r);
    clientPairs.findOrInsert(key, hashKey(key, 2));
    if (clientPairs.isNew) g.clients[id]++;
  }
  return g;
}
