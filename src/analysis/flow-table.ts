import type { DecodedPacket } from '../decoder/decoded-packet';
import { grow, hashKey, RowIndex } from './row-index';

/** Key words per flow: meta (proto << 8 | ip version), address A (4), address B (4), ports (A << 16 | B). */
export const FLOW_KEY = { META: 0, ADDR_A: 1, ADDR_B: 5, PORTS: 9, WIDTH: 10 } as const;

/** Handshake evidence per flow, for deciding which end is the server. */
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

/** Distinct flows marked by ICMP port unreachables that are remembered (scans stay bounded). */
const MAX_UNREACHABLE_MARKS = 1_000_000;

/** Documented default cap: beyond it new flows are counted together as "other flows". */
export const DEFAULT_MAX_FLOWS = 4_000_000;

/**
 * TCP/UDP conversations like `tshark -z conv,tcp`: one row per (protocol, unordered pair of
 * address:port endpoints). The key is canonical (lower endpoint first) and each packet adds
 * to the direction it travels. Columns are typed arrays that double when full.
 */
export class FlowTable {
  readonly index = new RowIndex(FLOW_KEY.WIDTH, 1024, flowHash);
  packetsAB = new Float64Array(1024);
  bytesAB = new Float64Array(1024);
  packetsBA = new Float64Array(1024);
  bytesBA = new Float64Array(1024);
  firstTs = new Float64Array(1024);
  lastTs = new Float64Array(1024);
  firstFrame = new Float64Array(1024);
  lastFrame = new Float64Array(1024);
  /** 1 when the first packet went from A to B. */
  firstFromA = new Uint8Array(1024);
  tcpFlagsAB = new Uint8Array(1024);
  tcpFlagsBA = new Uint8Array(1024);
  handshake = new Uint8Array(1024);
  /** Packets and bytes of flows that arrived after the table was full. */
  overflowPackets = 0;
  overflowBytes = 0;
  overflowFlows = 0;
  private readonly key = new Uint32Array(FLOW_KEY.WIDTH);
  private readonly overflowIndex = new RowIndex(FLOW_KEY.WIDTH, 16, flowHash);

  constructor(readonly maxFlows = DEFAULT_MAX_FLOWS) {}

  get size(): number {
    return this.index.rows;
  }

  /** Write the canonical key of the packet's flow into this.key; true when it travels from A to B. */
  private keyOf(p: DecodedPacket): boolean {
    const key = this.key;
    const a = p.addr;
    const v = p.ipVersion;
    // Compare source and destination endpoints to put the lower one first.
    let cmp = 0;
    const words = v === 4 ? 1 : 4;
    for (let i = 0; i < words && cmp === 0; i++) cmp = a[i]! - a[i + 4]!;
    if (cmp === 0) cmp = p.sport - p.dport;
    const fromA = cmp <= 0;
    const s = fromA ? 0 : 4;
    const d = fromA ? 4 : 0;
    key[0] = (p.l4 << 8) | v;
    key[1] = a[s]!; key[2] = v === 4 ? 0 : a[s + 1]!; key[3] = v === 4 ? 0 : a[s + 2]!; key[4] = v === 4 ? 0 : a[s + 3]!;
    key[5] = a[d]!; key[6] = v === 4 ? 0 : a[d + 1]!; key[7] = v === 4 ? 0 : a[d + 2]!; key[8] = v === 4 ? 0 : a[d + 3]!;
    key[9] = fromA ? ((p.sport << 16) | p.dport) >>> 0 : ((p.dport << 16) | p.sport) >>> 0;
    return fromA;
  }

  /**
   * An ICMP port unreachable quoted datagram `inner` (source = the sender, destination = the
   * closed port). Kept as a mark on the flow's key, applied when the report is built, so the
   * result does not depend on packet order or on how the file was split across workers.
   */
  markUnreachable(inner: DecodedPacket): void {
    const fromA = this.keyOf(inner);
    const marks = this.unreachable;
    if (marks.rows >= MAX_UNREACHABLE_MARKS) return;
    const row = marks.findOrInsert(this.key, flowHash(this.key));
    if (row >= this.unreachableBits.length) this.unreachableBits = grow(this.unreachableBits, row + 1);
    this.unreachableBits[row] |= fromA ? HANDSHAKE.B_UNREACH : HANDSHAKE.A_UNREACH;
  }

  /** Flow keys that ICMP port unreachables quoted, with the A/B_UNREACH bits. */
  readonly unreachable = new RowIndex(FLOW_KEY.WIDTH, 16, flowHash);
  unreachableBits = new Uint8Array(16);

  /** Count one packet of a decoded TCP/UDP datagram with ports; returns its row (-1 beyond the cap). */
  add(p: DecodedPacket, wireLen: number, ts: number, frame: number): number {
    const fromA = this.keyOf(p);
    const key = this.key;
    const hash = flowHash(key);
    let row = this.index.find(key, hash);
    if (row < 0) {
      if (this.index.rows >= this.maxFlows) {
        this.overflow(key, hash, wireLen);
        return -1;
      }
      row = this.index.findOrInsert(key, hash);
      this.ensure(row + 1);
      this.firstTs[row] = ts;
      this.firstFrame[row] = frame;
      this.firstFromA[row] = fromA ? 1 : 0;
    }
    if (fromA) {
      this.packetsAB[row]++;
      this.bytesAB[row] += wireLen;
    } else {
      this.packetsBA[row]++;
      this.bytesBA[row] += wireLen;
    }
    if (ts < this.firstTs[row]!) this.firstTs[row] = ts;
    if (ts > this.lastTs[row]!) this.lastTs[row] = ts;
    this.lastFrame[row] = frame;
    const flags = p.tcpFlags;
    if (flags >= 0) {
      if (fromA) this.tcpFlagsAB[row] |= flags;
      else this.tcpFlagsBA[row] |= flags;
      if (flags & (TCP_SYN | TCP_RST)) this.handshake[row] |= handshakeBits(flags, fromA);
    }
    return row;
  }

  private overflow(key: Uint32Array, hash: number, wireLen: number): void {
    this.overflowPackets++;
    this.overflowBytes += wireLen;
    // Count distinct overflow flows only up to a bound: the point is to stay small.
    if (this.overflowIndex.rows < 1_000_000) {
      this.overflowIndex.findOrInsert(key, hash);
      if (this.overflowIndex.isNew) this.overflowFlows++;
    }
  }

  private ensure(rows: number): void {
    if (rows <= this.packetsAB.length) return;
    this.packetsAB = grow(this.packetsAB, rows);
    this.bytesAB = grow(this.bytesAB, rows);
    this.packetsBA = grow(this.packetsBA, rows);
    this.bytesBA = grow(this.bytesBA, rows);
    this.firstTs = grow(this.firstTs, rows);
    this.lastTs = grow(this.lastTs, rows);
    this.firstFrame = grow(this.firstFrame, rows);
    this.lastFrame = grow(this.lastFrame, rows);
    this.firstFromA = grow(this.firstFromA, rows);
    this.tcpFlagsAB = grow(this.tcpFlagsAB, rows);
    this.tcpFlagsBA = grow(this.tcpFlagsBA, rows);
    this.handshake = grow(this.handshake, rows);
  }
}

/** Hash of a flow key: IPv4 keys use only their four non-zero words. */
export function flowHash(key: Uint32Array): number {
  if ((key[0] & 0xff) !== 4) return hashKey(key, FLOW_KEY.WIDTH);
  let h = Math.imul(key[0] ^ 0x811c9dc5, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ key[1], 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ key[5], 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ key[9], 0x9e3779b1);
  h ^= h >>> 15;
  return h >>> 0;
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

