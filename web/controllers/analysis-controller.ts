import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Report } from '../../src/schema/report';
import type { Progress } from '../../src/workers/analysis-api';
import { AnalysisClient, type FileAnalysis } from '../../src/workers/analysis-client';

export type FileStatus = 'queued' | 'reading' | 'done' | 'damaged' | 'error' | 'cancelled';

export interface QueuedFile {
  id: number;
  file: File;
  status: FileStatus;
  message: string | null;
  result: FileAnalysis | null;
}

function createWorker(): Worker {
  return new Worker(new URL('../../src/workers/analysis-worker.ts', import.meta.url), { type: 'module', name: 'porthole-analysis' });
}

/**
 * Drives the analysis workers for the page: a queue of files analyzed one after another,
 * progress and partial reports while reading, cancel, and errors that name the file.
 */
export class AnalysisController implements ReactiveController {
  readonly client = new AnalysisClient(createWorker);
  files: QueuedFile[] = [];
  progress: Progress | null = null;
  partial: Report | null = null;
  /** Set when a file finished (successfully or damaged). */
  onDone: ((q: QueuedFile) => void) | null = null;
  private nextId = 1;
  private running = false;
  private abort: AbortController | null = null;
  /** Workers per analysis; tests may pin it through ?workers=N. */
  workers = AnalysisClient.defaultWorkers();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.client.terminate();
  }

  get active(): QueuedFile | null {
    return this.files.find((f) => f.status === 'reading') ?? null;
  }

  enqueue(files: File[]): void {
    for (const file of files) this.files.push({ id: this.nextId++, file, status: 'queued', message: null, result: null });
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
    this.progress = { bytesRead: 0, totalBytes: q.file.size, packets: 0, flows: 0, elapsedMs: 0, throughput: 0, etaSec: null, partial: null };
    this.partial = null;
    this.abort = new AbortController();
    this.host.requestUpdate();
    try {
      const result = await this.client.analyze(q.file, {
        workers: this.workers,
        signal: this.abort.signal,
        onProgress: (p) => {
          this.progress = p;
          if (p.partial) this.partial = p.partial;
          this.host.requestUpdate();
        },
      });
      q.result = result;
      const read = result.report.read;
      if (read.status === 'complete') {
        q.status = 'done';
      } else if (read.status === 'damaged') {
        q.status = 'damaged';
        q.message = `reading stopped at byte ${read.offset}${read.record !== null ? ` (packet record ${read.record})` : ''}: ${read.message}`;
      } else {
        q.status = 'error';
        q.message = read.status === 'empty' ? 'the file is empty' : `not a capture file: ${read.message}`;
      }
      this.onDone?.(q);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') {
        q.status = 'cancelled';
        q.message = 'cancelled';
      } else {
        q.status = 'error';
        q.message = err instanceof Error ? err.message : String(err);
      }
    } finally {
      this.progress = null;
      this.partial = null;
      this.abort = null;
      this.host.requestUpdate();
    }
  }
}
