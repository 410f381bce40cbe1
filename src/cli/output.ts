/** Where text output goes (stdout in the CLI, an array in tests). */
export interface TextSink {
  write(s: string): void;
}

const BUFFER_BYTES = 1 << 20;

/**
 * Buffered stdout: text is encoded straight into 1 MiB buffers that are reused once stdout
 * has taken them, so writing a gigabyte of JSON touches a few megabytes of memory, not a
 * gigabyte of fresh strings (large strings and buffers are fresh pages each time, which is
 * what made big outputs slow).
 */
export class Output implements TextSink {
  private free: Buffer[] = [];
  private current: Buffer = Buffer.allocUnsafeSlow(BUFFER_BYTES);
  private pos = 0;
  private pending = 0;

  write(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (s.length * 3 > BUFFER_BYTES - this.pos) {
      this.flush();
      if (s.length * 3 > BUFFER_BYTES) {
        process.stdout.write(s);
        return;
      }
    }
    this.pos += this.current.write(s, this.pos, 'utf8');
  }

  /** Hand the current buffer to stdout; it comes back for reuse when written. */
  flush(): void {
    if (this.pos === 0) return;
    const buf = this.current;
    this.pending++;
    process.stdout.write(buf.subarray(0, this.pos), () => {
      this.pending--;
      this.free.push(buf);
    });
    this.current = this.free.pop() ?? Buffer.allocUnsafeSlow(BUFFER_BYTES);
    this.pos = 0;
  }

  /** Write, waiting for stdout to drain when it is a slow pipe (bounded memory). */
  async writeAsync(s: string): Promise<void> {
    this.write(s);
    if (this.pending > 2 || process.stdout.writableNeedDrain) await this.drained();
  }

  /** Flush and wait until stdout has taken everything. */
  async close(): Promise<void> {
    this.flush();
    await this.drained();
  }

  private drained(): Promise<void> {
    return new Promise<void>((resolve) => {
      const check = () => {
        if (this.pending === 0 && !process.stdout.writableNeedDrain) resolve();
        else setImmediate(check);
      };
      check();
    });
  }
}
