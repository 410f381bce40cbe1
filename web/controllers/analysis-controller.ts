import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Progress } from '../../src/workers/analysis-api';
import { AnalysisSession } from '../../src/workers/analysis-client';
import type { AnalysisSummary } from '../../src/views/summary';

export type FileStatus = 'queued' | 'reading' | 'done' | 'damaged' | 'error' | 'cancelled';

export interface QueuedFile {
  id: number;
  file: File;
  status: FileStatus;
  message: string | null;
  /** The worker holding this file's analysis, while it is kept. */
  session: AnalysisSession | null;
  /** The unfiltered summary when reading finished. */
  summary: AnalysisSummary | null;
  fingerprint: string | null;
}

/** Finished analyses kept open (each in its own worker); older ones are closed. */
const KEPT_ANALYSES = 6;

function newWorker(): Worker {
  return new Worker(new URL('../../src/workers/analysis-worker.ts', import.meta.url), { type: 'module', name: 'porthole-analysis' });
}

/** One worker started ahead of need: a dropped file or an opened analysis does not wait for a worker to load. */
let spare: Worker | null = null;

export function createAnalysisWorker(): Worker {
  const w = spare ?? newWorker();
  spare = null;
  setTimeout(() => { spare ??= newWorker(); }, 1000);
  return w;
}

/**
 * Drives the analysis workers for the page: a queue of files analyzed one after another,
 * progress and partial summaries while reading, cancel, errors that name the file, and the
 * finished analyses (a worker each) the page can show.
 */
export class AnalysisController implements ReactiveController {
  files: QueuedFile[] = [];
  progress: Progress | null = null;
  partial: AnalysisSummary | null = null;
  /** Set when a file finished (successfully, damaged or not a capture). */
  onDone: ((q: QueuedFile) => void) | null = null;
  /** The filter partial summaries follow. */
  filter: () => string | null = () => null;
  /** The analysis on screen is never closed to make room. */
  shownSession: () => AnalysisSession | null = () => null;
  private nextId = 1;
  private running = false;
  private abort: AbortController | null = null;
  /** Workers per analysis; tests may pin it through ?workers=N. */
  workers = AnalysisSession.defaultWorkers();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    for (const q of this.files) q.session?.close();
  }

  get active(): QueuedFile | null {
    return this.files.find((f) => f.status === 'reading') ?? null;
  }

  enqueue(files: File[]): void {
    for (const file of files) this.files.push({ id: this.nextId++, file, status: 'queued', message: null, session: null, summary: null, fingerprint: null });
    this.host.requestUpdate();
    void this.pump();
  }

  cancel(): void {
    this.abort?.abort();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const q = this.files.find((f) => f.status === 'queued');
        if (!q) break;
        await this.run(q);
      }
    } finally {
      this.running = false;
    }
  }

  private async run(q: QueuedFile): Promise<void> {
    q.status = 'reading';
    this.progress = { bytesRead: 0, totalBytes: q.file.size, packets: 0, elapsedMs: 0, throughput: 0, etaSec: null, partial: null };
    this.partial = null;
    this.abort = new AbortController();
    this.host.requestUpdate();
    const session = new AnalysisSession(createAnalysisWorker, q.file.name);
    try {
      const result = await session.analyze(q.file, {
        workers: this.workers,
        signal: this.abort.signal,
        filter: this.filter(),
        onProgress: (p) => {
          this.progress = p;
          if (p.partial) this.partial = p.partial;
          this.host.requestUpdate();
        },
      });
      const answer = result.summary.ok ? result.summary : await session.summary(null);
      if (!answer.ok) throw new Error(answer.problem.message);
      const read = answer.summary.read;
      q.fingerprint = result.fingerprint;
      if (read.status === 'complete' || read.status === 'damaged') {
        q.status = read.status === 'complete' ? 'done' : 'damaged';
        q.session = session;
        q.summary = answer.summary;
        if (read.status === 'damaged') {
          const where = `byte ${read.offset}${answer.summary.capture.gzip ? ' of the decompressed data' : ''}`;
          q.message = `reading stopped at ${where}${read.record !== null ? ` (packet record ${read.record})` : ''}: ${read.message}`;
        }
        this.closeOldSessions(q);
      } else {
        q.status = 'error';
        q.message = read.status === 'empty' ? 'the file is empty' : `not a capture file: ${read.message}`;
        session.close();
      }
      this.onDone?.(q);
    } catch (err) {
      session.close();
      if (err instanceof DOMException && err.name === 'AbortError') {
        q.status = 'cancelled';
        q.message = 'reading was cancelled; nothing of this file is shown';
      } else {
        q.status = 'error';
        q.message = err instanceof Error ? err.message : String(err);
      }
      this.onDone?.(q);
    } finally {
      this.progress = null;
      this.partial = null;
      this.abort = null;
      this.host.requestUpdate();
    }
  }

  /** Keep the newest analyses open; close the others (they can be opened again from the file). */
  private closeOldSessions(latest: QueuedFile): void {
    const open = this.files.filter((f) => f.session && f !== latest && f.session !== this.shownSession());
    while (open.length >= KEPT_ANALYSES) {
      const old = open.shift()!;
      old.session!.close();
      old.session = null;
      old.message = 'closed to save memory; drop the file again to see it';
    }
  }
}
