// The storage module against fake-indexeddb (the real-browser tests cover real IndexedDB).
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/schema/report';
import { putLabel, listLabels } from '../src/storage/labels';
import { stateFromReport } from '../src/storage/legacy-report';
import {
  deleteAll, deleteAnalysis, findByFingerprint, getAnalysis, getSavedState, listAnalyses, queryLibrary, restoreAnalysis, saveAnalysis,
  updateAnalysis, type NewAnalysis,
} from '../src/storage/library';
import { exportLibrary, ImportError, importLibrary, parseLibrary, type LibraryEntry } from '../src/storage/library-file';
import { openPortholeDB } from '../src/storage/open-db';
import type { AnalysisState } from '../src/tap/analysis-state';
import { decodeState, encodeState } from '../src/tap/state-codec';
import { Engine } from '../src/workers/engine';
import { analyzeFile, reportOf } from './helpers/analyze';
import { CAPTURES } from './helpers/fixtures';

let state: AnalysisState;
let report: Report;
let bytes: ArrayBuffer;
let n = 0;
const dbName = () => `porthole-test-${++n}`;
const entry = (over: Partial<NewAnalysis> = {}): NewAnalysis => ({
  title: 'loopback', notes: '', fileName: 'a-lo-dumpcap.pcapng', fileSize: 51992, lastModified: 1, format: 'pcapng',
  fingerprint: 'f'.repeat(64), filter: '', capturePath: null, summary: new Engine(state).catalog(), ...over,
});
const check = (b: ArrayBuffer) => { decodeState(b); };

beforeAll(async () => {
  ({ state, report } = await analyzeFile(join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng')));
  bytes = encodeState(state);
});

describe('saved analyses', () => {
  it('save, list, open, rename, edit notes, delete, undo, delete all (labels stay)', async () => {
    const db = await openPortholeDB({ name: dbName() });
    const a = await saveAnalysis(db, entry({ title: 'first' }), bytes);
    const b = await saveAnalysis(db, entry({ title: 'second', fingerprint: 'e'.repeat(64), fileSize: 10 }), bytes);
    expect((await listAnalyses(db)).map((x) => x.title)).toEqual(['second', 'first']);
    expect(reportOf(decodeState((await getSavedState(db, a.id))!.state!))).toEqual(report);
    expect(a.summary).toMatchObject({ packets: 162, flows: 27 });
    expect(a.summary.topServices.length).toBeGreaterThan(3);
    await updateAnalysis(db, a.id, { title: 'renamed', notes: 'seen on the plane' });
    expect(await getAnalysis(db, a.id)).toMatchObject({ title: 'renamed', notes: 'seen on the plane' });
    const removed = await deleteAnalysis(db, b.id);
    expect((await listAnalyses(db)).length).toBe(1);
    expect(await getSavedState(db, b.id)).toBeUndefined();
    await restoreAnalysis(db, removed!);
    expect((await listAnalyses(db)).length).toBe(2);
    expect((await getSavedState(db, b.id))!.state!.byteLength).toBe(bytes.byteLength);
    expect((await findByFingerprint(db, 'f'.repeat(64))).map((x) => x.id)).toEqual([a.id]);
    await putLabel(db, '127.0.0.1', 'tcp', 8080, 'test server');
    await deleteAll(db);
    expect(await listAnalyses(db)).toEqual([]);
    expect(await getSavedState(db, a.id)).toBeUndefined();
    expect((await listLabels(db)).map((l) => l.label)).toEqual(['test server']);
  });

  it('saving the same capture again can replace the entry instead of duplicating it', async () => {
    const db = await openPortholeDB({ name: dbName() });
    const a = await saveAnalysis(db, entry(), bytes);
    const again = await findByFingerprint(db, a.fingerprint);
    await saveAnalysis(db, entry({ title: 'updated' }), bytes, again[0]!.id);
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
    const { summary: _s, ...rest } = entry();
    const old = { ...rest, id: 'old-1', savedAt: 1000, report, summary: { packets: 1, bytes: 2, flows: 3, topServices: [], ports: [] } };
    await v1.put('analyses', old);
    v1.close();
    const db = await openPortholeDB({ name });
    expect(db.version).toBe(3);
    const { report: _r, ...listed } = old;
    expect(await getAnalysis(db, 'old-1')).toEqual(listed);
    expect((await getSavedState(db, 'old-1'))!.report).toEqual(report);
    expect([...db.transaction('analyses').store.indexNames].sort()).toEqual(['by-fingerprint', 'by-name', 'by-saved', 'by-size']);
    expect(db.objectStoreNames.contains('labels')).toBe(true);
  });

  it('a database written by version 2 (reports inside the entries) opens: the report moves out of the list and reopens exactly', async () => {
    const name = dbName();
    const v2 = await openDB(name, 2, {
      upgrade(db) {
        const s = db.createObjectStore('analyses', { keyPath: 'id' });
        s.createIndex('by-fingerprint', 'fingerprint');
        s.createIndex('by-saved', 'savedAt');
        s.createIndex('by-name', 'fileName');
        s.createIndex('by-size', 'fileSize');
        db.createObjectStore('labels', { keyPath: 'key' });
      },
    });
    const { summary, ...rest } = entry();
    await v2.put('analyses', { ...rest, id: 'v2-1', savedAt: 2000, report, summary });
    await v2.put('labels', { key: '127.0.0.1|tcp|80', address: '127.0.0.1', proto: 'tcp', port: 80, label: 'web', createdAt: 1 });
    v2.close();
    const db = await openPortholeDB({ name });
    const listed = await listAnalyses(db);
    expect(listed).toHaveLength(1);
    expect('report' in listed[0]!).toBe(false);
    const saved = await getSavedState(db, 'v2-1');
    expect(reportOf(stateFromReport(saved!.report!))).toEqual(report);
    expect((await listLabels(db)).map((l) => l.label)).toEqual(['web']);
  });

  it('library search by title, file name, port and service; sort by date, name, size', async () => {
    const db = await openPortholeDB({ name: dbName() });
    await saveAnalysis(db, entry({ title: 'Beta', fileSize: 5 }), bytes);
    await saveAnalysis(db, entry({ title: 'alpha', fileName: 'other.pcap', fileSize: 50 }), bytes);
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
  const entries = async (db: Awaited<ReturnType<typeof openPortholeDB>>): Promise<LibraryEntry[]> => Promise.all(
    (await listAnalyses(db)).map(async (e) => ({ entry: e, state: (await getSavedState(db, e.id))! })));

  it('export and import between two databases; importing twice adds nothing; states arrive intact', async () => {
    const from = await openPortholeDB({ name: dbName() });
    await saveAnalysis(from, entry({ title: 'one' }), bytes);
    await saveAnalysis(from, entry({ title: 'two', fingerprint: 'a'.repeat(64) }), bytes);
    const text = exportLibrary(await entries(from));
    const to = await openPortholeDB({ name: dbName() });
    expect(await importLibrary(to, await parseLibrary(text, check))).toEqual({ added: 2, skipped: 0 });
    expect(await importLibrary(to, await parseLibrary(text, check))).toEqual({ added: 0, skipped: 2 });
    const imported = await listAnalyses(to);
    expect(imported.map((i) => i.title).sort()).toEqual(['one', 'two']);
    expect(reportOf(decodeState((await getSavedState(to, imported[0]!.id))!.state!))).toEqual(report);
  });

  it('a library file written by version 1 (reports) imports, and its analyses open', async () => {
    const { summary, ...rest } = entry();
    const v1 = JSON.stringify({ format: 'porthole-library', version: 1, exportedAt: 1, analyses: [{ ...rest, id: 'lib-1', savedAt: 5, summary, report }], labels: [] });
    const db = await openPortholeDB({ name: dbName() });
    expect(await importLibrary(db, await parseLibrary(v1, check))).toEqual({ added: 1, skipped: 0 });
    expect(reportOf(stateFromReport((await getSavedState(db, 'lib-1'))!.report!))).toEqual(report);
  });

  it.each([
    ['not JSON', 'hello', /not valid JSON/],
    ['wrong format', JSON.stringify({ format: 'x', version: 2, exportedAt: 1, analyses: [], labels: [] }), /format/],
    ['wrong types', 'WRONG_TYPES', /fileSize/],
    ['prototype pollution', 'PROTO', /__proto__|Invalid key/],
    ['huge string', 'HUGE', /notes/],
    ['extra field', 'EXTRA', /isAdmin/],
    ['damaged state', 'STATE', /damaged .*not a valid Porthole analysis state/],
  ])('rejects %s with a clear message and writes nothing', async (_what, raw, message) => {
    const good = JSON.parse(exportLibrary([{ entry: { ...entry(), id: 'x', savedAt: 1 }, state: { id: 'x', state: bytes } }]));
    let text = raw;
    if (raw === 'WRONG_TYPES') text = JSON.stringify({ ...good, analyses: [good.analyses[0], { ...good.analyses[0], id: 'y', fileSize: '12' }] });
    if (raw === 'PROTO') text = JSON.stringify(good).replace('"title":', '"__proto__":{"polluted":true},"title":');
    if (raw === 'HUGE') text = JSON.stringify({ ...good, analyses: [{ ...good.analyses[0], notes: 'x'.repeat(200_000) }] });
    if (raw === 'EXTRA') text = JSON.stringify({ ...good, analyses: [{ ...good.analyses[0], isAdmin: true }] });
    if (raw === 'STATE') text = JSON.stringify({ ...good, analyses: [{ ...good.analyses[0], state: good.analyses[0].state.slice(0, 400) }] });
    const db = await openPortholeDB({ name: dbName() });
    await expect(parseLibrary(text, check)).rejects.toThrow(ImportError);
    await expect(parseLibrary(text, check)).rejects.toThrow(message);
    expect(await listAnalyses(db)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
