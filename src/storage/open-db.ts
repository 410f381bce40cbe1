import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, DB_VERSION, type PortholeDB } from './schema';

export interface OpenOptions {
  name?: string;
  /** Another tab wants a newer schema: we closed our connection; the page should say "reload". */
  onVersionChange?: () => void;
  /** Our upgrade waits for another tab to close. */
  onBlocked?: () => void;
}

/**
 * Open (and migrate) the Porthole database. Migrations fall through from the version found
 * to the newest, so a database made by any older version upgrades step by step.
 */
export function openPortholeDB(options: OpenOptions = {}): Promise<IDBPDatabase<PortholeDB>> {
  return openDB<PortholeDB>(options.name ?? DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      switch (oldVersion) {
        case 0: {
          const analyses = db.createObjectStore('analyses', { keyPath: 'id' });
          analyses.createIndex('by-fingerprint', 'fingerprint');
          analyses.createIndex('by-saved', 'savedAt');
        }
        // falls through
        case 1: {
          const analyses = tx.objectStore('analyses');
          analyses.createIndex('by-name', 'fileName');
          analyses.createIndex('by-size', 'fileSize');
          db.createObjectStore('labels', { keyPath: 'key' });
        }
        // falls through
        case 2: {
          // Analyses move out of the list entries: the list loads light, states load on open.
          const states = db.createObjectStore('states', { keyPath: 'id' });
          const analyses = tx.objectStore('analyses');
          void analyses.openCursor().then(async function move(cursor): Promise<void> {
            if (!cursor) return;
            const { report, ...entry } = cursor.value as typeof cursor.value & { report?: unknown };
            if (report !== undefined) {
              await states.put({ id: entry.id, report: report as never });
              await cursor.update(entry);
            }
            return move(await cursor.continue());
          });
        }
        // falls through
        default:
          break;
      }
    },
    blocked() {
      options.onBlocked?.();
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      options.onVersionChange?.();
    },
  });
}
