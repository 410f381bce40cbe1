// The analysis worker: reads a File in chunks (with helper workers for parts of large files),
// keeps the analysis state, and answers the page's questions about it: summaries, rows of the
// tables, exports. The main thread only hands over the File and renders what comes back.
import * as Comlink from 'comlink';
import type { Report, ScanThresholds } from '../schema/report';
import { stateFromReport } from '../storage/legacy-report';
import { AnalysisState } from '../tap/analysis-state';
import { decodeState, encodeState } from '../tap/state-codec';
import { AnalysisView } from '../views/analysis-view';
import { summarize } from '../views/summary';
import { fileEntryOf } from '../many/file-entry';
import { mergeMany } from '../many/merge-many';
import { flowParquetParts } from '../export/parquet';
import type { AnalysisSummary } from '../views/summary';
import type { AnalysisWorkerApi, AnalyzeOptions, AnalyzeResult, FileOutcome, FileProgress, NamedFile, PartProgress, PartResult, PartSpec, Progress } from './analysis-api';
import { readRange } from './blob-chunks';
import { Engine } from './engine';
import { QUERY_PRIORITY, QueryQueue } from './query-queue';
import { fingerprintBlob } from './fingerprint';
import { readPart, type PartRead } from './read-part';
import { diffStates } from './policy-answers';
import { planSplit } from './split-plan';

const PROGRESS_EVERY_MS = 100;
/** Partial summaries and snapshots may take at most this share of the reading time. */
const PARTIAL_BUDGET = 0.1;

let engine: Engine | null = null;
/** The page's questions about the open analysis, most urgent first. */
const queries = new QueryQueue();

function requireEngine(): Engine {
  if (!engine) throw new Error('no analysis is open in this worker');
  return engine;
}

/** Spends at most PARTIAL_BUDGET of the elapsed time on some periodic work. */
class Budget {
  private last = performance.now();
  private every: number;

  constructor(private readonly minEveryMs: number) {
    this.every = minEveryMs;
  }

  due(): boolean {
    return this.minEveryMs > 0 && performance.now() - this.last >= this.every;
  }

  run<T>(work: () => T): T {
    const t0 = performance.now();
    const out = work();
    this.last = performance.now();
    this.every = Math.max(this.minEveryMs, (this.last - t0) / PARTIAL_BUDGET);
    return out;
  }
}

async function analyze(file: Blob, options: AnalyzeOptions, onProgress?: (p: Progress) => void): Promise<AnalyzeResult> {
  engine = null;
  const started = performance.now();
  const fingerprint = fingerprintBlob(file).catch(() => null);
  const one = await readOne(file, options, onProgress);
  engine = new Engine(one.state, options.thresholds);
  return { summary: engine.summary(options.filter), fingerprint: await fingerprint, workersUsed: one.workersUsed, singleWorkerReason: one.workersUsed > 1 ? null : one.reason, elapsedMs: performance.now() - started };
}

/** One file into a state: in parts by helper workers when it is worth it, else whole. */
async function readOne(file: Blob, options: AnalyzeOptions, onProgress?: (p: Progress) => void): Promise<{ state: AnalysisState; workersUsed: number; reason: string | null }> {
  const plan = options.workers > 1 ? await planSplit(file, options.workers, options.minSplitBytes) : null;
  let reason = plan ? plan.reason : 'one worker requested';
  if (plan && plan.parts.length > 1) {
    const merged = await readInParts(file, plan.parts, options, onProgress);
    if (merged) return { state: merged, workersUsed: plan.parts.length, reason: null };
    reason = 'a part did not end on a record boundary; read again in one piece';
  }
  return { state: (await readWhole(file, options, onProgress)).state, workersUsed: 1, reason };
}

async function analyzeMany(inputs: NamedFile[], options: AnalyzeOptions, onProgress?: (p: Progress) => void): Promise<AnalyzeResult> {
  engine = null;
  const started = performance.now();
  const taken: NamedFile[] = [];
  for (const f of inputs) if (!f.sniff || await looksLikeCapture(f.file)) taken.push(f);
  const files: FileProgress[] = taken.map((f) => ({ name: f.name, size: f.file.size, bytesRead: 0, packets: 0, status: 'queued' }));
  const totalBytes = files.reduce((t, f) => t + f.size, 0);
  const partials = new Budget(options.partialEveryMs);
  let doneBytes = 0, donePackets = 0, lastProgress = 0;
  let acc: AnalysisState | null = null;
  let partial: AnalysisSummary | null = null;
  const report = (current: FileProgress | null, bytesRead: number, packets: number, force: boolean) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    if (current) {
      current.bytesRead = bytesRead;
      current.packets = packets;
    }
    const elapsedMs = now - started;
    const read = doneBytes + (current ? bytesRead : 0);
    const throughput = elapsedMs > 0 ? (read / elapsedMs) * 1000 : 0;
    onProgress({ bytesRead: read, totalBytes, packets: donePackets + (current ? packets : 0), elapsedMs, throughput,
      etaSec: throughput > 0 ? (totalBytes - read) / throughput : null, partial, files: files.map((f) => ({ ...f })) });
    partial = null;
  };
  const outcomes: FileOutcome[] = [];
  let firstBad: AnalysisState | null = null;
  let workersUsed = 1;
  for (let i = 0; i < taken.length; i++) {
    const { file, name } = taken[i]!;
    const fp = files[i]!;
    fp.status = 'reading';
    report(fp, 0, 0, true);
    const fingerprint = fingerprintBlob(file).catch(() => null);
    let state: AnalysisState;
    try {
      const one = await readOne(file, { ...options, name, partialEveryMs: 0 }, (p) => report(fp, p.bytesRead, p.packets, false));
      state = one.state;
      workersUsed = Math.max(workersUsed, one.workersUsed);
    } catch (err) {
      // The browser could not read the file (moved, permissions): it names itself, the others go on.
      state = new AnalysisState({ name, size: file.size });
      state.read = { status: 'not-a-capture', offset: null, record: null, reason: 'unreadable', message: `the browser could not read it: ${err instanceof Error ? err.message : String(err)}` };
    }
    fp.status = 'read';
    doneBytes += file.size;
    const merged = state.read.status === 'complete' || state.read.status === 'damaged';
    if (merged) {
      state.files = [fileEntryOf(state, name, file.size, await fingerprint)];
      acc = acc === null ? state : mergeMany(acc, state);
      donePackets += state.stats.packets;
      const merged = acc;
      if (partials.due()) partial = partials.run(() => summaryOf(merged, options.filter));
    } else firstBad ??= state;
    outcomes.push({ name, size: file.size, read: { ...state.read }, gzip: state.capture.gzip, packets: state.stats.packets, merged, duplicateOf: null });
    report(null, 0, 0, true);
  }
  const state = acc ?? firstBad ?? new AnalysisState({ name: 'no files', size: 0 });
  for (const f of state.files) {
    const o = outcomes.find((x) => x.name === f.name);
    if (o) o.duplicateOf = f.duplicateOf;
  }
  engine = new Engine(state, options.thresholds);
  return { summary: engine.summary(options.filter), fingerprint: await setFingerprint(state), workersUsed, singleWorkerReason: null, elapsedMs: performance.now() - started, files: outcomes };
}

function summaryOf(state: AnalysisState, filter: string | null): AnalysisSummary {
  const view = new AnalysisView(state);
  try {
    return summarize(view.select(filter), view.select(null));
  } catch {
    return summarize(view.select(null), view.select(null));
  }
}

/** What a folder's file starts with: pcap, pcapng or gzip (the CLI's sniff, src/many/inputs.ts). */
async function looksLikeCapture(file: Blob): Promise<boolean> {
  const head = await readRange(file, 0, 4).catch(() => new Uint8Array(0));
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
  if (head.length < 4) return false;
  const w = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  return w === 0xa1b2c3d4 || w === 0xd4c3b2a1 || w === 0xa1b23c4d || w === 0x4d3cb2a1 || w === 0x0a0d0d0a;
}

/**
 * The identity of an analysis of several files, for "already saved?": its one file's
 * fingerprint, or SHA-256 of its counted files' fingerprints in order.
 */
async function setFingerprint(state: AnalysisState): Promise<string | null> {
  const prints = state.files.filter((f) => f.duplicateOf === null).map((f) => f.fingerprint);
  if (prints.length === 0 || prints.some((p) => p === null)) return null;
  if (prints.length === 1) return prints[0]!;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`files:${prints.join(',')}`)));
  return `files:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function progressReporter(total: number, filter: string | null, partialEveryMs: number, onProgress?: (p: Progress) => void) {
  const started = performance.now();
  let lastProgress = 0;
  const partials = new Budget(partialEveryMs);
  return (bytesRead: number, packets: number, partialState: () => AnalysisState, final = false) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!final && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    let partial = null;
    if (!final && partials.due()) {
      partial = partials.run(() => {
        const view = new AnalysisView(partialState());
        try {
          return summarize(view.select(filter), view.select(null));
        } catch {
          return summarize(view.select(null), view.select(null));
        }
      });
    }
    const elapsedMs = performance.now() - started;
    const throughput = elapsedMs > 0 ? (bytesRead / elapsedMs) * 1000 : 0;
    onProgress({ bytesRead, totalBytes: total, packets, elapsedMs, throughput, etaSec: throughput > 0 ? (total - bytesRead) / throughput : null, partial });
  };
}

async function readWhole(file: Blob, options: AnalyzeOptions, onProgress?: (p: Progress) => void): Promise<PartRead> {
  const report = progressReporter(file.size, options.filter, options.partialEveryMs, onProgress);
  const read = await readPart(file, null, { name: options.name, maxFlows: options.maxFlows, onChunk: (n, packets, live) => report(n, packets, () => live) });
  report(file.size, read.packets, () => read.state, true);
  return read;
}

/** Part 0 here, the others in helper workers; their states are absorbed with absolute frame numbers. */
interface Helper {
  worker: Worker;
  api: Comlink.Remote<AnalysisWorkerApi>;
}

/** Helper workers, kept between analyses (they start in tens of milliseconds, but not zero). */
const helperPool: Helper[] = [];

function helpers(n: number): Helper[] {
  while (helperPool.length < n) {
    const worker = new Worker(new URL('./analysis-worker.ts', import.meta.url), { type: 'module', name: 'porthole-part' });
    helperPool.push({ worker, api: Comlink.wrap<AnalysisWorkerApi>(worker) });
  }
  return helperPool.slice(0, n);
}

/** A helper that failed is replaced next time. */
function dropHelper(h: Helper): void {
  const i = helperPool.indexOf(h);
  if (i >= 0) helperPool.splice(i, 1);
  h.worker.terminate();
}

async function readInParts(file: Blob, parts: PartSpec[], options: AnalyzeOptions, onProgress?: (p: Progress) => void): Promise<AnalysisState | null> {
  const workers = helpers(parts.length - 1);
  const report = progressReporter(file.size, options.filter, options.partialEveryMs, onProgress);
  const others: PartProgress[] = parts.slice(1).map(() => ({ bytesRead: 0, packets: 0, snapshot: null }));
  let own = { bytesRead: 0, packets: 0, state: null as AnalysisState | null };
  const partialState = () => {
    const s = new AnalysisState({ name: options.name, size: file.size });
    if (own.state) s.absorb(own.state);
    for (const o of others) if (o.snapshot) s.absorb(decodeState(o.snapshot));
    return s;
  };
  const tick = () => report(own.bytesRead + others.reduce((n, o) => n + o.bytesRead, 0), own.packets + others.reduce((n, o) => n + o.packets, 0), partialState);
  const listeners: Array<() => void> = [];
  const remote = workers.map((h) => h.api);
  try {
    const died = workers.map((h) => new Promise<never>((_, reject) => {
      const onError = (e: ErrorEvent) => {
        e.preventDefault?.();
        dropHelper(h);
        reject(new Error(`a helper worker stopped: ${e.message || 'it ran out of memory or crashed'}`));
      };
      h.worker.addEventListener('error', onError);
      listeners.push(() => h.worker.removeEventListener('error', onError));
    }));
    died.forEach((d) => d.catch(() => undefined));
    const snapshotEvery = options.partialEveryMs > 0 ? options.partialEveryMs : 0;
    const results = Promise.all(remote.map((api, i) => Promise.race([died[i]!, api.readPart(file, parts[i + 1]!, options.name, options.maxFlows, snapshotEvery,
      Comlink.proxy((p: PartProgress) => {
        const o = others[i]!;
        o.bytesRead = p.bytesRead;
        o.packets = p.packets;
        if (p.snapshot) o.snapshot = p.snapshot;
        tick();
      }))])));
    const first = await readPart(file, parts[0]!, {
      name: options.name, maxFlows: options.maxFlows,
      onChunk: (n, packets, live) => { own = { bytesRead: n, packets, state: live }; tick(); },
    });
    const rest = await results;
    const clean = first.outcome.status === 'complete' && !first.sawHeaderBlocks && rest.every((r) => r.complete && !r.sawHeaderBlocks);
    if (!clean) return null;
    const state = first.state;
    let offset = first.packets;
    for (const r of rest) {
      const s = decodeState(r.state);
      s.shiftFrames(offset);
      offset += r.packets;
      state.absorb(s);
    }
    state.source = { name: options.name, size: file.size };
    report(file.size, offset, () => state, true);
    return state;
  } finally {
    for (const off of listeners) off();
  }
}

async function readPartForHelper(file: Blob, part: PartSpec, name: string, maxFlows: number | undefined, snapshotEveryMs: number,
  onProgress?: (p: PartProgress) => void): Promise<PartResult> {
  const snapshots = new Budget(snapshotEveryMs);
  let last = 0;
  const read = await readPart(file, part, {
    name, maxFlows,
    onChunk: (bytesRead, packets, live) => {
      if (!onProgress || performance.now() - last < PROGRESS_EVERY_MS) return;
      last = performance.now();
      const snapshot = snapshots.due() ? snapshots.run(() => encodeState(live)) : null;
      onProgress(snapshot ? Comlink.transfer({ bytesRead, packets, snapshot }, [snapshot]) : { bytesRead, packets, snapshot });
    },
  });
  const state = encodeState(read.state);
  return Comlink.transfer({ state, packets: read.packets, complete: read.outcome.status === 'complete', sawHeaderBlocks: read.sawHeaderBlocks }, [state]);
}

/** Pieces of text into a Blob, folded every few MB so the strings never pile up in memory. */
function blobOf(pieces: Iterable<string>, type: string): Blob {
  const blobs: Blob[] = [];
  let pending: string[] = [];
  let size = 0;
  for (const p of pieces) {
    pending.push(p);
    size += p.length;
    if (size >= 8 * 1024 * 1024) {
      blobs.push(new Blob(pending));
      pending = [];
      size = 0;
    }
  }
  blobs.push(new Blob(pending));
  return new Blob(blobs, { type });
}

function* withNewline(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield '\n';
}

const api: AnalysisWorkerApi = {
  analyze,
  analyzeMany,
  async load(bytes: ArrayBuffer, thresholds?: ScanThresholds) {
    engine = new Engine(decodeState(bytes), thresholds);
    return engine.summary(null);
  },
  async loadReport(report: Report, thresholds?: ScanThresholds) {
    engine = new Engine(stateFromReport(report), thresholds);
    return engine.summary(null);
  },
  async catalog() {
    return requireEngine().catalog();
  },
  async summary(filter) {
    return queries.ask(QUERY_PRIORITY.summary, () => requireEngine().summary(filter));
  },
  async rows(filter, table, sort, from, to) {
    return queries.ask(QUERY_PRIORITY[table], () => requireEngine().rows(filter, table, sort, from, to));
  },
  async series(filter, options) {
    return queries.ask(QUERY_PRIORITY.series, () => requireEngine().series(filter, options));
  },
  async saveState() {
    const bytes = requireEngine().encode();
    return Comlink.transfer(bytes, [bytes]);
  },
  async checkPolicy(text, format, chain) {
    return requireEngine().checkPolicy(text, format, chain);
  },
  async suggestPolicy(request) {
    return requireEngine().suggestPolicy(request);
  },
  async diffStates(a, b, names) {
    return diffStates(a, b, names);
  },
  async exportJson(filter) {
    return blobOf(withNewline(requireEngine().json(filter)), 'application/json');
  },
  async exportCsv(filter, kind) {
    return blobOf(requireEngine().csv(filter, kind), 'text/csv');
  },
  async exportParquet(filter) {
    // Row groups of 65,536 flows, each folded into the Blob as it is encoded.
    const blobs: Blob[] = [];
    for (const part of flowParquetParts(requireEngine().selection(filter))) blobs.push(new Blob([part as Uint8Array<ArrayBuffer>]));
    return new Blob(blobs, { type: 'application/vnd.apache.parquet' });
  },
  readPart: readPartForHelper,
};

Comlink.expose(api);
