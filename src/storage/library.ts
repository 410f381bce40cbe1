import type { IDBPDatabase } from 'idb';
import type { Report } from '../schema/report';
import type { AnalysisSummary, PortholeDB, SavedAnalysis } from './schema';

export type NewAnalysis = Omit<SavedAnalysis, 'id' | 'savedAt' | 'summary'>;

export class StorageError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'StorageError';
  }
}

export function summarize(report: Report): AnalysisSummary {
  const services = new Map<string, number>();
  for (const f of report.flows) if (f.service) services.set(f.service, (services.get(f.service) ?? 0) + f.bytes);
  return {
    packets: report.totals.packets,
    bytes: report.totals.bytes,
    flows: report.flows.length,
    topServices: [...services.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s]) => s),
    ports: [...new Set(report.flows.map((f) => f.serverPort))].sort((a, b) => a - b).slice(0, 200),
  };
}

function newId(): string {
  return crypto.randomUUID();
}

/** Explain a failed write in words a user understands. */
export function describeStorageError(err: unknown): string {
  const name = (err as { name?: string })?.name;
  if (name === 'QuotaExceededError') return 'The browser has no more storage space for Porthole. Delete some saved analyses, or uncheck "keep the capture", and try again. Nothing was saved.';
  if (name === 'VersionError') return 'A newer version of Porthole is open in another tab. Reload this page.';
  if (name === 'InvalidStateError') return 'The database was closed (another tab is upgrading it). Reload this page.';
  return `The analysis could not be saved (${name ?? 'error'}: ${(err as Error)?.message ?? String(err)}). Nothing was saved.`;
}

/**
 * Save an analysis, or replace the entry `replaceId`. Resolves only after the transaction
 * committed; on failure nothing is written (the transaction aborts as a whole).
 */
export async function saveAnalysis(db: IDBPDatabase<PortholeDB>, entry: NewAnalysis, replaceId?: string): Promise<SavedAnalysis> {
  const saved: SavedAnalysis = { ...entry, id: replaceId ?? newId(), savedAt: Date.now(), summary: summarize(entry.report) };
  try {
    const tx = db.transaction('analyses', 'readwrite');
    await Promise.all([tx.store.put(saved), tx.done]);
  } catch (err) {
    throw new StorageError(describeStorageError(err), err);
  }
  return saved;
}

export async function findByFingerprint(db: IDBPDatabase<PortholeDB>, fingerprint: string): Promise<SavedAnalysis[]> {
  return db.getAllFromIndex('analyses', 'by-fingerprint', fingerprint);
}

export async function getAnalysis(db: IDBPDatabase<PortholeDB>, id: string): Promise<SavedAnalysis | undefined> {
  return db.get('analyses', id);
}

/** Everything but the reports, for the list (reports can be large). */
export type LibraryItem = Omit<SavedAnalysis, 'report'>;

export async function listAnalyses(db: IDBPDatabase<PortholeDB>): Promise<LibraryItem[]> {
  const out: LibraryItem[] = [];
  let cursor = await db.transaction('analyses').store.index('by-saved').openCursor(null, 'prev');
  while (cursor) {
    const { report: _report, ...item } = cursor.value;
    out.push(item);
    cursor = await cursor.continue();
  }
  return out;
}

export async function updateAnalysis(db: IDBPDatabase<PortholeDB>, id: string, changes: Partial<Pick<SavedAnalysis, 'title' | 'notes' | 'filter'>>): Promise<void> {
  const tx = db.transaction('analyses', 'readwrite');
  const entry = await tx.store.get(id);
  if (!entry) throw new StorageError('That saved analysis no longer exists.');
  await tx.store.put({ ...entry, ...changes });
  await tx.done;
}

export async function deleteAnalysis(db: IDBPDatabase<PortholeDB>, id: string): Promise<SavedAnalysis | undefined> {
  const tx = db.transaction('analyses', 'readwrite');
  const entry = await tx.store.get(id);
  await tx.store.delete(id);
  await tx.done;
  return entry;
}

/** Put back an entry exactly as it was (undo of a delete). */
export async function restoreAnalysis(db: IDBPDatabase<PortholeDB>, entry: SavedAnalysis): Promise<void> {
  const tx = db.transaction('analyses', 'readwrite');
  await Promise.all([tx.store.put(entry), tx.done]);
}

export async function deleteAll(db: IDBPDatabase<PortholeDB>): Promise<void> {
  const tx = db.transaction(['analyses', 'labels'], 'readwrite');
  await Promise.all([tx.objectStore('analyses').clear(), tx.objectStore('labels').clear(), tx.done]);
}

/** Sort and search for the library view: by date, name or size; search title, file name, port or service. */
export function queryLibrary(items: LibraryItem[], search: string, sort: 'date' | 'name' | 'size'): LibraryItem[] {
  const q = search.trim().toLowerCase();
  const matches = (i: LibraryItem) => {
    if (!q) return true;
    if (i.title.toLowerCase().includes(q) || i.fileName.toLowerCase().includes(q) || i.notes.toLowerCase().includes(q)) return true;
    if (/^\d+$/.test(q) && i.summary.ports.includes(Number(q))) return true;
    return i.summary.topServices.some((s) => s.toLowerCase() === q || s.toLowerCase().includes(q));
  };
  const sorted = items.filter(matches);
  if (sort === 'name') sorted.sort((a, b) => a.title.localeCompare(b.title) || a.fileName.localeCompare(b.fileName));
  else if (sort === 'size') sorted.sort((a, b) => b.fileSize - a.fileSize);
  else sorted.sort((a, b) => b.savedAt - a.savedAt);
  return sorted;
}
