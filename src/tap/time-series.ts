import { portClass } from '../net/port-class';

/** Buckets kept at most; the width doubles (pairs merge) to stay under it. */
export const MAX_BUCKETS = 512;
/** Distinct ports remembered per bucket for the per-port series. */
export const PORTS_PER_BUCKET = 64;
/** Series slots: well-known, registered, ephemeral (by service port), and IP without ports. */
export const SERIES_CLASSES = 4;
export const NO_PORT_CLASS = 3;
/** Finest width: 2^-10 s (about a millisecond). */
const MIN_WIDTH_EXP = -10;

/**
 * Traffic over time, streaming: packets and bytes per class and per service port in buckets
 * of 2^k seconds aligned to the epoch, so parts of a capture merge exactly. The width starts
 * near a millisecond and doubles whenever the time span outgrows MAX_BUCKETS.
 */
export class TimeSeries {
  widthExp = MIN_WIDTH_EXP;
  /** Epoch bucket index of slot 0; meaningful once `used`. */
  startIndex = 0;
  used = false;
  /** Highest slot in use + 1. */
  slots = 0;
  readonly classPackets = new Float64Array(MAX_BUCKETS * SERIES_CLASSES);
  readonly classBytes = new Float64Array(MAX_BUCKETS * SERIES_CLASSES);
  /** Per bucket, PORTS_PER_BUCKET slots of key (proto << 16 | port), -1 when empty. */
  readonly portKeys = new Int32Array(MAX_BUCKETS * PORTS_PER_BUCKET).fill(-1);
  readonly portPackets = new Float64Array(MAX_BUCKETS * PORTS_PER_BUCKET);
  readonly portBytes = new Float64Array(MAX_BUCKETS * PORTS_PER_BUCKET);
  private scale = 2 ** -MIN_WIDTH_EXP;
  /** The last bucket index and its slot: most packets land in the bucket of the one before. */
  private lastIndex = NaN;
  private lastSlot = 0;

  /** An empty series whose buckets are 2^exp seconds wide. */
  static withWidth(exp: number): TimeSeries {
    const t = new TimeSeries();
    t.widthExp = exp;
    t.scale = 2 ** -exp;
    return t;
  }

  /** Take over a saved series (see state-codec); the arrays hold `slots` buckets. */
  restore(widthExp: number, startIndex: number, slots: number, classPackets: Float64Array, classBytes: Float64Array,
    portKeys: Int32Array, portPackets: Float64Array, portBytes: Float64Array): void {
    this.clear();
    this.widthExp = widthExp;
    this.scale = 2 ** -widthExp;
    this.startIndex = startIndex;
    this.used = slots > 0;
    this.slots = slots;
    this.lastIndex = NaN;
    this.classPackets.set(classPackets);
    this.classBytes.set(classBytes);
    this.portKeys.set(portKeys);
    this.portPackets.set(portPackets);
    this.portBytes.set(portBytes);
  }

  /** Count a packet; `servicePort` < 0 for IP traffic without ports. */
  add(ts: number, wireLen: number, proto: number, servicePort: number): void {
    const index = Math.floor(ts * this.scale);
    let slot: number;
    if (index === this.lastIndex) slot = this.lastSlot;
    else {
      slot = this.slotFor(index);
      // slotFor may have coarsened: remember the index at the width now in force.
      this.lastIndex = Math.floor(ts * this.scale);
      this.lastSlot = slot;
    }
    const cls = servicePort < 0 ? NO_PORT_CLASS : portClass(servicePort);
    const c = slot * SERIES_CLASSES + cls;
    this.classPackets[c]++;
    this.classBytes[c] += wireLen;
    if (servicePort >= 0) this.addPort(slot, (proto << 16) | servicePort, 1, wireLen);
  }

  /** Slot of an epoch bucket index at the current width, coarsening as needed. */
  slotFor(index: number): number {
    if (!this.used) {
      this.used = true;
      this.startIndex = index;
    }
    for (;;) {
      const rel = index - this.startIndex;
      if (rel >= 0 && rel < MAX_BUCKETS) {
        if (rel >= this.slots) this.slots = rel + 1;
        return rel;
      }
      if (rel < 0 && this.slots - rel <= MAX_BUCKETS) {
        this.shiftRight(-rel);
        continue;
      }
      this.coarsen();
      index = Math.floor(index / 2);
    }
  }

  addPort(slot: number, key: number, packets: number, bytes: number): void {
    const base = slot * PORTS_PER_BUCKET;
    let i = (Math.imul(key, 0x9e3779b1) >>> 26) & (PORTS_PER_BUCKET - 1);
    for (let probes = 0; probes < PORTS_PER_BUCKET; probes++) {
      const k = this.portKeys[base + i]!;
      if (k === key || k === -1) {
        this.portKeys[base + i] = key;
        this.portPackets[base + i] += packets;
        this.portBytes[base + i] += bytes;
        return;
      }
      i = (i + 1) & (PORTS_PER_BUCKET - 1);
    }
    // Bucket full: the class series still counts it; the per-port series omit it.
  }

  /** Add another series (e.g. of another part of the capture) into this one. */
  absorb(o: TimeSeries): void {
    if (!o.used) return;
    if (!this.used) {
      this.widthExp = o.widthExp;
      this.scale = o.scale;
    }
    while (this.widthExp < o.widthExp) this.coarsen();
    for (let s = 0; s < o.slots; s++) {
      let index = o.startIndex + s;
      for (let w = o.widthExp; w < this.widthExp; w++) index = Math.floor(index / 2);
      const slot = this.slotFor(index);
      for (let c = 0; c < SERIES_CLASSES; c++) {
        this.classPackets[slot * SERIES_CLASSES + c] += o.classPackets[s * SERIES_CLASSES + c];
        this.classBytes[slot * SERIES_CLASSES + c] += o.classBytes[s * SERIES_CLASSES + c];
      }
      for (let i = 0; i < PORTS_PER_BUCKET; i++) {
        const k = o.portKeys[s * PORTS_PER_BUCKET + i];
        if (k >= 0) this.addPort(slot, k, o.portPackets[s * PORTS_PER_BUCKET + i], o.portBytes[s * PORTS_PER_BUCKET + i]);
      }
    }
  }

  /** Double the width: bucket pairs merge, the start index halves. */
  coarsen(): void {
    this.lastIndex = NaN;
    if (!this.used) {
      this.widthExp++;
      this.scale = 2 ** -this.widthExp;
      return;
    }
    const oldStart = this.startIndex;
    const newStart = Math.floor(oldStart / 2);
    const oldSlots = this.slots;
    const cp = this.classPackets.slice(0, oldSlots * SERIES_CLASSES);
    const cb = this.classBytes.slice(0, oldSlots * SERIES_CLASSES);
    const pk = this.portKeys.slice(0, oldSlots * PORTS_PER_BUCKET);
    const pp = this.portPackets.slice(0, oldSlots * PORTS_PER_BUCKET);
    const pb = this.portBytes.slice(0, oldSlots * PORTS_PER_BUCKET);
    this.clear();
    this.widthExp++;
    this.scale = 2 ** -this.widthExp;
    this.startIndex = newStart;
    for (let s = 0; s < oldSlots; s++) {
      const slot = Math.floor((oldStart + s) / 2) - newStart;
      if (slot + 1 > this.slots) this.slots = slot + 1;
      for (let c = 0; c < SERIES_CLASSES; c++) {
        this.classPackets[slot * SERIES_CLASSES + c] += cp[s * SERIES_CLASSES + c]!;
        this.classBytes[slot * SERIES_CLASSES + c] += cb[s * SERIES_CLASSES + c]!;
      }
      for (let i = 0; i < PORTS_PER_BUCKET; i++) {
        const k = pk[s * PORTS_PER_BUCKET + i]!;
        if (k >= 0) this.addPort(slot, k, pp[s * PORTS_PER_BUCKET + i]!, pb[s * PORTS_PER_BUCKET + i]!);
      }
    }
  }

  private shiftRight(by: number): void {
    this.lastIndex = NaN;
    const n = this.slots;
    this.classPackets.copyWithin(by * SERIES_CLASSES, 0, n * SERIES_CLASSES);
    this.classBytes.copyWithin(by * SERIES_CLASSES, 0, n * SERIES_CLASSES);
    this.portKeys.copyWithin(by * PORTS_PER_BUCKET, 0, n * PORTS_PER_BUCKET);
    this.portPackets.copyWithin(by * PORTS_PER_BUCKET, 0, n * PORTS_PER_BUCKET);
    this.portBytes.copyWithin(by * PORTS_PER_BUCKET, 0, n * PORTS_PER_BUCKET);
    this.classPackets.fill(0, 0, by * SERIES_CLASSES);
    this.classBytes.fill(0, 0, by * SERIES_CLASSES);
    this.portKeys.fill(-1, 0, by * PORTS_PER_BUCKET);
    this.portPackets.fill(0, 0, by * PORTS_PER_BUCKET);
    this.portBytes.fill(0, 0, by * PORTS_PER_BUCKET);
    this.startIndex -= by;
    this.slots += by;
  }

  private clear(): void {
    this.classPackets.fill(0);
    this.classBytes.fill(0);
    this.portKeys.fill(-1);
    this.portPackets.fill(0);
    this.portBytes.fill(0);
    this.slots = 0;
  }
}
