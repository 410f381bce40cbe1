import { FLOW_KEY, flowHash, FlowTable, HANDSHAKE, type IpLayer } from './flow-table';
import { grow, RowIndex } from './row-index';

/** Distinct flows marked by ICMP port unreachables that are remembered (scans stay bounded). */
export const MAX_UNREACHABLE_MARKS = 1_000_000;

/**
 * ICMP port unreachables by the flow key of the datagram they quote (RFC 792, RFC 4443). Kept
 * apart from the flows and applied when views are computed, so neither packet order nor how
 * the capture was split decides whether the flow was seen before its ICMP error.
 */
export class MarkTable {
  readonly index = new RowIndex(FLOW_KEY.WIDTH, 16, flowHash);
  bits = new Uint8Array(16);
  /** Scratch for keying quoted datagrams. */
  private readonly keyer = new FlowTable(0);

  get size(): number {
    return this.index.rows;
  }

  /** The quoted datagram `inner` (source = the sender, destination = the closed port) was refused. */
  mark(inner: IpLayer): void {
    if (this.index.rows >= MAX_UNREACHABLE_MARKS) return;
    this.keyer.keyOf(inner, 0);
    this.set(this.keyer.key, this.keyer.fromA ? HANDSHAKE.B_UNREACH : HANDSHAKE.A_UNREACH);
  }

  absorb(other: MarkTable): void {
    const key = new Uint32Array(FLOW_KEY.WIDTH);
    for (let r = 0; r < other.size && this.index.rows < MAX_UNREACHABLE_MARKS; r++) {
      key.set(other.index.keys.subarray(r * FLOW_KEY.WIDTH, (r + 1) * FLOW_KEY.WIDTH));
      this.set(key, other.bits[r]!);
    }
  }

  set(key: Uint32Array, bits: number): void {
    const row = this.index.findOrInsert(key, flowHash(key));
    if (row >= this.bits.length) this.bits = grow(this.bits, row + 1);
    this.bits[row] |= bits;
  }
}
