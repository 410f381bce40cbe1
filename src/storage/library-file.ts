import type { IDBPDatabase } from 'idb';
import * as v from 'valibot';
import { Report } from '../schema/report';
import type { PortholeDB, SavedAnalysis, SavedState, UserLabel } from './schema';

export const LIBRARY_FORMAT = 'porthole-library';
/** v1: analyses with their reports. v2: analyses with their states (base64). Both are read. */
export const LIBRARY_VERSION = 2;
/** Refuse files larger than this outright (before parsing). */
export const MAX_LIBRARY_BYTES = 512 * 1024 * 1024;

const text = v.pipe(v.string(), v.maxLength(100_000));
const num = v.pipe(v.number(), v.finite());
const LibrarySummarySchema = v.object({
  packets: num, bytes: num, flows: num,
  topServices: v.pipe(v.array(text), v.maxLength(1000)),
  ports: v.pipe(v.array(num), v.maxLength(10_000)),
});
const EntryFields = {
  id: text, title: text, notes: text, fileName: text, fileSize: num, lastModified: v.nullable(num), format: v.nullable(text),
  fingerprint: text, savedAt: num, filter: text, capturePath: v.nullable(text), summary: LibrarySummarySchema,
};
const Label = v.strictObject({ key: text, address: text, proto: v.picklist(['tcp', 'udp']), port: num, label: text, createdAt: num });
const LibraryFileV1 = v.strictObject({
  format: v.literal(LIBRARY_FORMAT), version: v.literal(1), exportedAt: num,
  analyses: v.pipe(v.array(v.strictObject({ ...EntryFields, report: Report })), v.maxLength(100_000)),
  labels: v.optional(v.pipe(v.array(Label), v.maxLength(100_000))),
});
const LibraryFileV2 = v.strictObject({
  format: v.literal(LIBRARY_FORMAT), version: v.literal(2), exportedAt: num,
  analyses: v.pipe(v.array(v.strictObject({
    ...EntryFields,
    /** The state's bytes, base64; or, for an analysis saved before states, its report. */
    state: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]*={0,2}$/))),
    report: v.optional(Report),
  })), v.maxLength(100_000)),
  labels: v.pipe(v.array(Label), v.maxLength(100_000)),
});

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** An entry with its analysis, as export and import move them. */
export interface LibraryEntry {
  entry: SavedAnalysis;
  state: SavedState;
}

export interface LibraryContents {
  analyses: LibraryEntry[];
  labels: UserLabel[];
}

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): ArrayBuffer {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out.buffer;
}

/** A library file: entries and their analyses (captures themselves stay in this browser), and the labels. */
export function exportLibrary(entries: LibraryEntry[], labels: UserLabel[] = []): string {
  return JSON.stringify({
    format: LIBRARY_FORMAT, version: LIBRARY_VERSION, exportedAt: Date.now(),
    analyses: entries.map(({ entry, state }) => ({
      ...entry, capturePath: null, ...(state.state ? { state: toBase64(state.state) } : { report: state.report }),
    })),
    labels,
  });
}

/**
 * Parse and check a library file completely before anything is written: its structure, and
 * each analysis state through `checkState` (which throws when the bytes are not a valid state).
 */
export async function parseLibrary(text: string, checkState: (bytes: ArrayBuffer) => Promise<void> | void): Promise<LibraryContents> {
  if (text.length > MAX_LIBRARY_BYTES) throw new ImportError('This file is too large to be a Porthole library.');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportError('This is not a Porthole library file: it is not valid JSON.');
  }
  const version = (data as { version?: unknown })?.version;
  const parsed = v.safeParse(version === 1 ? LibraryFileV1 : LibraryFileV2, data);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue.path?.map((p) => p.key).join('.') ?? 'the file';
    throw new ImportError(`This is not a valid Porthole library file (${where}: ${issue.message}). Nothing was imported.`);
  }
  const out: LibraryEntry[] = [];
  for (const a of parsed.output.analyses) {
    const { state: b64, report, ...entry } = a as typeof a & { state?: string; report?: Report };
    if (b64 === undefined && report === undefined) throw new ImportError(`The analysis "${entry.title}" has no data. Nothing was imported.`);
    let state: SavedState;
    if (b64 !== undefined) {
      const bytes = fromBase64(b64);
      try {
        await checkState(bytes.slice(0));
      } catch (err) {
        throw new ImportError(`The analysis "${entry.title}" is damaged (${err instanceof Error ? err.message : String(err)}). Nothing was imported.`);
      }
      state = { id: entry.id, state: bytes };
    } else state = { id: entry.id, report: report as Report };
    out.push({ entry: entry as SavedAnalysis, state });
  }
  return { analyses: out, labels: parsed.output.labels ?? [] };
}

export interface ImportResult {
  added: number;
  skipped: number;
}

/** Add entries not already present (same id, or same capture saved at the same moment); all or nothing. */
export async function importLibrary(db: IDBPDatabase<PortholeDB>, contents: LibraryContents): Promise<ImportResult> {
  const tx = db.transaction(['analyses', 'states', 'labels'], 'readwrite');
  for (const l of contents.labels) await tx.objectStore('labels').put(l);
  const analyses = tx.objectStore('analyses');
  let added = 0;
  let skipped = 0;
  for (const { entry, state } of contents.analyses) {
    const same = await analyses.get(entry.id);
    const twins = same ? [] : await analyses.index('by-fingerprint').getAll(entry.fingerprint);
    if (same || twins.some((t) => t.savedAt === entry.savedAt)) {
      skipped++;
      continue;
    }
    await analyses.put(entry);
    await tx.objectStore('states').put(state);
    added++;
  }
  await tx.done;
  return { added, skipped };
}
