import type { IDBPDatabase } from 'idb';
import { REPORT_SCHEMA_VERSION } from '../schema/report';
import type { PortholeDB, SavedAnalysis, UserLabel } from './schema';
import { summarize } from './library';
import { validate, ValidationError, type Shape } from './validate';

export const LIBRARY_FORMAT = 'porthole-library';
export const LIBRARY_VERSION = 1;
/** Refuse files larger than this outright (before parsing). */
export const MAX_LIBRARY_BYTES = 512 * 1024 * 1024;

const S = 'string' as const, N = 'number' as const, B = 'boolean' as const;
const nullable = (s: Shape): Shape => ({ oneOf: [s, 'null'] });
const counts: Shape = { object: { packets: N, bytes: N } };
const classCounts: Shape = { object: { packets: N, bytes: N, flows: N } };
const classes: Shape = { object: { 'well-known': classCounts, registered: classCounts, ephemeral: classCounts } };
const proto: Shape = { oneOf: [{ literal: 'tcp' }, { literal: 'udp' }] };
const portClass: Shape = { oneOf: [{ literal: 'well-known' }, { literal: 'registered' }, { literal: 'ephemeral' }] };
const role: Shape = { oneOf: ['syn', 'syn-ack', 'service-name', 'port-class', 'peer-count', 'lower-port'].map((l) => ({ literal: l })) };

const flow: Shape = { object: {
  proto, ipVersion: { oneOf: [{ literal: 4 }, { literal: 6 }] }, a: S, aPort: N, b: S, bPort: N,
  packetsAB: N, bytesAB: N, packetsBA: N, bytesBA: N, packets: N, bytes: N, firstPacket: N, lastPacket: N,
  start: N, end: N, duration: N, tcpFlagsAB: nullable(N), tcpFlagsBA: nullable(N), handshake: N,
  app: nullable({ oneOf: ['tls', 'http', 'ssh', 'dns', 'smtp', 'ftp', 'pop3', 'imap', 'quic'].map((l) => ({ literal: l })) }), appName: nullable(S),
  appVerdict: { oneOf: [{ literal: 'confirmed' }, { literal: 'different' }, { literal: 'unknown' }] },
  server: { oneOf: [{ literal: 'a' }, { literal: 'b' }] }, serverPort: N, clientPort: N, role, service: nullable(S),
  serviceDescription: nullable(S), class: portClass, clientPortClass: portClass, clientPortRanges: { array: S, max: 4 },
} };
const port: Shape = { object: {
  proto, port: N, service: nullable(S), serviceDescription: nullable(S), class: portClass, packets: N, bytes: N, flows: N,
  asSource: counts, asDestination: counts, asServer: classCounts, peers: N,
} };
const report: Shape = { object: {
  schemaVersion: { literal: REPORT_SCHEMA_VERSION },
  generator: { object: { name: { literal: 'porthole' }, version: S } },
  source: { object: { name: S, size: nullable(N) } },
  capture: 'unknown',
  read: { object: { status: S, offset: nullable(N), record: nullable(N), reason: nullable(S), message: nullable(S) } },
  decode: 'unknown',
  totals: { object: { packets: N, bytes: N, ipPackets: N, ipBytes: N, flows: { object: { tcp: N, udp: N } }, firstTime: nullable(N), lastTime: nullable(N), duration: N } },
  classes: { object: { byServerPort: classes, byPort: classes } },
  ports: { array: port },
  flows: { array: flow },
  ipConversations: 'unknown',
  hosts: 'unknown',
  otherFlows: 'unknown',
  timeSeries: 'unknown',
  intel: 'unknown',
  unreachable: { array: { array: { oneOf: [S, N] }, max: 5 }, max: 1_000_000 },
  warnings: { array: S, max: 10_000 },
  filter: nullable(S),
} };
const summary: Shape = { object: { packets: N, bytes: N, flows: N, topServices: { array: S, max: 50 }, ports: { array: N, max: 1000 } } };
const entry: Shape = { object: {
  id: S, title: S, notes: S, fileName: S, fileSize: N, lastModified: nullable(N), format: nullable(S), fingerprint: S,
  savedAt: N, filter: S, report, capturePath: nullable(S), summary,
} };
const label: Shape = { object: { key: S, address: S, proto, port: N, label: S, createdAt: N } };
const libraryFile: Shape = { object: {
  format: { literal: LIBRARY_FORMAT }, version: { literal: LIBRARY_VERSION }, exportedAt: N, analyses: { array: entry, max: 100_000 },
  labels: { array: label, max: 100_000 },
}, optional: ['labels'] };

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

export function exportLibrary(entries: SavedAnalysis[], labels: UserLabel[] = []): string {
  // The capture files themselves stay in this browser; the file carries the analyses and labels.
  return JSON.stringify({ format: LIBRARY_FORMAT, version: LIBRARY_VERSION, exportedAt: Date.now(), analyses: entries.map((e) => ({ ...e, capturePath: null })), labels });
}

export interface LibraryContents {
  analyses: SavedAnalysis[];
  labels: UserLabel[];
}

/** Parse and check a library file completely before anything is written. */
export function parseLibraryFile(text: string): SavedAnalysis[] {
  return parseLibrary(text).analyses;
}

export function parseLibrary(text: string): LibraryContents {
  if (text.length > MAX_LIBRARY_BYTES) throw new ImportError('This file is too large to be a Porthole library.');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportError('This is not a Porthole library file: it is not valid JSON.');
  }
  try {
    validate(data, libraryFile);
  } catch (e) {
    if (e instanceof ValidationError) throw new ImportError(`This is not a valid Porthole library file (${e.message}). Nothing was imported.`);
    throw e;
  }
  const d = data as { analyses: SavedAnalysis[]; labels?: UserLabel[] };
  return { analyses: d.analyses.map((a) => ({ ...a, summary: summarize(a.report) })), labels: d.labels ?? [] };
}

export interface ImportResult {
  added: number;
  skipped: number;
}

/** Add entries not already present (same id, or same capture saved at the same moment); all or nothing. */
export async function importLibrary(db: IDBPDatabase<PortholeDB>, entries: SavedAnalysis[], labels: UserLabel[] = []): Promise<ImportResult> {
  const all = db.transaction(['analyses', 'labels'], 'readwrite');
  for (const l of labels) await all.objectStore('labels').put(l);
  const tx = { store: all.objectStore('analyses'), done: all.done };
  let added = 0;
  let skipped = 0;
  for (const e of entries) {
    const same = await tx.store.get(e.id);
    const twins = same ? [] : await tx.store.index('by-fingerprint').getAll(e.fingerprint);
    if (same || twins.some((t) => t.savedAt === e.savedAt)) {
      skipped++;
      continue;
    }
    await tx.store.put(e);
    added++;
  }
  await tx.done;
  return { added, skipped };
}
