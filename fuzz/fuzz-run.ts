import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CaptureReader } from '../src/decoder/capture-reader';
import { findTargets, newTap, reportAfter, runCase, runGzipCase, type CaseResult } from './fuzz-case';
import { MUTATIONS, mutate, Rng, type Targets } from './mutate';

export interface Seed {
  name: string;
  data: Uint8Array;
  targets: Targets;
  cleanReport: string;
}

export interface Failure {
  seed: number;
  index: number;
  source: string;
  mutation: string;
  problem: string;
  input: Uint8Array;
}

export interface FuzzSummary {
  cases: number;
  failures: Failure[];
  ms: number;
  byStatus: Record<string, number>;
  slowestMs: number;
}

/** Seeds: the uncompressed fixtures (small ones, so thousands of cases run quickly). */
export function loadSeeds(capturesDir: string, maxBytes = 64 * 1024): Seed[] {
  const seeds: Seed[] = [];
  for (const set of ['local', 'tcpdump']) {
    const dir = join(capturesDir, set);
    for (const f of readdirSync(dir).sort()) {
      if (!/\.(pcap|pcapng)$/.test(f)) continue;
      const data = new Uint8Array(readFileSync(join(dir, f)));
      if (data.length > maxBytes) continue;
      seeds.push({ name: f, data, targets: findTargets(data), cleanReport: cleanReportOf(data) });
    }
  }
  return seeds;
}

export function cleanReportOf(data: Uint8Array): string {
  const a = newTap();
  const r = new CaptureReader(a);
  r.push(data);
  const o = r.end();
  return JSON.stringify(reportAfter(a, r, o, data.length));
}

/** Time allowed per case: generous, proportional to size (catches hangs, not slowness). */
export function timeBoundMs(bytes: number): number {
  return 2000 + bytes / 1000;
}

export async function runFuzz(seeds: Seed[], cases: number, seed: number, onFailure?: (f: Failure) => void): Promise<FuzzSummary> {
  const rng = new Rng(seed);
  const failures: Failure[] = [];
  const byStatus: Record<string, number> = {};
  const clean = seeds.find((s) => s.name === 'a-lo-dumpcap.pcapng') ?? seeds[0]!;
  const t0 = performance.now();
  let slowest = 0;
  for (let i = 0; i < cases; i++) {
    const source = rng.pick(seeds);
    const gzip = rng.next() < 0.03;
    const mutation = rng.pick(MUTATIONS);
    let input = mutate(source.data, source.targets, rng, mutation);
    let result: CaseResult;
    if (gzip) {
      const gz = new Uint8Array(gzipSync(source.data));
      input = mutate(gz, { lengthFields: [], headerBytes: [], recordStarts: [] }, rng, rng.pick(['bit-flips', 'delete', 'random-bytes', 'insert'] as const));
      result = await runGzipCase(input);
    } else {
      result = runCase(input, clean.data, clean.cleanReport, rng);
    }
    if (result.ok && result.ms > timeBoundMs(input.length)) result = { ...result, ok: false, problem: `took ${result.ms.toFixed(0)} ms for ${input.length} bytes` };
    slowest = Math.max(slowest, result.ms);
    byStatus[result.status] = (byStatus[result.status] ?? 0) + 1;
    if (!result.ok) {
      const f: Failure = { seed, index: i, source: source.name, mutation: gzip ? `gzip+${mutation}` : mutation, problem: result.problem!, input };
      failures.push(f);
      onFailure?.(f);
    }
  }
  return { cases, failures, ms: performance.now() - t0, byStatus, slowestMs: slowest };
}

export { runCase, Rng };
