// The analysis worker: reads a File in chunks, decodes and aggregates it, and returns a Report.
// The main thread only hands over the File and renders what comes back.
import * as Comlink from 'comlink';
import { Analyzer } from '../analysis/analyzer';
import { buildReport } from '../analysis/build-report';
import { CaptureReader } from '../decoder/capture-reader';
import { readCaptureStream } from '../decoder/stream-reader';
import type { AnalysisWorkerApi, AnalyzePartOptions, PartResult, Progress, SplitPlan } from './analysis-api';
import { blobStream, readRange } from './blob-chunks';
import { fingerprintBlob } from './fingerprint';
import { planSplit } from './split-plan';

const PROGRESS_EVERY_MS = 100;

async function analyze(file: Blob, options: AnalyzePartOptions, onProgress?: (p: Progress) => void): Promise<PartResult> {
  const part = options.part;
  const analyzer = new Analyzer({ maxFlows: options.maxFlows });
  const reader = new CaptureReader(analyzer);
  let headerSections = 0;
  let headerInterfaces = 0;
  let stream: ReadableStream<Uint8Array>;
  const begin = part?.start ?? 0;
  const end = part?.end ?? file.size;
  if (part) {
    // Learn what the header declares, so blocks of that kind later in the part can be noticed.
    const probe = new CaptureReader({ packet() {} });
    probe.push(await readRange(file, 0, part.headerLen));
    headerSections = probe.info.sections.length;
    headerInterfaces = probe.info.interfaces.length;
    if (part.index > 0) {
      reader.push(await readRange(file, 0, part.headerLen));
      reader.skipTo(part.start);
      // The header's blocks belong to part 0; count only this part's own.
      reader.info.blocks = 0;
    }
  }
  stream = blobStream(file, begin, end);
  const started = performance.now();
  let lastProgress = 0;
  let lastPartial = started;
  // Partial reports cost time on this thread: keep them under ~10% of it.
  let partialEvery = options.partialEveryMs;
  const total = end - begin;
  const report = (sourceBytes: number, final: boolean) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!final && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    const elapsedMs = now - started;
    const throughput = elapsedMs > 0 ? (sourceBytes / elapsedMs) * 1000 : 0;
    let partial = null;
    if (options.partialEveryMs > 0 && (now - lastPartial >= partialEvery || lastPartial === started) && !final) {
      partial = buildReport(analyzer, reader.info, { status: 'complete', offset: null, record: null, reason: null, message: null },
        { name: options.name, size: file.size }, { flowLimit: options.partialFlows });
      lastPartial = performance.now();
      partialEvery = Math.max(options.partialEveryMs, 10 * (lastPartial - now));
    }
    onProgress({
      bytesRead: sourceBytes, totalBytes: total, packets: reader.packets, flows: analyzer.flows.size, elapsedMs, throughput,
      etaSec: throughput > 0 ? (total - sourceBytes) / throughput : null, partial,
    });
  };
  const outcome = await readCaptureStream(stream, reader, { onChunk: (n) => report(n, false), sniffGzip: !part || part.index === 0 });
  report(total, true);
  const result = buildReport(analyzer, reader.info, outcome, { name: options.name, size: file.size });
  return {
    report: result,
    outcome,
    sawHeaderBlocks: part !== null && (reader.info.sections.length > headerSections || reader.info.interfaces.length > headerInterfaces),
    endedOnBoundary: outcome.status === 'complete',
    fingerprint: part === null || part.index === 0 ? await fingerprintBlob(file) : null,
  };
}

const api: AnalysisWorkerApi = {
  plan: (file: Blob, parts: number, minSplitBytes?: number): Promise<SplitPlan> => planSplit(file, parts, minSplitBytes),
  analyze,
  fingerprint: fingerprintBlob,
};

Comlink.expose(api);
