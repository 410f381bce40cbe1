import type { FlowFacts } from './flow-facts';
import type { ServiceGroups } from './service-groups';
import { identity, sortPermutation } from './sort';

/** Traffic per address over a selection of flows, indexed by interned address id. */
export class HostTotals {
  constructor(
    readonly packetsSent: Float64Array,
    readonly bytesSent: Float64Array,
    readonly packetsReceived: Float64Array,
    readonly bytesReceived: Float64Array,
    readonly flows: Float64Array,
    /** Flows in which the host was the server end, and the client end. */
    readonly serverFlows: Float64Array,
    readonly clientFlows: Float64Array,
    /** Distinct addresses the host talked to. */
    readonly peers: Uint32Array,
    /** Address ids with flows in the selection, by total bytes (descending), then address order. */
    readonly order: Uint32Array,
    /** Per address id, the first service group it served and the next group of the same host (-1 ends). */
    readonly firstGroup: Int32Array,
    readonly nextGroup: Int32Array,
  ) {}

  /** Service groups served by host `id`, by bytes (descending), then port. */
  services(groups: ServiceGroups, id: number): number[] {
    const out: number[] = [];
    for (let g = this.firstGroup[id]!; g >= 0; g = this.nextGroup[g]!) out.push(g);
    return out.sort((x, y) => groups.bytes[y]! - groups.bytes[x]! || (groups.portKey[x]! & 0xffff) - (groups.portKey[y]! & 0xffff));
  }
}

export function hostTotals(facts: FlowFacts, rows: Uint32Array, groups: ServiceGroups): HostTotals {
  const n = facts.addresses.size;
  const t = facts.state.flows;
  const ps = new Float64Array(n), bs = new Float64Array(n), pr = new Float64Array(n), br = new Float64Array(n), flows = new Float64Array(n);
  const asServer = new Float64Array(n), asClient = new Float64Array(n);
  // (host, peer) pairs, two per flow; distinct ones counted after a sort.
  const pairs = new Float64Array(2 * rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const a = facts.addrA[r]!, b = facts.addrB[r]!;
    asServer[facts.serverAddr(r)]++;
    asClient[facts.clientAddr(r)]++;
    pairs[2 * i] = a * 2 ** 26 + b;
    pairs[2 * i + 1] = b * 2 ** 26 + a;
    const pAB = t.packetsAB(r), bAB = t.bytesAB(r), pBA = t.packetsBA(r), bBA = t.bytesBA(r);
    ps[a] += pAB; bs[a] += bAB; pr[a] += pBA; br[a] += bBA;
    ps[b] += pBA; bs[b] += bBA; pr[b] += pAB; br[b] += bAB;
    flows[a]++;
    if (b !== a) flows[b]++;
  }
  const peers = new Uint32Array(n);
  const sorted = sortPermutation(identity(pairs.length), pairs, false);
  for (let i = 0, prev = -1; i < sorted.length; i++) {
    const pair = pairs[sorted[i]!]!;
    if (pair !== prev) peers[Math.floor(pair / 2 ** 26)]++;
    prev = pair;
  }
  let count = 0;
  for (let id = 0; id < n; id++) if (flows[id]! > 0) count++;
  let ids = new Uint32Array(count);
  count = 0;
  for (let id = 0; id < n; id++) if (flows[id]! > 0) ids[count++] = id;
  const keys = new Float64Array(count);
  const ranks = facts.addresses.ranks();
  for (let i = 0; i < count; i++) keys[i] = ranks[ids[i]!]!;
  ids = sortPermutation(ids, keys, false);
  for (let i = 0; i < count; i++) keys[i] = bs[ids[i]!]! + br[ids[i]!]!;
  ids = sortPermutation(ids, keys, true);
  const firstGroup = new Int32Array(n).fill(-1);
  const nextGroup = new Int32Array(groups.size).fill(-1);
  for (let g = groups.size - 1; g >= 0; g--) {
    const h = groups.host[g]!;
    nextGroup[g] = firstGroup[h]!;
    firstGroup[h] = g;
  }
  return new HostTotals(ps, bs, pr, br, flows, asServer, asClient, peers, ids, firstGroup, nextGroup);
}
