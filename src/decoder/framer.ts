import type { CaptureInfo, StopReason } from './capture-info';
import type { PacketRecord, PacketSink } from './packet-record';

/** What a framer shares with the reader that drives it. */
export interface FramerContext {
  readonly info: CaptureInfo;
  readonly record: PacketRecord;
  sink: PacketSink;
  /** Packets emitted so far; the framer increments it. */
  packets: number;
  /** Stop reading: the file is damaged at `offset` (absolute). */
  fail(reason: StopReason, offset: number, detail?: string): void;
  readonly failed: boolean;
}

/**
 * Cuts a byte stream into records. `parse` handles every complete unit in buf[off, end)
 * (buf[0] is at absolute offset `base`) and returns where it stopped; `need` is then the
 * number of bytes it requires at that point, always more than it was given.
 */
export interface Framer {
  need: number;
  parse(buf: Uint8Array, off: number, end: number, base: number): number;
  /** Why a stream that ends with `pending` unparsed bytes is incomplete. */
  truncationReason(): StopReason;
}

/** Wireshark refuses records above this (WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_PACKET_LEN = 262144;
