import type { DBSchema } from 'idb';
import type { Report } from '../schema/report';

/** One saved analysis: the whole report plus what identifies its capture and the user's notes. */
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
  report: Report;
  /** Where the capture itself is kept, if the user asked: an OPFS file name. */
  capturePath: string | null;
  /** Small copy of headline numbers for the library list (no need to load reports to list). */
  summary: AnalysisSummary;
}

export interface AnalysisSummary {
  packets: number;
  bytes: number;
  flows: number;
  topServices: string[];
  ports: number[];
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
/** v1: analyses. v2: library indexes by name and size, user labels. */
export const DB_VERSION = 2;

export interface PortholeDB extends DBSchema {
  analyses: {
    key: string;
    value: SavedAnalysis;
    indexes: { 'by-fingerprint': string; 'by-saved': number; 'by-name': string; 'by-size': number };
  };
  labels: {
    key: string;
    value: UserLabel;
  };
}
