import type { DBSchema } from 'idb';
import type { Report } from '../schema/report';

/** One saved analysis: what identifies its capture, the user's notes, and a small catalog for the list. */
export interface SavedAnalysis {
  id: string;
  title: string;
  notes: string;
  fileName: string;
  fileSize: number;
  /** File.lastModified (ms since the epoch), when known. */
  lastModified: number | null;
  format: string | null;
  /** SHA-256 of size + first and last MiB of the capture. */
  fingerprint: string;
  /** ms since the epoch. */
  savedAt: number;
  filter: string;
  /** Where the capture itself is kept, if the user asked: an OPFS file name. */
  capturePath: string | null;
  /** Headline numbers, services and ports for listing and searching without loading the analysis. */
  summary: LibrarySummary;
}

export interface LibrarySummary {
  packets: number;
  bytes: number;
  flows: number;
  /** Services the capture's servers offered, by bytes (up to 200). */
  topServices: string[];
  /** Server ports, ascending (up to 1000). */
  ports: number[];
}

/**
 * The analysis itself, kept apart from the list entry so listing never loads it: the state's
 * bytes (see tap/state-codec), or, for analyses saved before states existed, the report.
 */
export interface SavedState {
  id: string;
  state?: ArrayBuffer;
  report?: Report;
}

/** A user's name for a service at host:port (applied to every analysis where it appears). */
export interface UserLabel {
  key: string;
  address: string;
  proto: 'tcp' | 'udp';
  port: number;
  label: string;
  createdAt: number;
}

export const DB_NAME = 'porthole';
/** v1: analyses. v2: library indexes by name and size, user labels. v3: analyses' states in their own store. */
export const DB_VERSION = 3;

export interface PortholeDB extends DBSchema {
  analyses: {
    key: string;
    value: SavedAnalysis;
    indexes: { 'by-fingerprint': string; 'by-saved': number; 'by-name': string; 'by-size': number };
  };
  states: {
    key: string;
    value: SavedState;
  };
  labels: {
    key: string;
    value: UserLabel;
  };
}
