import type { IDBPDatabase } from 'idb';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CaptureInfo } from '../../src/decoder/capture-info';
import {
  deleteAll, deleteAnalysis, describeStorageError, findByFingerprint, getAnalysis, getSavedState, listAnalyses, restoreAnalysis, saveAnalysis,
  StorageError, updateAnalysis, type LibraryItem,
} from '../../src/storage/library';
import { exportLibrary, ImportError, importLibrary, parseLibrary, type LibraryEntry } from '../../src/storage/library-file';
import { deleteLabel, listLabels, putLabel } from '../../src/storage/labels';
import { openPortholeDB } from '../../src/storage/open-db';
import type { LibrarySummary, PortholeDB, SavedAnalysis, SavedState, UserLabel } from '../../src/storage/schema';

export interface SaveRequest {
  /** The analysis state's bytes (from the worker). */
  state: ArrayBuffer;
  catalog: LibrarySummary;
  source: { name: string; size: number | null };
  capture: Pick<CaptureInfo, 'format'>;
  file: File | null;
  fingerprint: string;
  title: string;
  notes: string;
  filter: string;
  keepCapture: boolean;
  replaceId?: string;
}

const CAPTURE_DIR = 'captures';

/** The saved-analyses library for the page: IndexedDB through idb, captures in the Origin Private File System. */
export class StorageController implements ReactiveController {
  items: LibraryItem[] = [];
  labels = new Map<string, UserLabel>();
  usage: { used: number; quota: number; persisted: boolean } | null = null;
  /** Set when another tab upgraded the database: this tab must reload. */
  mustReload = false;
  blocked = false;
  private dbPromise: Promise<IDBPDatabase<PortholeDB>> | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.refresh().catch(() => undefined);
  }

  private db(): Promise<IDBPDatabase<PortholeDB>> {
    this.dbPromise ??= openPortholeDB({
      onVersionChange: () => {
        this.mustReload = true;
        this.dbPromise = null;
        this.host.requestUpdate();
      },
      onBlocked: () => {
        this.blocked = true;
        this.host.requestUpdate();
      },
    }).then((db) => {
      this.blocked = false;
      return db;
    });
    return this.dbPromise;
  }

  async refresh(): Promise<void> {
    const db = await this.db();
    this.items = await listAnalyses(db);
    this.labels = new Map((await listLabels(db)).map((l) => [l.key, l]));
    await this.updateUsage();
    this.host.requestUpdate();
  }

  private async updateUsage(): Promise<void> {
    if (!navigator.storage?.estimate) return;
    const e = await navigator.storage.estimate();
    const persisted = (await navigator.storage.persisted?.()) ?? false;
    this.usage = { used: e.usage ?? 0, quota: e.quota ?? 0, persisted };
  }

  async duplicatesOf(fingerprint: string): Promise<SavedAnalysis[]> {
    return findByFingerprint(await this.db(), fingerprint);
  }

  /** Resolves after the transaction committed; the capture (if kept) is written first. */
  async save(req: SaveRequest): Promise<SavedAnalysis> {
    const db = await this.db();
    let capturePath: string | null = null;
    if (req.keepCapture && req.file) capturePath = await this.keepCapture(req.file);
    try {
      const saved = await saveAnalysis(db, {
        title: req.title, notes: req.notes, fileName: req.source.name, fileSize: req.file?.size ?? req.source.size ?? 0,
        lastModified: req.file?.lastModified ?? null, format: req.capture.format, fingerprint: req.fingerprint,
        filter: req.filter, capturePath, summary: req.catalog,
      }, req.state, req.replaceId);
      void navigator.storage?.persist?.();
      await this.refresh();
      return saved;
    } catch (err) {
      if (capturePath) await this.removeCapture(capturePath);
      throw err;
    }
  }

  private async keepCapture(file: File): Promise<string> {
    try {
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle(CAPTURE_DIR, { create: true });
      const name = `${crypto.randomUUID()}`;
      const handle = await dir.getFileHandle(name, { create: true });
      const writable = await handle.createWritable();
      await file.stream().pipeTo(writable);
      return name;
    } catch (err) {
      throw new StorageError(`The capture could not be kept in this browser: ${describeStorageError(err)}`, err);
    }
  }

  async capture(item: Pick<SavedAnalysis, 'capturePath' | 'fileName' | 'lastModified'>): Promise<File | null> {
    if (!item.capturePath) return null;
    try {
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle(CAPTURE_DIR);
      const f = await (await dir.getFileHandle(item.capturePath)).getFile();
      return new File([f], item.fileName, { lastModified: item.lastModified ?? Date.now() });
    } catch {
      return null;
    }
  }

  private async removeCapture(path: string): Promise<void> {
    try {
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle(CAPTURE_DIR);
      await dir.removeEntry(path);
    } catch {
      // Already gone.
    }
  }

  async open(id: string): Promise<{ entry: SavedAnalysis; state: SavedState } | undefined> {
    const db = await this.db();
    const entry = await getAnalysis(db, id);
    const state = entry ? await getSavedState(db, id) : undefined;
    return entry && state ? { entry, state } : undefined;
  }

  async update(id: string, changes: { title?: string; notes?: string; filter?: string }): Promise<void> {
    await updateAnalysis(await this.db(), id, changes);
    await this.refresh();
  }

  /** Delete; returns a function that puts it back (undo). The kept capture is removed only when not undone. */
  async remove(id: string): Promise<() => Promise<void>> {
    const deleted = await deleteAnalysis(await this.db(), id);
    await this.refresh();
    return async () => {
      if (deleted) await restoreAnalysis(await this.db(), deleted);
      await this.refresh();
    };
  }

  async forget(entry: Pick<SavedAnalysis, 'capturePath'>): Promise<void> {
    if (entry.capturePath) await this.removeCapture(entry.capturePath);
  }

  async removeAll(): Promise<void> {
    const db = await this.db();
    const kept = (await listAnalyses(db)).map((i) => i.capturePath).filter((p): p is string => p !== null);
    await deleteAll(db);
    for (const p of kept) await this.removeCapture(p);
    await this.refresh();
  }

  async exportEntries(ids: string[] | null): Promise<string> {
    const db = await this.db();
    const wanted = ids ?? (await listAnalyses(db)).map((i) => i.id);
    const entries: LibraryEntry[] = [];
    for (const id of wanted) {
      const entry = await getAnalysis(db, id);
      const state = await getSavedState(db, id);
      if (entry && state) entries.push({ entry, state });
    }
    return exportLibrary(entries, ids === null ? await listLabels(db) : []);
  }

  async addLabel(address: string, proto: 'tcp' | 'udp', port: number, label: string): Promise<void> {
    await putLabel(await this.db(), address, proto, port, label);
    await this.refresh();
  }

  async removeLabel(key: string): Promise<void> {
    await deleteLabel(await this.db(), key);
    await this.refresh();
  }

  /**
   * Validate the whole file first, each analysis state included (`checkState`, in a worker);
   * nothing is written when anything is malformed.
   */
  async importFile(file: File, checkState: (bytes: ArrayBuffer) => Promise<void>): Promise<{ added: number; skipped: number }> {
    const contents = await parseLibrary(await file.text(), checkState);
    const result = await importLibrary(await this.db(), contents);
    await this.refresh();
    return result;
  }
}

export { ImportError, StorageError };
