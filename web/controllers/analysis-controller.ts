import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FileOutcome, FileProgress, NamedFile, Progress } from '../../src/workers/analysis-api';
import { AnalysisSession } from '../../src/workers/analysis-client';
import type { AnalysisSummary } from '../../src/views/summary';

export type FileStatus = 'queued' | 'reading' | 'done' | 'damaged' | 'error' | 'cancelled';

/** A file picked or dropped, under the name the page shows (a folder's files: their path in it). */
export interface PickedFile {
  file: File;
  name: string;
  /** Found in a folder: skipped unless its first bytes are a capture's. */
  fromFolder: boolean;
}

/**
 * One analysis in the queue: one file, or several files (picked, dropped or a folder
 * together) read into one combined analysis.
 */
export interface QueuedFile {
  id: number;
  /** The one file, or null for several. */
  file: File | null;
  /** Every file of the analysis (one for a single file). */
  inputs: PickedFile[];
  /** The file's name, or "N files". */
  name: string;
  size: number;
  /** Several files: each one's progress while reading, then how each ended. */
  fileProgress: FileProgress[] | null;
  outcomes: FileOutcome[] | null;
  status: FileStatus;
  message: string | null;
  /** The worker holding this file's analysis, while it is kept. */
  session: AnalysisSession | null;
  /** The unfiltered summary when reading finished. */
  summary: AnalysisSummary | null;
  fingerprint: string | null;
}

/** What went wrong with one file, in words (null when it was read to its end). */
export function fileProblem(o: { read: FileOutcome['read']; gzip?: boolean }): string | null {
  const r = o.read;
  switch (r.status) {
    case 'complete': return null;
    case 'damaged': return `damaged: reading stopped at byte ${r.offset}${o.gzip ? ' of the decompressed data' : ''}${r.record !== null ? ` (packet record ${r.record})` : ''}: ${r.message}`;
    case 'empty': return 'the file is empty';
    case 'cancelled': return 'reading was cancelled';
    default: return `not a capture file: ${r.message}`;
  }
}

/** Each file of several that is not a clean capture, named: "name: problem". */
function problemsOf(outcomes: FileOutcome[]): string[] {
  return outcomes.flatMap((o) => {
    const p = fileProblem(o);
    return p === null ? [] : [o.read.status === 'damaged' ? `${o.name} is ${p}; the other files are not affected.` : `${o.name}: ${p}`];
  });
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

  /** One file: its own analysis. */
  enqueue(files: File[]): void {
    for (const file of files) this.push([{ file, name: file.name, fromFolder: false }]);
  }

  /** Several files (or a folder): one combined analysis. */
  enqueueCombined(inputs: PickedFile[]): void {
    if (inputs.length === 1 && !inputs[0]!.fromFolder) this.enqueue([inputs[0]!.file]);
    else if (inputs.length > 0) this.push(inputs);
  }

  private push(inputs: PickedFile[]): void {
    const single = inputs.length === 1 && !inputs[0]!.fromFolder;
    this.files.push({
      id: this.nextId++, file: single ? inputs[0]!.file : null, inputs, name: single ? inputs[0]!.name : `${inputs.length} files`,
      size: inputs.reduce((t, f) => t + f.file.size, 0), fileProgress: null, outcomes: null,
      status: 'queued', message: null, session: null, summary: null, fingerprint: null,
    });
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
    this.progress = { bytesRead: 0, totalBytes: q.size, packets: 0, elapsedMs: 0, throughput: 0, etaSec: null, partial: null };
    this.partial = null;
    this.abort = new AbortController();
    this.host.requestUpdate();
    const session = new AnalysisSession(createAnalysisWorker, q.name);
    try {
      const options = {
        workers: this.workers,
        signal: this.abort.signal,
        filter: this.filter(),
        onProgress: (p: Progress) => {
          this.progress = p;
          if (p.partial) this.partial = p.partial;
          if (p.files) q.fileProgress = p.files;
          this.host.requestUpdate();
        },
      };
      const result = q.file ? await session.analyze(q.file, options)
        : await session.analyzeMany(q.inputs.map((f): NamedFile => ({ file: f.file, name: f.name, sniff: f.fromFolder })), options);
      q.outcomes = result.files ?? null;
      const answer = result.summary.ok ? result.summary : await session.summary(null);
      if (!answer.ok) throw new Error(answer.problem.message);
      const read = answer.summary.read;
      q.fingerprint = result.fingerprint;
      if (read.status === 'complete' || read.status === 'damaged') {
        q.status = read.status === 'complete' ? 'done' : 'damaged';
        q.session = session;
        q.summary = answer.summary;
        if (q.outcomes) {
          const bad = problemsOf(q.outcomes);
          q.message = bad.length ? bad.join('\n') : null;
          if (q.outcomes.some((o) => o.read.status === 'damaged')) q.status = 'damaged';
        } else if (read.status === 'damaged') {
          const where = `byte ${read.offset}${answer.summary.capture.gzip ? ' of the decompressed data' : ''}`;
          q.message = `reading stopped at ${where}${read.record !== null ? ` (packet record ${read.record})` : ''}: ${read.message}`;
        }
        this.closeOldSessions(q);
      } else {
        q.status = 'error';
        if (q.outcomes) q.message = q.outcomes.length ? problemsOf(q.outcomes).join('\n') : 'the folder holds no capture files';
        else q.message = read.status === 'empty' ? 'the file is empty' : `not a capture file: ${read.message}`;
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
