import { grow, hashKey, RowIndex } from './row-index';

/**
 * Key words per flow: meta (tunnel chain << 16 | IP protocol << 8 | IP version), address A (4
 * words), address B (4 words), ports (A << 16 | B). A is the lower endpoint, so the key is the
 * same for both directions; IPv4 uses the first word of each address.
 */
export const FLOW_KEY = { META: 0, ADDR_A: 1, ADDR_B: 5, PORTS: 9, WIDTH: 10 } as const;

/** The key keeps 16 bits of tunnel chain: chains that need more (4 tunnels deep) share this id. */
export const TUNNEL_CHAIN_DEEP = 0xffff;

/** Handshake evidence per flow, relative to the key's A and B ends. */
export const HANDSHAKE = {
  A_SYN: 1, // A sent SYN without ACK
  B_SYN: 2,
  A_SYNACK: 4, // A sent SYN+ACK
  B_SYNACK: 8,
  A_RST: 16,
  B_RST: 32,
  /** An ICMP port unreachable came back for a datagram sent to A (or B). */
  A_UNREACH: 64,
  B_UNREACH: 128,
} as const;

const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;

/** Documented default cap: beyond it new flows are counted together as "other flows". */
export const DEFAULT_MAX_FLOWS = 16_000_000;
/** Distinct overflow flows counted exactly up to this many (the point of the cap is to stay small). */
const MAX_OVERFLOW_KEYS = 1_000_000;

/** What the table needs of a decoded IP layer (the outer packet or a tunnel's inner layer). */
export interface IpLayer {
  ipVersion: number;
  readonly addr: Uint32Array;
  l4: number;
  sport: number;
  dport: number;
  tcpFlags: number;
}

/** Numbers per flow row, interleaved (one 64-byte cache line per row): offsets in `num`. */
export const NUM = { PACKETS_AB: 0, BYTES_AB: 1, PACKETS_BA: 2, BYTES_BA: 3, FIRST_TS: 4, LAST_TS: 5, FIRST_FRAME: 6, LAST_FRAME: 7, STRIDE: 8 } as const;
/** Small fields per flow row, interleaved: offsets in `bits`. */
export const BITS = { FIRST_FROM_A: 0, FLAGS_AB: 1, FLAGS_BA: 2, HANDSHAKE: 3, STRIDE: 4 } as const;

/**
 * Conversations like `tshark -z conv,tcp`: one row per (protocol, unordered pair of endpoints),
 * counters per direction. A packet touches one row, so each row's fields sit together (an
 * array of structs in two typed arrays) and a packet costs a few cache lines, not a dozen.
 * The same table holds IP conversations without ports (ports 0). `absorb` merges exactly.
 */
export class FlowTable {
  readonly index = new RowIndex(FLOW_KEY.WIDTH, 1024, flowHash);
  /** Per row NUM.STRIDE doubles: packets and bytes each way, first/last time (epoch s; ±Infinity while no packet carried a time), first/last frame. */
  num = new Float64Array(1024 * NUM.STRIDE);
  /** Per row BITS.STRIDE bytes: first packet went A→B (1), TCP flags each way (OR), handshake evidence (HANDSHAKE bits). */
  bits = new Uint8Array(1024 * BITS.STRIDE);
  /** Packets and bytes of flows that arrived after the table was full. */
  overflowPackets = 0;
  overflowBytes = 0;
  overflowFlows = 0;
  readonly overflowIndex = new RowIndex(FLOW_KEY.WIDTH, 16, flowHash);
  /** The key of the last packet added (scratch, reused). */
  readonly key = new Uint32Array(FLOW_KEY.WIDTH);
  /** Whether the last packet keyed travelled from A to B. */
  fromA = false;

  constructor(readonly maxFlows = DEFAULT_MAX_FLOWS) {}

  get size(): number {
    return this.index.rows;
  }

  packetsAB(r: number): number { return this.num[r * NUM.STRIDE + NUM.PACKETS_AB]!; }
  bytesAB(r: number): number { return this.num[r * NUM.STRIDE + NUM.BYTES_AB]!; }
  packetsBA(r: number): number { return this.num[r * NUM.STRIDE + NUM.PACKETS_BA]!; }
  bytesBA(r: number): number { return this.num[r * NUM.STRIDE + NUM.BYTES_BA]!; }
  packets(r: number): number { return this.num[r * NUM.STRIDE + NUM.PACKETS_AB]! + this.num[r * NUM.STRIDE + NUM.PACKETS_BA]!; }
  bytes(r: number): number { return this.num[r * NUM.STRIDE + NUM.BYTES_AB]! + this.num[r * NUM.STRIDE + NUM.BYTES_BA]!; }
  firstTs(r: number): number { return this.num[r * NUM.STRIDE + NUM.FIRST_TS]!; }
  lastTs(r: number): number { return this.num[r * NUM.STRIDE + NUM.LAST_TS]!; }
  firstFrame(r: number): number { return this.num[r * NUM.STRIDE + NUM.FIRST_FRAME]!; }
  lastFrame(r: number): number { return this.num[r * NUM.STRIDE + NUM.LAST_FRAME]!; }
  firstFromA(r: number): number { return this.bits[r * BITS.STRIDE + BITS.FIRST_FROM_A]!; }
  tcpFlagsAB(r: number): number { return this.bits[r * BITS.STRIDE + BITS.FLAGS_AB]!; }
  tcpFlagsBA(r: number): number { return this.bits[r * BITS.STRIDE + BITS.FLAGS_BA]!; }
  handshake(r: number): number { return this.bits[r * BITS.STRIDE + BITS.HANDSHAKE]!; }

  /** Write the canonical key of a layer's flow into this.key and set this.fromA. */
  keyOf(p: IpLayer, chain: number): void {
    const key = this.key;
    const a = p.addr;
    const v = p.ipVersion;
    const sport = p.sport < 0 ? 0 : p.sport;
    const dport = p.dport < 0 ? 0 : p.dport;
    let cmp = 0;
    const words = v === 4 ? 1 : 4;
    for (let i = 0; i < words && cmp === 0; i++) cmp = a[i]! - a[i + 4]!;
    if (cmp === 0) cmp = sport - dport;
    const fromA = cmp <= 0;
    const s = fromA ? 0 : 4;
    const d = fromA ? 4 : 0;
    key[0] = ((chain << 16) | ((p.l4 & 0xff) << 8) | v) >>> 0;
    key[1] = a[s]!; key[2] = v === 4 ? 0 : a[s + 1]!; key[3] = v === 4 ? 0 : a[s + 2]!; key[4] = v === 4 ? 0 : a[s + 3]!;
    key[5] = a[d]!; key[6] = v === 4 ? 0 : a[d + 1]!; key[7] = v === 4 ? 0 : a[d + 2]!; key[8] = v === 4 ? 0 : a[d + 3]!;
    key[9] = fromA ? ((sport << 16) | dport) >>> 0 : ((dport << 16) | sport) >>> 0;
    this.fromA = fromA;
  }

  /**
   * Count one packet of a layer (ports -1 count as 0: IP conversations); returns its row, or
   * -1 beyond the cap. `ts` is ignored when `hasTime` is false.
   */
  add(p: IpLayer, chain: number, wireLen: number, ts: number, hasTime: boolean, frame: number): number {
    this.keyOf(p, chain);
    const key = this.key;
    const fromA = this.fromA;
    const hash = flowHash(key);
    let row = this.index.find(key, hash);
    if (row < 0) {
      if (this.index.rows >= this.maxFlows) {
        this.overflow(key, hash, 1, wireLen);
        return -1;
      }
      row = this.newRow(key, hash);
      this.num[row * NUM.STRIDE + NUM.FIRST_FRAME] = frame;
      this.bits[row * BITS.STRIDE + BITS.FIRST_FROM_A] = fromA ? 1 : 0;
    }
    const n = this.num;
    const o = row * NUM.STRIDE;
    if (fromA) {
      n[o + NUM.PACKETS_AB]++;
      n[o + NUM.BYTES_AB] += wireLen;
    } else {
      n[o + NUM.PACKETS_BA]++;
      n[o + NUM.BYTES_BA] += wireLen;
    }
    if (hasTime) {
      if (ts < n[o + NUM.FIRST_TS]!) n[o + NUM.FIRST_TS] = ts;
      if (ts > n[o + NUM.LAST_TS]!) n[o + NUM.LAST_TS] = ts;
    }
    n[o + NUM.LAST_FRAME] = frame;
    const flags = p.tcpFlags;
    if (flags >= 0 && p.l4 === 6) {
      const b = row * BITS.STRIDE;
      this.bits[b + (fromA ? BITS.FLAGS_AB : BITS.FLAGS_BA)] |= flags;
      if (flags & (TCP_SYN | TCP_RST)) this.bits[b + BITS.HANDSHAKE] |= handshakeBits(flags, fromA);
    }
    return row;
  }

  /**
   * Add every row of `other` (exact: sums, min/max of times and frames, OR of flags; the
   * orientation of the earlier first frame). Returns, per row of `other`, its row here (-1 when
   * it went to the overflow counters).
   */
  absorb(other: FlowTable): Int32Array {
    const map = new Int32Array(other.size);
    const w = FLOW_KEY.WIDTH;
    const key = this.key;
    const okeys = other.index.keys;
    for (let r = 0; r < other.size; r++) {
      for (let j = 0; j < w; j++) key[j] = okeys[r * w + j]!;
      const hash = flowHash(key);
      let row = this.index.find(key, hash);
      if (row < 0) {
        if (this.index.rows >= this.maxFlows) {
          this.overflow(key, hash, other.packets(r), other.bytes(r));
          map[r] = -1;
          continue;
        }
        row = this.newRow(key, hash);
        this.num[row * NUM.STRIDE + NUM.FIRST_FRAME] = Infinity;
      }
      map[r] = row;
      const n = this.num, on = other.num;
      const o = row * NUM.STRIDE, oo = r * NUM.STRIDE;
      n[o + NUM.PACKETS_AB] += on[oo + NUM.PACKETS_AB]!;
      n[o + NUM.BYTES_AB] += on[oo + NUM.BYTES_AB]!;
      n[o + NUM.PACKETS_BA] += on[oo + NUM.PACKETS_BA]!;
      n[o + NUM.BYTES_BA] += on[oo + NUM.BYTES_BA]!;
      if (on[oo + NUM.FIRST_TS]! < n[o + NUM.FIRST_TS]!) n[o + NUM.FIRST_TS] = on[oo + NUM.FIRST_TS]!;
      if (on[oo + NUM.LAST_TS]! > n[o + NUM.LAST_TS]!) n[o + NUM.LAST_TS] = on[oo + NUM.LAST_TS]!;
      const b = row * BITS.STRIDE, ob = r * BITS.STRIDE;
      if (on[oo + NUM.FIRST_FRAME]! < n[o + NUM.FIRST_FRAME]!) {
        n[o + NUM.FIRST_FRAME] = on[oo + NUM.FIRST_FRAME]!;
        this.bits[b + BITS.FIRST_FROM_A] = other.bits[ob + BITS.FIRST_FROM_A]!;
      }
      if (on[oo + NUM.LAST_FRAME]! > n[o + NUM.LAST_FRAME]!) n[o + NUM.LAST_FRAME] = on[oo + NUM.LAST_FRAME]!;
      this.bits[b + BITS.FLAGS_AB] |= other.bits[ob + BITS.FLAGS_AB]!;
      this.bits[b + BITS.FLAGS_BA] |= other.bits[ob + BITS.FLAGS_BA]!;
      this.bits[b + BITS.HANDSHAKE] |= other.bits[ob + BITS.HANDSHAKE]!;
    }
    this.overflowPackets += other.overflowPackets;
    this.overflowBytes += other.overflowBytes;
    // Overflow keys of both sides: count the distinct ones again (bounded).
    for (let r = 0; r < other.overflowIndex.rows; r++) {
      for (let j = 0; j < w; j++) key[j] = other.overflowIndex.keys[r * w + j]!;
      this.countOverflowKey(key, flowHash(key));
    }
    return map;
  }

  /** Frame numbers of a part read after `offset` packets of the same file. */
  shiftFrames(offset: number): void {
    for (let r = 0; r < this.size; r++) {
      this.num[r * NUM.STRIDE + NUM.FIRST_FRAME] += offset;
      this.num[r * NUM.STRIDE + NUM.LAST_FRAME] += offset;
    }
  }

  /** Take over saved rows (see state-codec): their keys were loaded into `index` already. */
  restore(num: Float64Array<ArrayBuffer>, bits: Uint8Array<ArrayBuffer>): void {
    this.num = num;
    this.bits = bits;
  }

  /** A new row for a key that `index.find` just missed. */
  private newRow(key: Uint32Array, hash: number): number {
    const row = this.index.insertAfterMiss(key, hash);
    // Each column on its own: after `restore` (exact lengths, possibly 0) they grow out of step.
    if ((row + 1) * NUM.STRIDE > this.num.length) this.num = grow(this.num, (row + 1) * NUM.STRIDE);
    if ((row + 1) * BITS.STRIDE > this.bits.length) this.bits = grow(this.bits, (row + 1) * BITS.STRIDE);
    this.num[row * NUM.STRIDE + NUM.FIRST_TS] = Infinity;
    this.num[row * NUM.STRIDE + NUM.LAST_TS] = -Infinity;
    return row;
  }

  private overflow(key: Uint32Array, hash: number, packets: number, bytes: number): void {
    this.overflowPackets += packets;
    this.overflowBytes += bytes;
    this.countOverflowKey(key, hash);
  }

  private countOverflowKey(key: Uint32Array, hash: number): void {
    if (this.overflowIndex.rows >= MAX_OVERFLOW_KEYS) return;
    this.overflowIndex.findOrInsert(key, hash);
    if (this.overflowIndex.isNew) this.overflowFlows++;
  }
}

/** Hash of a flow key: IPv4 keys use only their four meaningful words. */
export function flowHash(key: Uint32Array): number {
  if ((key[0]! & 0xff) !== 4) return hashKey(key, FLOW_KEY.WIDTH);
  let h = Math.imul(key[0]! ^ 0x811c9dc5, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ key[1]!, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ key[5]!, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ key[9]!, 0x9e3779b1);
  h ^= h >>> 15;
  // 30 bits: a small integer V8 never boxes when it crosses a call.
  return h & 0x3fffffff;
}

function handshakeBits(flags: number, fromA: boolean): number {
  let bits = 0;
  if (flags & TCP_SYN) {
    if (flags & TCP_ACK) bits |= fromA ? HANDSHAKE.A_SYNACK : HANDSHAKE.B_SYNACK;
    else bits |= fromA ? HANDSHAKE.A_SYN : HANDSHAKE.B_SYN;
  }
  if (flags & TCP_RST) bits |= fromA ? HANDSHAKE.A_RST : HANDSHAKE.B_RST;
  return bits;
}

/** Swap the A_* and B_* handshake bits (for the other orientation of a flow). */
export function swapHandshake(bits: number): number {
  return ((bits & 0x55) << 1) | ((bits & 0xaa) >>> 1);
}
