import { APP, recognize } from '../net/payload-signatures';
import { grow } from './row-index';
import { StringTable } from './string-table';

/** Data packets looked at per flow before giving up (bounded work, no reassembly). */
export const PACKETS_INSPECTED = 4;
const PER_SLOT = PACKETS_INSPECTED;

/**
 * Per flow row: the first data packets whose payload was looked at (frame, what it showed, the
 * name it carried), up to the first one recognized or PACKETS_INSPECTED of them. Keeping the
 * frames, not just the verdict, makes merging exact for any split of the packets: the merged
 * flow looks at the earliest PACKETS_INSPECTED data packets of both sides, as one read would.
 * Flows without payload cost one byte.
 */
export class PayloadTable {
  /** Entries recorded per flow row (0..PACKETS_INSPECTED). */
  count = new Uint8Array(1024);
  /** Slot of the flow's entries in the pool plus one, 0 when none (so new rows need no fill). */
  private slot1 = new Int32Array(1024);
  slots = 0;
  frames = new Float64Array(PER_SLOT * 64);
  apps = new Uint8Array(PER_SLOT * 64);
  /** Name id in `names` (TLS SNI, HTTP Host, SSH banner), -1 for none. */
  nameIds = new Int32Array(PER_SLOT * 64);
  readonly names = new StringTable();

  /** Look at one packet's payload [off, end) of flow `row`, frame `frame`. */
  inspect(row: number, frame: number, b: Uint8Array, off: number, end: number, udp: boolean): void {
    if (row >= this.count.length) this.ensureRows(row + 1);
    const n = this.count[row]!;
    if (n >= PACKETS_INSPECTED || off >= end) return;
    let s = this.slot1[row]! - 1;
    if (s < 0) s = this.assignSlot(row);
    else if (this.apps[s * PER_SLOT + n - 1] !== APP.NONE) return;
    const r = recognize(b, off, end, udp);
    const e = s * PER_SLOT + n;
    this.frames[e] = frame;
    this.apps[e] = r.app;
    this.nameIds[e] = r.name === null ? -1 : this.names.id(r.name);
    this.count[row] = n + 1;
  }

  /** Record a recognized payload directly (a verdict kept elsewhere, e.g. in an older report). */
  record(row: number, frame: number, app: number, name: string | null): void {
    if (row >= this.count.length) this.ensureRows(row + 1);
    let s = this.slot1[row]! - 1;
    if (s < 0) s = this.assignSlot(row);
    this.frames[s * PER_SLOT] = frame;
    this.apps[s * PER_SLOT] = app;
    this.nameIds[s * PER_SLOT] = name === null ? -1 : this.names.id(name);
    this.count[row] = 1;
  }

  /** What the payload of a flow showed (APP.NONE when nothing was recognized). */
  app(row: number): number {
    const n = row < this.count.length ? this.count[row]! : 0;
    return n === 0 ? APP.NONE : this.apps[(this.slot1[row]! - 1) * PER_SLOT + n - 1]!;
  }

  /** The name the recognized payload carried, or null. */
  name(row: number): string | null {
    const n = row < this.count.length ? this.count[row]! : 0;
    if (n === 0) return null;
    const e = (this.slot1[row]! - 1) * PER_SLOT + n - 1;
    return this.apps[e] === APP.NONE ? null : this.names.text(this.nameIds[e]!);
  }

  /** Merge another table; `rowMap[r]` is where the other table's flow row r went here (-1: dropped). */
  absorb(other: PayloadTable, rowMap: Int32Array): void {
    const frames = new Float64Array(2 * PER_SLOT);
    const apps = new Uint8Array(2 * PER_SLOT);
    const nameIds = new Int32Array(2 * PER_SLOT);
    for (let r = 0; r < Math.min(other.count.length, rowMap.length); r++) {
      const on = other.count[r]!;
      const t = rowMap[r]!;
      if (on === 0 || t < 0) continue;
      if (t >= this.count.length) this.ensureRows(t + 1);
      let s = this.slot1[t]! - 1;
      if (s < 0) s = this.assignSlot(t);
      const tn = this.count[t]!;
      // Merge both lists by frame, stopping at the first recognized payload.
      let i = 0, j = 0, k = 0;
      const os = other.slotOf(r) * PER_SLOT;
      while (k < PER_SLOT && (i < tn || j < on)) {
        const takeThis = j >= on || (i < tn && this.frames[s * PER_SLOT + i]! <= other.frames[os + j]!);
        if (takeThis) {
          const e = s * PER_SLOT + i++;
          frames[k] = this.frames[e]!; apps[k] = this.apps[e]!; nameIds[k] = this.nameIds[e]!;
        } else {
          const e = os + j++;
          frames[k] = other.frames[e]!; apps[k] = other.apps[e]!;
          nameIds[k] = other.nameIds[e]! < 0 ? -1 : this.names.id(other.names.text(other.nameIds[e]!)!);
        }
        if (apps[k++] !== APP.NONE) break;
      }
      for (let e = 0; e < k; e++) {
        this.frames[s * PER_SLOT + e] = frames[e]!;
        this.apps[s * PER_SLOT + e] = apps[e]!;
        this.nameIds[s * PER_SLOT + e] = nameIds[e]!;
      }
      this.count[t] = k;
    }
  }

  shiftFrames(offset: number): void {
    for (let e = 0; e < this.slots * PER_SLOT; e++) this.frames[e] += offset;
  }

  ensureRows(rows: number): void {
    if (rows <= this.count.length) return;
    this.count = grow(this.count, rows);
    this.slot1 = grow(this.slot1, rows);
  }

  /** Slot of a flow's entries in the pool, -1 when none. */
  slotOf(row: number): number {
    return row < this.slot1.length ? this.slot1[row]! - 1 : -1;
  }

  /** Take over saved per-row counts and slots (-1: none) for `rows` rows (see state-codec). */
  restoreRows(count: Uint8Array, slot: Int32Array): void {
    this.ensureRows(count.length);
    this.count.set(count);
    for (let r = 0; r < slot.length; r++) this.slot1[r] = slot[r]! + 1;
  }

  private assignSlot(row: number): number {
    const s = this.newSlot();
    this.slot1[row] = s + 1;
    return s;
  }

  private newSlot(): number {
    const s = this.slots++;
    if ((s + 1) * PER_SLOT > this.frames.length) {
      this.frames = grow(this.frames, (s + 1) * PER_SLOT);
      this.apps = grow(this.apps, (s + 1) * PER_SLOT);
      const old = this.nameIds;
      this.nameIds = new Int32Array(this.frames.length);
      this.nameIds.set(old);
    }
    return s;
  }
}
