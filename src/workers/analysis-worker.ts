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
import type { AnalysisWorkerApi, AnalyzeOptions, AnalyzeResult, PartProgress, PartResult, PartSpec, Progress } from './analysis-api';
import { Engine } from './engine';
import { fingerprintBlob } from './fingerprint';
import { readPart, type PartRead } from './read-part';
import { diffStates } from './policy-answers';
import { planSplit } from './split-plan';

const PROGRESS_EVERY_MS = 100;
/** Partial summaries and snapshots may take at most this share of the reading time. */
const PARTIAL_BUDGET = 0.1;

let engine: Engine | null = null;

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
  const plan = options.workers > 1 ? await planSplit(file, options.workers, options.minSplitBytes) : null;
  let state: AnalysisState;
  let workersUsed = 1;
  let reason = plan ? plan.reason : 'one worker requested';
  if (plan && plan.parts.length > 1) {
    const merged = await readInParts(file, plan.parts, options, onProgress);
    if (merged) {
      state = merged;
      workersUsed = plan.parts.length;
    } else {
      reason = 'a part did not end on a record boundary; read again in one piece';
      state = (await readWhole(file, options, onProgress)).state;
    }
  } else state = (await readWhole(file, options, onProgress)).state;
  engine = new Engine(state, options.thresholds);
  return { summary: engine.summary(options.filter), fingerprint: await fingerprint, workersUsed, singleWorkerReason: workersUsed > 1 ? null : reason, elapsedMs: performance.now() - started };
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
    return requireEngine().summary(filter);
  },
  async rows(filter, table, sort, from, to) {
    return requireEngine().rows(filter, table, sort, from, to);
  },
  async series(filter, options) {
    return requireEngine().series(filter, options);
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
  readPart: readPartForHelper,
};

Comlink.expose(api);
