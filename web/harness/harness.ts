// Test-only page: drives analysis sessions directly so browser tests can compare worker reports
// with the CLI's, with one and several workers, and measure cancel and long tasks.
import { AnalysisSession, type AnalyzeFileOptions } from '../../src/workers/analysis-client';
import type { AnalysisSummary } from '../../src/views/summary';

const createWorker = () => new Worker(new URL('../../src/workers/analysis-worker.ts', import.meta.url), { type: 'module' });

/** One worker reused for analysis after analysis (as a page that keeps one open would). */
let shared: AnalysisSession | null = null;

/** Analyze in a worker (a new one, or the shared one); the summary (unfiltered), and the session for more questions. */
async function analyzeIn(file: File, options: AnalyzeFileOptions, reuse = false) {
  if (reuse && shared?.isClosed) shared = null;
  const session = reuse ? (shared ??= new AnalysisSession(createWorker, 'harness')) : new AnalysisSession(createWorker, file.name);
  const r = await session.analyze(file, options);
  if (!r.summary.ok) throw new Error(r.summary.problem.message);
  return { session, summary: r.summary.summary as AnalysisSummary, result: r };
}

function files(): File[] {
  return [...((document.getElementById('files') as HTMLInputElement).files ?? [])];
}

/** A pcap of `records` copies of one UDP record, as a Blob made of shared parts (no big copy). */
function syntheticPcap(records: number, payload = 1400): File {
  const frameLen = 14 + 20 + 8 + payload;
  const rec = new Uint8Array(16 + frameLen);
  const dv = new DataView(rec.buffer);
  dv.setUint32(0, 1700000000, true);
  dv.setUint32(8, frameLen, true);
  dv.setUint32(12, frameLen, true);
  const f = rec.subarray(16);
  f.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00, 0x45, 0, (20 + 8 + payload) >> 8, (20 + 8 + payload) & 0xff, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0xc3, 0x50, 0x01, 0xbb]);
  const header = new Uint8Array(24);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, 0xa1b2c3d4, true);
  hv.setUint16(4, 2, true);
  hv.setUint16(6, 4, true);
  hv.setUint32(16, 262144, true);
  hv.setUint32(20, 1, true);
  const perPart = 4096;
  const part = new Uint8Array(rec.length * perPart);
  for (let i = 0; i < perPart; i++) part.set(rec, i * rec.length);
  const parts: BlobPart[] = [header];
  for (let left = records; left > 0; left -= perPart) parts.push(left >= perPart ? part : part.subarray(0, left * rec.length));
  return new File(parts, 'synthetic.pcap');
}

let longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: false });

const api = {
  count: () => files().length,
  names: () => files().map((f) => f.name),
  async analyze(index: number, options: AnalyzeFileOptions = {}) {
    const { session, result } = await analyzeIn(files()[index]!, { partialEveryMs: 0, ...options }, true);
    const report = await (await session.exportJson(null)).text();
    return { report, workersUsed: result.workersUsed, reason: result.singleWorkerReason, fingerprint: result.fingerprint };
  },
  /** Analyze a synthetic capture and cancel after `afterMs`; how long until it stopped. */
  async cancelAfter(records: number, afterMs: number) {
    const file = syntheticPcap(records);
    const abort = new AbortController();
    let progressAfterCancel = 0;
    let cancelledAt = 0;
    const session = new AnalysisSession(createWorker, file.name);
    const run = session.analyze(file, { signal: abort.signal, onProgress: () => { if (cancelledAt) progressAfterCancel++; } });
    await new Promise((r) => setTimeout(r, afterMs));
    cancelledAt = performance.now();
    abort.abort();
    let error = '';
    try {
      await run;
    } catch (e) {
      error = (e as Error).name;
    }
    const stoppedMs = performance.now() - cancelledAt;
    await new Promise((r) => setTimeout(r, 300));
    // A new file can be analyzed right away.
    const next = await analyzeIn(syntheticPcap(1000), {});
    next.session.close();
    return { error, stoppedMs, progressAfterCancel, nextPackets: next.summary.totals.packets, size: file.size };
  },
  /** Analyze a large synthetic capture with partial results; report long tasks on this thread. */
  async longTasksDuring(records: number, workers: number) {
    longTasks = [];
    const file = syntheticPcap(records);
    let partials = 0;
    let firstPartialMs = -1;
    const t0 = performance.now();
    const { session, summary, result } = await analyzeIn(file, {
      workers, minSplitBytes: 0, partialEveryMs: 200,
      onProgress: (p) => { if (p.partial) { partials++; if (firstPartialMs < 0) firstPartialMs = performance.now() - t0; } },
    });
    session.close();
    await new Promise((res) => setTimeout(res, 100));
    return { longTasks, partials, firstPartialMs, packets: summary.totals.packets, workersUsed: result.workersUsed, reason: result.singleWorkerReason, size: file.size, ms: performance.now() - t0 };
  },
};

/** Benchmark: analyze files()[0] with N workers; ms to the report and to the first partial result. */
async function benchAnalyze(workers: number) {
  const file = files()[0]!;
  const t0 = performance.now();
  let firstPartialMs = -1;
  const { session, summary, result } = await analyzeIn(file, {
    workers, partialEveryMs: 250,
    onProgress: (p) => { if (p.partial && firstPartialMs < 0) firstPartialMs = performance.now() - t0; },
  });
  const ms = performance.now() - t0;
  session.close();
  return { ms, firstPartialMs, packets: summary.totals.packets, bytes: summary.totals.bytes,
    flows: summary.totals.flows, workersUsed: result.workersUsed };
}

/** Benchmark: the browser's limit — the faster of Blob streams and 4 MiB slices, `workers` readers in parallel. */
async function benchReadOnly(workers: number) {
  // (BYOB reads of Blob streams were faster but sometimes never finished in Chromium 156.)
  const runs = [
    { ...(await benchReadSlices(workers)), strategy: 'slices' },
    { ...(await benchReadStreams(workers)), strategy: 'stream' },
  ];
  return runs.reduce((best, r) => (r.ms < best.ms ? r : best));
}

async function benchReadStreams(workers: number) {
  const file = files()[0]!;
  const t0 = performance.now();
  const per = Math.ceil(file.size / workers);
  let checksum = 0;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    const reader = file.slice(w * per, Math.min(file.size, (w + 1) * per)).stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let i = 0; i < value.length; i += 4096) checksum += value[i]!;
    }
  }));
  return { ms: performance.now() - t0, checksum };
}

async function benchReadSlices(workers: number) {
  const file = files()[0]!;
  const t0 = performance.now();
  const chunk = 4 * 1024 * 1024;
  const per = Math.ceil(file.size / workers / chunk) * chunk;
  let checksum = 0;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    const end = Math.min(file.size, (w + 1) * per);
    let next = w * per;
    const inFlight: Promise<ArrayBuffer>[] = [];
    const fill = () => { while (inFlight.length < 3 && next < end) { inFlight.push(file.slice(next, Math.min(end, next + chunk)).arrayBuffer()); next += chunk; } };
    fill();
    while (inFlight.length) {
      const b = new Uint8Array(await inFlight.shift()!);
      fill();
      for (let i = 0; i < b.length; i += 4096) checksum += b[i]!;
    }
  }));
  return { ms: performance.now() - t0, checksum };
}

(window as unknown as { harness: typeof api }).harness = { ...api, benchAnalyze, benchReadOnly } as typeof api;
document.body.dataset.ready = 'true';
