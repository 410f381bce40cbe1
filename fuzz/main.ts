// npm run fuzz -- --cases N --seed S [--out fuzz/failures]
// Runs N seeded cases; every failing input is written to the output folder (with a .json
// saying what failed) so it can become a regression fixture in fuzz/regressions/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSeeds, runFuzz } from './fuzz-run';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1]! : d; };
const cases = Number(opt('cases', '10000'));
const seed = Number(opt('seed', String(Date.now() % 1_000_000)));
const out = opt('out', join(process.cwd(), 'fuzz', 'failures'));
const seeds = loadSeeds(join(process.cwd(), 'fixtures', 'captures'));
console.log(`fuzzing ${cases} cases, seed ${seed}, from ${seeds.length} seed captures`);
const summary = await runFuzz(seeds, cases, seed, (f) => {
  mkdirSync(out, { recursive: true });
  const base = join(out, `seed${f.seed}-case${f.index}`);
  writeFileSync(`${base}.bin`, f.input);
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...f, input: undefined }, null, 1)}\n`);
  console.log(`FAIL case ${f.index} (${f.mutation} of ${f.source}): ${f.problem.split('\n')[0]} -> ${base}.bin`);
});
console.log(`${summary.cases} cases in ${(summary.ms / 1000).toFixed(1)} s (slowest ${summary.slowestMs.toFixed(0)} ms); outcomes ${JSON.stringify(summary.byStatus)}; ${summary.failures.length} failures`);
process.exitCode = summary.failures.length ? 1 : 0;
