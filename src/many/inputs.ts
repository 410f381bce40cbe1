import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_MAGIC } from '../tap/state-codec';

export type InputKind = 'capture' | 'state';

export interface Input {
  /** The path as given or found ("-": standard input). */
  path: string;
  kind: InputKind;
  /** Bytes on disk (0 for standard input). */
  size: number;
}

/** What the first bytes say: an analysis state, a capture (pcap, pcapng, gzip), or neither. */
export function sniff(path: string): InputKind | null {
  const head = new Uint8Array(4);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (n >= 4 && String.fromCharCode(...head) === STATE_MAGIC) return 'state';
  const w = n >= 4 ? ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0 : 0;
  if (w === 0xa1b2c3d4 || w === 0xd4c3b2a1 || w === 0xa1b23c4d || w === 0x4d3cb2a1 || w === 0x0a0d0d0a) return 'capture';
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'capture';
  return null;
}

/**
 * The inputs named on the command line, directories read recursively (entries sorted by
 * name; there, files that are neither captures nor states by their first bytes are skipped
 * and counted). A file named directly is taken whatever it holds: the reader says what is wrong.
 * A missing path throws the fs error (ENOENT), which names it.
 */
export function expandInputs(paths: string[]): { inputs: Input[]; skipped: string[] } {
  const inputs: Input[] = [];
  const skipped: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() || entry.isSymbolicLink()) {
        const info = statSync(p);
        if (!info.isFile()) continue;
        const kind = info.size > 0 ? sniff(p) : null;
        if (kind) inputs.push({ path: p, kind, size: info.size });
        else skipped.push(p);
      }
    }
  };
  for (const p of paths) {
    if (p === '-') {
      inputs.push({ path: p, kind: 'capture', size: 0 });
      continue;
    }
    const info = statSync(p);
    if (info.isDirectory()) walk(p);
    else inputs.push({ path: p, kind: info.isFile() && info.size > 0 ? sniff(p) ?? 'capture' : 'capture', size: info.isFile() ? info.size : 0 });
  }
  return { inputs, skipped };
}
