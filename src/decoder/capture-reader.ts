import { u32be } from './bytes';
import type { CaptureInfo, ReadOutcome, StopReason } from './capture-info';
import { emptyCaptureInfo, STOP_REASONS } from './capture-info';
import type { Framer, FramerContext } from './framer';
import { PacketRecord, type PacketSink } from './packet-record';
import { isPcapMagic, PcapFramer } from './pcap-framer';
import { BLOCK, PcapngFramer } from './pcapng-framer';

const MAGIC_LEN = 4;
const INITIAL_CARRY = 64 * 1024;

/**
 * Push-based capture reader: feed it chunks of any size (1 byte to many MiB) with push(),
 * then end(). It sniffs pcap or pcapng from the bytes, hands every packet record to the
 * sink, and never needs the whole file: only a record that straddles two chunks is copied,
 * into a reused buffer. Offsets are absolute and exact beyond 4 GiB (doubles to 2^53).
 */
export class CaptureReader implements FramerContext {
  readonly info: CaptureInfo = emptyCaptureInfo();
  readonly record = new PacketRecord();
  packets = 0;
  failed = false;
  private outcome: ReadOutcome | null = null;
  private framer: Framer | null = null;
  /** Bytes pushed so far: the absolute offset of the next chunk's first byte. */
  private streamPos = 0;
  private carry = new Uint8Array(INITIAL_CARRY);
  private carryLen = 0;
  /** Absolute offset of carry[0]. */
  private carryStart = 0;

  constructor(public sink: PacketSink) {}

  /** Forget everything and read a new stream (with a new sink, if given). */
  reset(sink?: PacketSink): void {
    if (sink) this.sink = sink;
    const fresh = emptyCaptureInfo();
    Object.assign(this.info, fresh);
    this.packets = 0;
    this.failed = false;
    this.outcome = null;
    this.framer = null;
    this.streamPos = 0;
    this.carryLen = 0;
    this.carryStart = 0;
    if (this.carry.length > INITIAL_CARRY * 16) this.carry = new Uint8Array(INITIAL_CARRY);
  }

  /** Bytes held for a record straddling chunks (bounded by the largest record a format allows). */
  get carryCapacity(): number {
    return this.carry.length;
  }

  /** Bytes consumed from the stream so far. */
  get position(): number {
    return this.streamPos;
  }

  /**
   * Continue reading at absolute offset `offset` (a record boundary found elsewhere), after
   * the header bytes were pushed. Used to read one part of a split file.
   */
  skipTo(offset: number): void {
    if (this.carryLen !== 0) throw new Error('skipTo() in the middle of a record');
    this.streamPos = offset;
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    if (this.failed || n === 0) {
      this.streamPos += n;
      return;
    }
    let p = 0;
    while (this.carryLen > 0) {
      const need = this.needed();
      const take = Math.min(need - this.carryLen, n - p);
      this.ensureCarry(this.carryLen + take);
      this.carry.set(chunk.subarray(p, p + take), this.carryLen);
      this.carryLen += take;
      p += take;
      if (this.carryLen < need) {
        this.streamPos += n;
        return;
      }
      const q = this.parse(this.carry, 0, this.carryLen, this.carryStart);
      if (!this.failed && q === 0 && this.needed() <= this.carryLen) {
        // A framer that neither consumes nor asks for more would spin forever: a bug, not input.
        throw new Error(`capture reader stalled at offset ${this.carryStart}`);
      }
      if (this.failed) {
        this.streamPos += n;
        return;
      }
      if (q >= this.carryLen) {
        this.carryLen = 0;
      } else if (q > 0) {
        this.carry.copyWithin(0, q, this.carryLen);
        this.carryLen -= q;
        this.carryStart += q;
      }
    }
    const base = this.streamPos;
    const q = this.parse(chunk, p, n, base);
    if (!this.failed && q < n) {
      this.ensureCarry(n - q);
      this.carry.set(chunk.subarray(q, n), 0);
      this.carryLen = n - q;
      this.carryStart = base + q;
    }
    this.streamPos += n;
  }

  /** Stop because the caller cancelled; what was read is kept. */
  cancel(): ReadOutcome {
    if (this.outcome === null) this.finish('cancelled', this.streamPos, null, null, 'reading was cancelled');
    this.failed = true;
    return this.outcome!;
  }

  /** The byte source failed (e.g. corrupt gzip): damage at the current position. */
  sourceFailed(reason: StopReason, detail: string): ReadOutcome {
    if (this.outcome === null) {
      this.failed = true;
      this.outcome = { status: 'damaged', offset: this.streamPos, record: this.packets + 1, reason,
        message: `${STOP_REASONS[reason]} (${detail})` };
    }
    return this.outcome;
  }

  /** The stream has ended: say how reading went. */
  end(): ReadOutcome {
    if (this.outcome !== null) return this.outcome;
    if (this.streamPos === 0) return this.finish('empty', null, null, null, 'the file is empty');
    if (this.framer === null) {
      return this.finish('not-a-capture', 0, null, 'not-a-capture', STOP_REASONS['not-a-capture']);
    }
    if (this.carryLen > 0) {
      const reason = this.framer.truncationReason();
      return this.finish('damaged', this.carryStart, this.packets + 1, reason,
        `${STOP_REASONS[reason]}: ${this.carryLen} bytes at the end do not form a whole record`);
    }
    return this.finish('complete', null, null, null, null);
  }

  fail(reason: StopReason, offset: number, detail?: string): void {
    if (this.failed) return;
    this.failed = true;
    const status = reason === 'not-a-capture' ? 'not-a-capture' : 'damaged';
    const message = detail ? `${STOP_REASONS[reason]} (${detail})` : STOP_REASONS[reason];
    this.outcome = { status, offset, record: reason === 'not-a-capture' ? null : this.packets + 1, reason, message };
    this.carryLen = 0;
  }

  private finish(status: ReadOutcome['status'], offset: number | null, record: number | null,
    reason: string | null, message: string | null): ReadOutcome {
    this.outcome = { status, offset, record, reason, message };
    return this.outcome;
  }

  private needed(): number {
    return this.framer === null ? MAGIC_LEN : this.framer.need;
  }

  private parse(buf: Uint8Array, off: number, end: number, base: number): number {
    if (this.framer === null) {
      if (end - off < MAGIC_LEN) return off;
      const magic = u32be(buf, off);
      if (isPcapMagic(magic)) this.framer = new PcapFramer(this);
      else if (magic === BLOCK.SHB) this.framer = new PcapngFramer(this);
      else {
        this.fail('not-a-capture', base + off);
        return off;
      }
    }
    return this.framer.parse(buf, off, end, base);
  }

  private ensureCarry(size: number): void {
    if (size <= this.carry.length) return;
    let cap = this.carry.length;
    while (cap < size) cap *= 2;
    const bigger = new Uint8Array(cap);
    bigger.set(this.carry.subarray(0, this.carryLen));
    this.carry = bigger;
  }
}
