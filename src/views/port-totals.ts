import { PORT_KEYS, portKey } from '../net/port-key';
import { identity, sortPermutation } from './sort';
import type { FlowFacts } from './flow-facts';

/**
 * Traffic per (protocol, port) over a selection of flows: every port a flow used counts the
 * flow once, with packets and bytes by direction, as server, and the distinct addresses on
 * the other end. Columns are indexed by position in `keys` (the port keys in use, ascending:
 * TCP ports, then UDP ports), so a small selection costs little.
 */
export class PortTotals {
  readonly packets: Float64Array;
  readonly bytes: Float64Array;
  readonly flows: Float64Array;
  readonly srcPackets: Float64Array;
  readonly srcBytes: Float64Array;
  readonly dstPackets: Float64Array;
  readonly dstBytes: Float64Array;
  readonly serverFlows: Float64Array;
  readonly serverPackets: Float64Array;
  readonly serverBytes: Float64Array;
  readonly peers: Uint32Array;

  constructor(readonly keys: Uint32Array) {
    const n = keys.length;
    this.packets = new Float64Array(n);
    this.bytes = new Float64Array(n);
    this.flows = new Float64Array(n);
    this.srcPackets = new Float64Array(n);
    this.srcBytes = new Float64Array(n);
    this.dstPackets = new Float64Array(n);
    this.dstBytes = new Float64Array(n);
    this.serverFlows = new Float64Array(n);
    this.serverPackets = new Float64Array(n);
    this.serverBytes = new Float64Array(n);
    this.peers = new Uint32Array(n);
  }

  /** Position of a port key, or -1. */
  indexOf(key: number): number {
    let lo = 0, hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid]!;
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** Position of each port key during one computation (-1: unused); reset after use. */
const slotOfKey = new Int32Array(PORT_KEYS).fill(-1);

export function portTotals(facts: FlowFacts, rows: Uint32Array): PortTotals {
  const t = facts.state.flows;
  const used: number[] = [];
  const mark = (k: number) => {
    if (slotOfKey[k] === -1) {
      slotOfKey[k] = 0;
      used.push(k);
    }
  };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    mark(portKey(facts.l4[r]!, facts.portA[r]!));
    mark(portKey(facts.l4[r]!, facts.portB[r]!));
  }
  const keys = Uint32Array.from(used).sort();
  for (let i = 0; i < keys.length; i++) slotOfKey[keys[i]!] = i;
  const out = new PortTotals(keys);
  // (port, peer address) pairs, two per flow; distinct ones counted after a sort.
  const pairs = new Float64Array(2 * rows.length);
  try {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const proto = facts.l4[r]!;
      const ka = slotOfKey[portKey(proto, facts.portA[r]!)]!;
      const kb = slotOfKey[portKey(proto, facts.portB[r]!)]!;
      const pAB = t.packetsAB(r), bAB = t.bytesAB(r), pBA = t.packetsBA(r), bBA = t.bytesBA(r);
      const p = pAB + pBA, b = bAB + bBA;
      out.packets[ka] += p;
      out.bytes[ka] += b;
      out.flows[ka]++;
      if (kb !== ka) {
        out.packets[kb] += p;
        out.bytes[kb] += b;
        out.flows[kb]++;
      }
      out.srcPackets[ka] += pAB;
      out.srcBytes[ka] += bAB;
      out.dstPackets[kb] += pAB;
      out.dstBytes[kb] += bAB;
      out.srcPackets[kb] += pBA;
      out.srcBytes[kb] += bBA;
      out.dstPackets[ka] += pBA;
      out.dstBytes[ka] += bBA;
      pairs[2 * i] = ka * 2 ** 32 + facts.addrB[r]!;
      pairs[2 * i + 1] = kb * 2 ** 32 + facts.addrA[r]!;
      const ks = facts.serverIsA[r] ? ka : kb;
      out.serverFlows[ks]++;
      out.serverPackets[ks] += p;
      out.serverBytes[ks] += b;
    }
  } finally {
    for (const k of used) slotOfKey[k] = -1;
  }
  const sorted = sortPermutation(identity(pairs.length), pairs, false);
  for (let i = 0, prev = -1; i < sorted.length; i++) {
    const pair = pairs[sorted[i]!]!;
    if (pair !== prev) out.peers[Math.floor(pair / 2 ** 32)]++;
    prev = pair;
  }
  return out;
}
