// npm run bench -- --scale [--scale-size 2GiB] [--scale-files 64] [--runs 1] [--quick]
// Many ring-buffer files (bench/generate.mjs, cut with editcap -c): porthole analyze --jobs 1
// and 2, the Dask runner (scale/porthole_dask.py) on a LocalCluster of 1 and 2 workers, and
// tshark over mergecap; throughput, and the share of the time the merges take. Every run's
// report is checked against the single-threaded one (the Dask one byte for byte).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function sh(cmd, argv, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { maxBuffer: 1 << 30, encoding: 'utf8', ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !(opts.okCodes ?? []).includes(r.status)) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

function ringFiles(dataDir, size, files) {
  const dir = join(dataDir, `scale-${size}-${files}`);
  const done = join(dir, '.complete');
  if (existsSync(done)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const whole = join(dataDir, `scale-${size}.pcap`);
  if (!existsSync(`${whole}.truth.json`)) sh(process.execPath, [join(root, 'bench', 'generate.mjs'), whole, '--size', size, '--flows', '20000', '--format', 'pcap'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const truth = JSON.parse(readFileSync(`${whole}.truth.json`, 'utf8'));
  sh('editcap', ['-F', 'pcap', '-c', String(Math.ceil(truth.packets / files)), whole, join(dir, 'ring.pcap')]);
  rmSync(whole);
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth));
  writeFileSync(done, '');
  return dir;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runScale(args) {
  const opt = (n, d) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
  const quick = args.includes('--quick');
  const size = opt('scale-size', quick ? '16MiB' : '2GiB');
  const nFiles = Number(opt('scale-files', quick ? '8' : '64'));
  const runs = Number(opt('runs', '1'));
  const cli = opt('cli', join(root, 'dist', 'cli.js'));
  const dataDir = join(root, 'bench', 'data');
  mkdirSync(dataDir, { recursive: true });
  const dir = ringFiles(dataDir, size, nFiles);
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  const paths = readdirSync(dir).filter((f) => f.endsWith('.pcap')).sort().map((f) => join(dir, f));
  const bytes = paths.reduce((t, p) => t + statSync(p).size, 0);
  const work = mkdtempSync(join(tmpdir(), 'porthole-scale-'));
  const reference = join(work, 'reference.json');
  const warm = () => sh('sh', ['-c', `cat '${dir}'/*.pcap > /dev/null`]);
  const hasDask = spawnSync(PYTHON, ['-c', 'import distributed']).status === 0;
  const hasTshark = !spawnSync('tshark', ['--version']).error && !spawnSync('mergecap', ['--version']).error;

  const contenders = {
    'porthole --jobs 1': (out) => analyze(1, out),
    'porthole --jobs 2': (out) => analyze(2, out),
    ...(hasDask ? { 'dask 1 worker': (out) => dask(1, out), 'dask 2 workers': (out) => dask(2, out) } : {}),
    ...(hasTshark ? { 'tshark over mergecap': () => tshark() } : {}),
  };
  function analyze(jobs, out) {
    const r = sh('sh', ['-c', `'${process.execPath}' '${cli}' analyze '${dir}' --jobs ${jobs} --json --timings > '${out}'`]);
    const t = JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('timings ')).slice(8));
    return { ms: r.ms, mergeMs: t.mergeMs + t.decodeMs, detail: t };
  }
  function dask(workers, out) {
    const o = join(work, `dask-${workers}`);
    rmSync(o, { recursive: true, force: true });
    const r = sh(PYTHON, [join(root, 'scale', 'porthole_dask.py'), '--out', o, '--local', String(workers), '--no-flows', '--porthole', `${process.execPath} ${cli}`, dir]);
    const s = JSON.parse(r.stdout);
    sh('sh', ['-c', `cp '${join(o, 'report.json')}' '${out}'`]);
    return { ms: r.ms, mergeMs: s.reduceSeconds * 1000, detail: s };
  }
  function tshark() {
    const all = join(work, 'all.pcap');
    const m = sh('mergecap', ['-F', 'pcap', '-w', all, ...paths]);
    const t = sh('tshark', ['-n', '-q', '-r', all, '-z', 'conv,tcp', '-z', 'conv,udp']);
    rmSync(all);
    return { ms: m.ms + t.ms, mergeMs: m.ms, detail: { mergecapMs: m.ms, tsharkMs: t.ms } };
  }

  warm();
  analyze(1, reference);
  const ref = readFileSync(reference, 'utf8');
  const refReport = JSON.parse(ref);
  if (refReport.totals.packets !== truth.packets || refReport.totals.bytes !== truth.bytes) throw new Error('porthole totals differ from the generator\'s');
  const rows = {};
  for (let run = 0; run < runs; run++) {
    for (const [name, fn] of Object.entries(contenders)) {
      warm();
      const out = join(work, 'out.json');
      const r = fn(out);
      if (!name.startsWith('tshark')) {
        const got = readFileSync(out, 'utf8');
        if (got !== ref) throw new Error(`${name}: the report differs from porthole --jobs 1's`);
      }
      (rows[name] ??= []).push(r);
    }
  }
  const summary = Object.fromEntries(Object.entries(rows).map(([name, rs]) => {
    const ms = median(rs.map((r) => r.ms));
    const mergeMs = median(rs.map((r) => r.mergeMs));
    return [name, { medianMs: ms, MBps: bytes / 1e6 / (ms / 1000), mergeShare: mergeMs / ms, runs: rs }];
  }));
  const one = summary['porthole --jobs 1'];
  const results = {
    date: new Date().toISOString(), kind: 'scale',
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAvgAtStart: loadavg() },
    input: { size, files: paths.length, bytes, packets: truth.packets, flows: refReport.totals.flows },
    contenders: summary,
    perCoreMBps: one.MBps,
    tenTBWeek: { coreHours: 10e12 / (one.MBps * 1e6) / 3600 },
  };
  console.log(`\nScale benchmark — ${paths.length} ring-buffer files, ${(bytes / 2 ** 30).toFixed(2)} GiB, ${truth.packets} packets; ${results.machine.cpus} cores, load average ${results.machine.loadAvgAtStart.map((x) => x.toFixed(1)).join(' ')}`);
  for (const [name, c] of Object.entries(summary)) {
    console.log(`  ${name.padEnd(22)} ${c.medianMs.toFixed(0).padStart(8)} ms  ${c.MBps.toFixed(0).padStart(6)} MB/s  merge ${(100 * c.mergeShare).toFixed(1).padStart(5)} % of the time`);
  }
  console.log(`  one core reads ${one.MBps.toFixed(0)} MB/s: 10 TB take ${results.tenTBWeek.coreHours.toFixed(1)} core-hours`);
  const resultsDir = join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const name = quick ? 'quick-scale.json' : `${results.date.replace(/[:.]/g, '-')}-scale.json`;
  writeFileSync(join(resultsDir, name), `${JSON.stringify(results, null, 1)}\n`);
  console.log(`\nresults: bench/results/${name}`);
  rmSync(work, { recursive: true, force: true });
  return results;
}
