// Fuzzing the whole pipeline (seeded, reproducible): thousands of mutated real captures.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeeds, runCase, runFuzz, Rng, type Seed } from '../fuzz/fuzz-run';
import { decodeFile } from './helpers/decode';
import { CAPTURES, listFixtures } from './helpers/fixtures';

let seeds: Seed[];

beforeAll(() => {
  seeds = loadSeeds(CAPTURES);
});

describe('fuzzing', () => {
  it('3,000 mutated captures: no exception, no hang, bounded buffers, counts add up, chunking irrelevant, reader reusable', async () => {
    const summary = await runFuzz(seeds, 3000, 20261125);
    expect(summary.failures.map((f) => `${f.index} ${f.mutation} of ${f.source}: ${f.problem.split('\n')[0]}`)).toEqual([]);
    expect(summary.cases).toBe(3000);
  });

  it('regression inputs found by earlier fuzzing still pass', () => {
    const dir = join(import.meta.dirname, '..', 'fuzz', 'regressions');
    const clean = seeds.find((s) => s.name === 'a-lo-dumpcap.pcapng')!;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.bin'))) {
      const r = runCase(new Uint8Array(readFileSync(join(dir, f))), clean.data, clean.cleanReport, new Rng(1));
      expect(r.problem, f).toBeNull();
    }
  });

  it('every malformed capture in the fixtures finishes with a result or a clear error', async () => {
    for (const f of listFixtures().filter((x) => x.expected.tshark.damaged || /oobr|asan|overflow|bof|heap/i.test(x.name))) {
      const { outcome } = await decodeFile(f.path);
      expect(['complete', 'damaged', 'not-a-capture', 'empty']).toContain(outcome.status);
      if (outcome.status !== 'complete') expect(outcome.message, f.name).toBeTruthy();
    }
  });
});
