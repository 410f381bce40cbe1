import { createWriteStream, type WriteStream } from 'node:fs';

/** Standard output or a file, written in large pieces, waiting for it to drain (bounded memory). */
export class ByteSink {
  private readonly stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
  private parts: Array<string | Uint8Array> = [];
  private size = 0;

  constructor(path: string | null, private readonly limit = 1 << 20) {
    this.stream = path === null || path === '-' ? process.stdout : createWriteStream(path);
  }

  async write(piece: string | Uint8Array): Promise<void> {
    this.parts.push(piece);
    this.size += piece.length;
    if (this.size < this.limit) return;
    this.flush();
    if (this.stream.writableNeedDrain) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const strings = this.parts.every((p) => typeof p === 'string');
    this.stream.write(strings ? (this.parts as string[]).join('') : Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
    this.parts = [];
    this.size = 0;
  }

  async close(): Promise<void> {
    this.flush();
    if (this.stream === process.stdout) {
      if (process.stdout.writableNeedDrain) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
      return;
    }
    const file = this.stream as WriteStream;
    await new Promise<void>((resolve, reject) => {
      file.once('error', reject);
      file.end(() => resolve());
    });
  }
}
