// The storage module against fake-indexeddb (the real-browser tests cover real IndexedDB).
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/schema/report';
import {
  deleteAll, deleteAnalysis, findByFingerprint, getAnalysis, listAnalyses, queryLibrary, restoreAnalysis, saveAnalysis, updateAnalysis,
  type NewAnalysis,
} from '../src/storage/library';
import { exportLibrary, ImportError, importLibrary, parseLibraryFile } from '../src/storage/library-file';
import { openPortholeDB } from '../src/storage/open-db';
import { analyzeFile } from './helpers/analyze';
import { CAPTURES } from './helpers/fixtures';

let report: Report;
let n = 0;
const dbName = () => `porthole-test-${++n}`;
const entry = (over: Partial<NewAnalysis> = {}): NewAnalysis => ({
  title: 'loopback', notes: '', fileName: 'a-lo-dumpcap.pcapng', fileSize: 51992, lastModified: 1, format: 'pcapng',
  fingerprint: 'f'.repeat(64), filter: '', report, capturePath: null, ...over,
});

beforeAll(async () => {
  report = (await analyzeFile(join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'))).report;
});

describe('saved analyses', () => {
  it('save, list, open, rename, edit notes, delete, undo, delete all', async () => {
    const db = await openPortholeDB({ name: dbName() });
    const a = await saveAnalysis(db, entry({ title: 'first' }));
    const b = await saveAnalysis(db, entry({ title: 'second', fingerprint: 'e'.repeat(64), fileSize: 10 }));
    expect((await listAnalyses(db)).map((x) => x.title)).toEqual(['second', 'first']);
    expect((await getAnalysis(db, a.id))!.report).toEqual(report);
    expect(a.summary).toMatchObject({ packets: 162, flows: 27 });
    await updateAnalysis(db, a.id, { title: 'renamed', notes: 'seen on the plane' });
    expect(await getAnalysis(db, a.id)).toMatchObject({ title: 'renamed', notes: 'seen on the plane' });
    const removed = await deleteAnalysis(db, b.id);
    expect((await listAnalyses(db)).length).toBe(1);
    await restoreAnalysis(db, removed!);
    expect((await listAnalyses(db)).length).toBe(2);
    expect((await findByFingerprint(db, 'f'.repeat(64))).map((x) => x.id)).toEqual([a.id]);
    await deleteAll(db);
    expect(await listAnalyses(db)).toEqual([]);
  });

  it('saving the same capture again can replace the entry instead of duplicating it', async () => {
    const db = await openPortholeDB({ name: dbName() });
    const a = await saveAnalysis(db, entry());
    const again = await findByFingerprint(db, a.fingerprint);
    await saveAnalysis(db, entry({ title: 'updated' }), again[0]!.id);
    const all = await listAnalyses(db);
    expect(all).toHaveLength(1);
    expect(all[0]!.title).toBe('updated');
  });

  it('a database made by schema version 1 opens with the latest code, entries intact', async () => {
    const name = dbName();
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        const s = db.createObjectStore('analyses', { keyPath: 'id' });
        s.createIndex('by-fingerprint', 'fingerprint');
        s.createIndex('by-saved', 'savedAt');
      },
    });
    const old = { ...entry(), id: 'old-1', savedAt: 1000, summary: { packets: 1, bytes: 2, flows: 3, topServices: [], ports: [] } };
    await v1.put('analyses', old);
    v1.close();
    const db = await openPortholeDB({ name });
    expect(db.version).toBe(2);
    expect(await getAnalysis(db, 'old-1')).toEqual(old);
    expect([...db.transaction('analyses').store.indexNames].sort()).toEqual(['by-fingerprint', 'by-name', 'by-saved', 'by-size']);
    expect(db.objectStoreNames.contains('labels')).toBe(true);
  });

  it('library search by title, file name, port and service; sort by date, name, size', async () => {
    const db = await openPortholeDB({ name: dbName() });
    await saveAnalysis(db, entry({ title: 'Beta', fileSize: 5 }));
    await saveAnalysis(db, entry({ title: 'alpha', fileName: 'other.pcap', fileSize: 50 }));
    const items = await listAnalyses(db);
    expect(queryLibrary(items, '', 'name').map((i) => i.title)).toEqual(['alpha', 'Beta']);
    expect(queryLibrary(items, '', 'size').map((i) => i.title)).toEqual(['alpha', 'Beta']);
    expect(queryLibrary(items, 'other', 'date').map((i) => i.title)).toEqual(['alpha']);
    expect(queryLibrary(items, '5432', 'date')).toHaveLength(2);
    expect(queryLibrary(items, 'postgresql', 'date')).toHaveLength(2);
    expect(queryLibrary(items, 'no-such-thing', 'date')).toHaveLength(0);
  });
});

describe('library files', () => {
  it('export and import between two databases; importing twice adds nothing', async () => {
    const from = await openPortholeDB({ name: dbName() });
    await saveAnalysis(from, entry({ title: 'one' }));
    await saveAnalysis(from, entry({ title: 'two', fingerprint: 'a'.repeat(64) }));
    const all = await Promise.all((await listAnalyses(from)).map((i) => getAnalysis(from, i.id)));
    const text = exportLibrary(all as never);
    const to = await openPortholeDB({ name: dbName() });
    expect(await importLibrary(to, parseLibraryFile(text))).toEqual({ added: 2, skipped: 0 });
    expect(await importLibrary(to, parseLibraryFile(text))).toEqual({ added: 0, skipped: 2 });
    expect((await listAnalyses(to)).map((i) => i.title).sort()).toEqual(['one', 'two']);
  });

  it.each([
    ['not JSON', 'hello', /not valid JSON/],
    ['wrong format', JSON.stringify({ format: 'x', version: 1, exportedAt: 1, analyses: [] }), /format: expected "porthole-library"/],
    ['wrong types', 'WRONG_TYPES', /fileSize: expected a number/],
    ['prototype pollution', 'PROTO', /forbidden key/],
    ['huge string', 'HUGE', /longer than/],
    ['extra field', 'EXTRA', /unexpected field/],
  ])('rejects %s with a clear message and writes nothing', async (_what, raw, message) => {
    const good = JSON.parse(exportLibrary([{ ...entry(), id: 'x', savedAt: 1, summary: { packets: 0, bytes: 0, flows: 0, topServices: [], ports: [] } }]));
    let text = raw;
    if (raw === 'WRONG_TYPES') text = JSON.stringify({ ...good, analyses: [good.analyses[0], { ...good.analyses[0], id: 'y', fileSize: '12' }] });
    if (raw === 'PROTO') text = JSON.stringify(good).replace('"title":', '"__proto__":{"polluted":true},"title":');
    if (raw === 'HUGE') text = JSON.stringify({ ...good, analyses: [{ ...good.analyses[0], notes: 'x'.repeat(200_000) }] });
    if (raw === 'EXTRA') text = JSON.stringify({ ...good, analyses: [{ ...good.analyses[0], isAdmin: true }] });
    const db = await openPortholeDB({ name: dbName() });
    expect(() => parseLibraryFile(text)).toThrow(ImportError);
    expect(() => parseLibraryFile(text)).toThrow(message);
    expect(await listAnalyses(db)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
