import type { FlowFacts } from './flow-facts';
import { sortPermutation } from './sort';

/** Clients listed per service (all are counted). */
export const CLIENTS_LISTED = 20;

/**
 * Flows of a selection grouped by their server end (host, protocol, port): what each host
 * exposed and how it answered (the best answer over its flows), with packets, bytes, times,
 * distinct clients and the payloads seen. Grouping is a radix sort by (host, port key), so a
 * million flows group in a few passes over typed arrays; each group's flows stay together (in
 * natural order) for the client list of a group someone looks at.
 */
export class ServiceGroups {
  host: Int32Array;
  portKey: Int32Array;
  flows: Float64Array;
  packets: Float64Array;
  bytes: Float64Array;
  state: Uint8Array;
  firstSeen: Float64Array;
  lastSeen: Float64Array;
  /** Bit per APP id seen in the group's payloads. */
  apps: Uint16Array;
  clients: Uint32Array;
  /** The selection's rows grouped: group g is members[start[g] .. start[g + 1]). */
  readonly members: Uint32Array;
  readonly start: Uint32Array;

  constructor(members: Uint32Array, start: Uint32Array) {
    const n = start.length - 1;
    this.members = members;
    this.start = start;
    this.host = new Int32Array(n);
    this.portKey = new Int32Array(n);
    this.flows = new Float64Array(n);
    this.packets = new Float64Array(n);
    this.bytes = new Float64Array(n);
    this.state = new Uint8Array(n);
    this.firstSeen = new Float64Array(n).fill(Infinity);
    this.lastSeen = new Float64Array(n).fill(-Infinity);
    this.apps = new Uint16Array(n);
    this.clients = new Uint32Array(n);
  }

  get size(): number {
    return this.start.length - 1;
  }

  /** Distinct clients of group g in flow order, up to `limit` (address ids). */
  clientIds(facts: FlowFacts, g: number, limit = CLIENTS_LISTED): number[] {
    const out: number[] = [];
    for (let i = this.start[g]!; i < this.start[g + 1]! && out.length < limit; i++) {
      const c = facts.clientAddr(this.members[i]!);
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
    const ranks = facts.addresses.ranks();
    for (let g = 0; g < n; g++) keys[g] = ranks[this.host[g]!]! * 131072 + this.portKey[g]!;
    return sortPermutation(ids, keys, false);
  }
}

export function serviceGroups(facts: FlowFacts, rows: Uint32Array): ServiceGroups {
  const t = facts.state.flows;
  const n = rows.length;
  const keys = new Float64Array(n);
  // Members: grouped by server end, in natural order inside each group (a stable sort).
  for (let i = 0; i < n; i++) keys[i] = groupKey(facts, rows[i]!);
  const members = sortPermutation(rows, keys, false);
  const starts: number[] = [];
  for (let i = 0, prev = -1; i < n; i++) {
    const k = groupKey(facts, members[i]!);
    if (k !== prev) starts.push(i);
    prev = k;
  }
  starts.push(n);
  const out = new ServiceGroups(members, Uint32Array.from(starts));
  for (let g = 0; g < out.size; g++) {
    const first = members[out.start[g]!]!;
    out.host[g] = facts.serverAddr(first);
    out.portKey[g] = facts.serverKey(first);
    for (let i = out.start[g]!; i < out.start[g + 1]!; i++) {
      const r = members[i]!;
      out.flows[g]++;
      out.packets[g] += t.packetsAB(r) + t.packetsBA(r);
      out.bytes[g] += t.bytesAB(r) + t.bytesBA(r);
      if (facts.attempt[r]! > out.state[g]!) out.state[g] = facts.attempt[r]!;
      if (t.firstTs(r) < out.firstSeen[g]!) out.firstSeen[g] = t.firstTs(r);
      if (t.lastTs(r) > out.lastSeen[g]!) out.lastSeen[g] = t.lastTs(r);
      if (facts.app[r]) out.apps[g] |= 1 << facts.app[r]!;
    }
  }
  // Distinct clients: sort each group's members by client (same group order), count changes.
  for (let i = 0; i < n; i++) keys[i] = facts.clientAddr(members[i]!);
  const byClient = sortPermutation(members, keys, false);
  for (let i = 0; i < n; i++) keys[i] = groupKey(facts, byClient[i]!);
  const grouped = sortPermutation(byClient, keys, false);
  for (let i = 0, g = -1, prevKey = -1, prevClient = -1; i < n; i++) {
    const r = grouped[i]!;
    const k = groupKey(facts, r);
    if (k !== prevKey) {
      g++;
      prevKey = k;
      prevClient = -1;
    }
    const c = facts.clientAddr(r);
    if (c !== prevClient) {
      out.clients[g]++;
      prevClient = c;
    }
  }
  return out;
}

/** (server address, server port key) as one number. */
function groupKey(facts: FlowFacts, r: number): number {
  return facts.serverAddr(r) * 131072 + facts.serverKey(r);
}
