import type { IDBPDatabase } from 'idb';
import type { PortholeDB, SavedAnalysis, SavedState } from './schema';

export type NewAnalysis = Omit<SavedAnalysis, 'id' | 'savedAt'>;

export class StorageError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'StorageError';
  }
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
export async function saveAnalysis(db: IDBPDatabase<PortholeDB>, entry: NewAnalysis, state: ArrayBuffer, replaceId?: string): Promise<SavedAnalysis> {
  const saved: SavedAnalysis = { ...entry, id: replaceId ?? newId(), savedAt: Date.now() };
  try {
    const tx = db.transaction(['analyses', 'states'], 'readwrite');
    await Promise.all([tx.objectStore('analyses').put(saved), tx.objectStore('states').put({ id: saved.id, state }), tx.done]);
  } catch (err) {
    throw new StorageError(describeStorageError(err), err);
  }
  return saved;
}

/** The analysis of an entry: its state's bytes, or the report an older version saved. */
export async function getSavedState(db: IDBPDatabase<PortholeDB>, id: string): Promise<SavedState | undefined> {
  return db.get('states', id);
}

export async function findByFingerprint(db: IDBPDatabase<PortholeDB>, fingerprint: string): Promise<SavedAnalysis[]> {
  return db.getAllFromIndex('analyses', 'by-fingerprint', fingerprint);
}

export async function getAnalysis(db: IDBPDatabase<PortholeDB>, id: string): Promise<SavedAnalysis | undefined> {
  return db.get('analyses', id);
}

/** A list entry (the analyses themselves live in the states store). */
export type LibraryItem = SavedAnalysis;

export async function listAnalyses(db: IDBPDatabase<PortholeDB>): Promise<LibraryItem[]> {
  return (await db.getAllFromIndex('analyses', 'by-saved')).reverse();
}

export async function updateAnalysis(db: IDBPDatabase<PortholeDB>, id: string, changes: Partial<Pick<SavedAnalysis, 'title' | 'notes' | 'filter'>>): Promise<void> {
  const tx = db.transaction('analyses', 'readwrite');
  const entry = await tx.store.get(id);
  if (!entry) throw new StorageError('That saved analysis no longer exists.');
  await tx.store.put({ ...entry, ...changes });
  await tx.done;
}

/** A deleted entry with its analysis, to put back on undo. */
export interface Deleted {
  entry: SavedAnalysis;
  state: SavedState | undefined;
}

export async function deleteAnalysis(db: IDBPDatabase<PortholeDB>, id: string): Promise<Deleted | undefined> {
  const tx = db.transaction(['analyses', 'states'], 'readwrite');
  const entry = await tx.objectStore('analyses').get(id);
  const state = await tx.objectStore('states').get(id);
  await tx.objectStore('analyses').delete(id);
  await tx.objectStore('states').delete(id);
  await tx.done;
  return entry ? { entry, state } : undefined;
}

/** Put back an entry exactly as it was (undo of a delete). */
export async function restoreAnalysis(db: IDBPDatabase<PortholeDB>, deleted: Deleted): Promise<void> {
  const tx = db.transaction(['analyses', 'states'], 'readwrite');
  const puts = [tx.objectStore('analyses').put(deleted.entry)];
  if (deleted.state) puts.push(tx.objectStore('states').put(deleted.state));
  await Promise.all([...puts, tx.done]);
}

/** Every saved analysis (labels stay: they belong to hosts, not to analyses). */
export async function deleteAll(db: IDBPDatabase<PortholeDB>): Promise<void> {
  const tx = db.transaction(['analyses', 'states'], 'readwrite');
  await Promise.all([tx.objectStore('analyses').clear(), tx.objectStore('states').clear(), tx.done]);
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
