// Metadata a capture file declares about itself, kept for `porthole info` and the report.

export type CaptureFormat = 'pcap' | 'pcapng';
export type ByteOrder = 'little' | 'big';

export interface TimestampResolution {
  /** 10 for a power of ten, 2 for a power of two (pcapng if_tsresol). */
  base: 10 | 2;
  /** Units are base^-exponent seconds. */
  exponent: number;
}

export interface SectionInfo {
  index: number;
  offset: number;
  byteOrder: ByteOrder;
  version: string;
  comments: string[];
  hardware: string | null;
  os: string | null;
  application: string | null;
}

export interface InterfaceInfo {
  /** Position among all interfaces of the file (Wireshark's frame.interface_id). */
  id: number;
  section: number;
  /** Position inside its section (what EPBs refer to). */
  sectionIf: number;
  linkType: number;
  linkTypeName: string;
  snaplen: number;
  tsResolution: TimestampResolution;
  /** if_tsoffset: seconds added to every timestamp. */
  tsOffsetSec: number;
  name: string | null;
  description: string | null;
  os: string | null;
  hardware: string | null;
  filter: string | null;
  comments: string[];
  packets: number;
  bytes: number;
}

export interface CaptureInfo {
  format: CaptureFormat | null;
  gzip: boolean;
  /** pcap: the file header's fields. */
  byteOrder: ByteOrder | null;
  version: string | null;
  sections: SectionInfo[];
  interfaces: InterfaceInfo[];
  /** pcapng blocks walked (all types). */
  blocks: number;
}

/** How reading ended. */
export type ReadStatus = 'complete' | 'damaged' | 'not-a-capture' | 'empty' | 'cancelled';

export interface ReadOutcome {
  status: ReadStatus;
  /** Where reading stopped (absolute byte offset in the decompressed stream), for damage. */
  offset: number | null;
  /** 1-based number of the record that could not be read, for damage. */
  record: number | null;
  /** Machine-readable reason code (see STOP_REASONS). */
  reason: string | null;
  /** The reason in words a user understands. */
  message: string | null;
}

/** Container problems that stop reading, and what they mean to a user. */
export const STOP_REASONS = {
  'not-a-capture': 'the file does not start with a pcap or pcapng header',
  'truncated-header': 'the file ends inside its header',
  'truncated-record': 'the file ends in the middle of a packet record (it was cut short)',
  'record-too-large': 'a packet record claims a length larger than any real packet',
  'bad-block-length': 'a pcapng block has an impossible length',
  'block-trailer-mismatch': 'a pcapng block\'s trailing length differs from its leading length',
  'unknown-interface': 'a packet refers to an interface that was never described',
  'bad-section-header': 'a pcapng section header is malformed',
  'packet-beyond-block': 'a packet\'s captured length runs past the end of its block',
  'packet-too-short': 'a packet is too short to hold the pseudo-header its link type requires',
  'gzip-error': 'the gzip compression is damaged or cut short',
  'missing-section-header': 'pcapng data does not start with a section header',
} as const;

export type StopReason = keyof typeof STOP_REASONS;

export function emptyCaptureInfo(): CaptureInfo {
  return { format: null, gzip: false, byteOrder: null, version: null, sections: [], interfaces: [], blocks: 0 };
}
