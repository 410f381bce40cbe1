/** Where text output goes (stdout in the CLI, an array in tests). */
export interface TextSink {
  write(s: string): void;
}

/** Buffered stdout: many small strings become few large writes. */
export class Output implements TextSink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly limit = 1 << 20) {}

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    process.stdout.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  /** Write, waiting for stdout to drain when it is a slow pipe (bounded memory). */
  async writeAsync(s: string): Promise<void> {
    this.parts.push(s);
    this.size += s.length;
    if (this.size < this.limit) return;
    this.flush();
    if (process.stdout.writableNeedDrain) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  }

  /** Flush and wait until stdout has taken everything. */
  async close(): Promise<void> {
    this.flush();
    await new Promise<void>((resolve) => {
      if (process.stdout.writableNeedDrain) process.stdout.once('drain', () => resolve());
      else resolve();
    });
  }
}
