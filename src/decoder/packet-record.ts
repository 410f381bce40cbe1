/**
 * One packet record as the reader hands it to its sink. A single instance is reused for
 * every packet: the sink must copy what it keeps before returning.
 */
export class PacketRecord {
  /** The buffer holding the frame; the frame is bytes[offset, offset + caplen). */
  bytes: Uint8Array = new Uint8Array(0);
  offset = 0;
  caplen = 0;
  /** Original (wire) length, Wireshark's frame.len. */
  origLen = 0;
  linkType = 0;
  /**
   * The link type of the bytes [offset, offset + caplen): linkType, except for ERF records, whose
   * stripped header names their payload (Ethernet, raw IPv4, raw IPv6). Pass this to decodeFrame.
   */
  payloadLinkType = 0;
  /** File-wide interface id (0 for pcap). */
  interfaceId = 0;
  /** Timestamp: whole seconds since the epoch and nanoseconds within that second. */
  tsSec = 0;
  tsNs = 0;
  /** Decimal digits the capture's timestamp resolution carries (6 for µs pcap). */
  tsDigits = 6;
  /**
   * False for records that carry no timestamp (pcapng Simple Packet Blocks): tsSec/tsNs are then 0
   * and mean nothing. Skip such records for first/last time, durations and time series; tshark
   * shows no time for them.
   */
  hasTime = true;
  /** 1-based frame number. */
  number = 0;
  /** Absolute byte offset of the record (header included) in the decompressed stream. */
  fileOffset = 0;
}

export interface PacketSink {
  packet(record: PacketRecord): void;
}
