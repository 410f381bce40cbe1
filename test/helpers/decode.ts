import { readFileSync } from 'node:fs';
import { CaptureReader } from '../../src/decoder/capture-reader';
import type { ReadOutcome } from '../../src/decoder/capture-info';
import { readCaptureStream } from '../../src/decoder/stream-reader';
import { PacketPrinter } from '../../src/cli/packets-command';
import type { PacketRow } from './fixtures';

export interface DecodedLines {
  lines: string[];
  outcome: ReadOutcome;
  reader: CaptureReader;
}

/** Feed `bytes` to a fresh reader in chunks of `chunk` bytes (or at the given cut points). */
export function decodeChunked(bytes: Uint8Array, chunk: number | number[]): DecodedLines {
  const parts: string[] = [];
  const reader = new CaptureReader(new PacketPrinter({ write: (s) => parts.push(s) }));
  if (typeof chunk === 'number') {
    for (let o = 0; o < bytes.length; o += chunk) reader.push(bytes.subarray(o, Math.min(bytes.length, o + chunk)));
  } else {
    let prev = 0;
    for (const cut of [...chunk, bytes.length]) {
      reader.push(bytes.subarray(prev, cut));
      prev = cut;
    }
  }
  const outcome = reader.end();
  return { lines: parts.join('').split('\n').filter((l) => l !== ''), outcome, reader };
}

/** Decode a file through the stream path (gzip aware). */
export async function decodeFile(path: string): Promise<DecodedLines> {
  const parts: string[] = [];
  const reader = new CaptureReader(new PacketPrinter({ write: (s) => parts.push(s) }));
  const data = readFileSync(path);
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      c.close();
    },
  });
  const outcome = await readCaptureStream(stream, reader);
  return { lines: parts.join('').split('\n').filter((l) => l !== ''), outcome, reader };
}

export function toRow(line: string): PacketRow {
  const o = JSON.parse(line);
  return { n: o.n, len: o.len, caplen: o.caplen, ip: o.ip, src: o.src, dst: o.dst, proto: o.proto, sport: o.sport, dport: o.dport };
}
