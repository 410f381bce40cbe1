import { humanBytes } from '../net/units';

/** Redraws at most this often. */
const INTERVAL_MS = 200;

/**
 * One line of progress on a terminal (files done, bytes, rate, time left), redrawn in place
 * and cleared at the end; silent when the stream is not a terminal.
 */
export class Progress {
  private readonly enabled: boolean;
  private last = 0;
  private readonly t0 = performance.now();
  private shown = false;
  filesDone = 0;
  private readonly bytesByFile = new Map<number, number>();
  private bytesDone = 0;

  constructor(private readonly files: number, private readonly bytes: number, private readonly out: NodeJS.WriteStream = process.stderr) {
    this.enabled = out.isTTY === true;
  }

  /** Bytes read so far of file `i`. */
  bytesOf(i: number, n: number): void {
    this.bytesDone += n - (this.bytesByFile.get(i) ?? 0);
    this.bytesByFile.set(i, n);
    this.draw(false);
  }

  fileDone(i: number, size: number): void {
    this.bytesOf(i, size);
    this.bytesByFile.delete(i);
    this.filesDone++;
    this.draw(false);
  }

  /** The line as it would be drawn (for tests). */
  line(nowMs = performance.now()): string {
    const s = Math.max(1e-3, (nowMs - this.t0) / 1000);
    const rate = this.bytesDone / s;
    const left = rate > 0 && this.bytes > this.bytesDone ? (this.bytes - this.bytesDone) / rate : 0;
    return `${this.filesDone}/${this.files} files, ${humanBytes(this.bytesDone, 1)} of ${humanBytes(this.bytes, 1)}, `
      + `${humanBytes(Math.round(rate), 1)}/s, ${left > 0 ? `about ${formatSeconds(left)} left` : 'finishing'}`;
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.last < INTERVAL_MS) return;
    this.last = now;
    this.out.write(`\r\x1b[K${this.line(now)}`);
    this.shown = true;
  }

  done(): void {
    if (this.enabled && this.shown) this.out.write('\r\x1b[K');
  }
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
