#!/usr/bin/env node
// npm run bench [-- --quick] [--runs N] [--sizes 256MiB,1GiB] [--no-browser] [--no-tshark]
//   [--flow-heavy] [--flow-counts 64K,1M] [--shapes syn-scan,udp-scan,busy-server] [--timeout-s 1200] [--cli dist/cli.js]
//   [--scale [--scale-size 2GiB] [--scale-files 64]]: only the many-files section (bench/scale.mjs)
//   [--page [--page-flows 1M]]: the page with a flow-heavy capture too (bench/page-flows.mjs); --page-only: only that
// Every contender runs in turn with Porthole (A B A B ...) on the same, page-cache-warm file;
// ratios within one run survive this machine's drift. Results: a table and bench/results/*.json.
// The flow-heavy section (bench/flow-heavy.mjs) runs after the others; --flow-heavy runs only it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { printFlowHeavy, runFlowHeavy } from './flow-heavy.mjs';
import { printPageFlows, runPageFlows } from './page-flows.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
if (args.includes('--scale')) {
  const { runScale } = await import('./scale.mjs');
  await runScale(args);
  process.exit(0);
}
const quick = args.includes('--quick');
const opt = (n, d) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const runs = Number(opt('runs', quick ? '1' : '3'));
const sizes = opt('sizes', quick ? '4MiB' : '256MiB,1GiB').split(',');
const formats = opt('formats', 'pcap,pcapng').split(',');
const flows = opt('flows', quick ? '2000' : '20000');
const withBrowser = !args.includes('--no-browser');
const withTshark = !args.includes('--no-tshark') && !spawnSync('tshark', ['--version']).error;
const withMemory = !args.includes('--no-memory');
const flowHeavyOnly = args.includes('--flow-heavy');
const flowCounts = opt('flow-counts', quick ? '2K' : '64K,1M').split(',');
const shapes = opt('shapes', 'syn-scan,udp-scan,busy-server').split(',');
const timeoutS = Number(opt('timeout-s', '1200'));
// The page with a flow-heavy capture: always in --quick (small), else with --page.
const pageOnly = args.includes('--page-only');
const pageFlows = args.includes('--page') || pageOnly || quick ? opt('page-flows', quick ? '2K' : '1M') : null;
const dataDir = join(root, 'bench', 'data');
mkdirSync(dataDir, { recursive: true });

function ensureCapture(size, format, flowCount = flows) {
  const file = join(dataDir, `bench-${size}-${flowCount}f.${format}`);
  if (!existsSync(file) || !existsSync(`${file}.truth.json`)) {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [join(root, 'bench', 'generate.mjs'), file, '--size', size, '--flows', String(flowCount), '--format', format], { stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error(`generator failed for ${file}`);
    console.error(`generated ${file} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { file, truth: JSON.parse(readFileSync(`${file}.truth.json`, 'utf8')), bytes: statSync(file).size };
}

function warm(file) {
  spawnSync('sh', ['-c', `cat '${file}' > /dev/null`]);
}

function timed(cmd, argv, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  return { ms, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const cli = opt('cli', join(root, 'dist', 'cli.js')); // --cli: another build of porthole, e.g. a worktree's dist/cli.js
const CONTENDERS = {
  limit: (f) => { const r = timed(process.execPath, [join(root, 'bench', 'limit.mjs'), f.file]); return { ms: r.ms, check: JSON.parse(r.stdout) }; },
  porthole: (f) => {
    const r = timed('sh', ['-c', `'${process.execPath}' '${cli}' analyze '${f.file}' --json > /tmp/porthole-bench.json`]);
    const rep = JSON.parse(readFileSync('/tmp/porthole-bench.json', 'utf8'));
    const ok = rep.totals.packets === f.truth.packets && rep.totals.bytes === f.truth.bytes
      && rep.totals.flows.tcp === f.truth.flows.tcp && rep.totals.flows.udp === f.truth.flows.udp;
    if (!ok) throw new Error(`Porthole's totals differ from the generator's for ${f.file}: ${JSON.stringify(rep.totals)} vs ${JSON.stringify(f.truth)}`);
    return { ms: r.ms, check: 'totals match the generator' };
  },
  tshark: withTshark ? (f) => ({ ms: timed('tshark', ['-n', '-q', '-r', f.file, '-z', 'conv,tcp', '-z', 'conv,udp']).ms }) : null,
  'pcap-parser': (f) => (f.file.endsWith('.pcap') ? { ms: timed(process.execPath, [join(root, 'bench', 'pcap-parser-flows.cjs'), f.file]).ms } : null),
};

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

async function browserBench(captures) {
  const { chromium } = await import('playwright-core');
  const { startServer } = await import('../scripts/serve.mjs');
  const exe = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/google-chrome'].find((p) => p && existsSync(p));
  if (!exe) return { skipped: 'no Chromium found (set CHROME_PATH)' };
  const server = await startServer(0);
  const url = `http://127.0.0.1:${server.address().port}/harness/`;
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const out = [];
  for (const f of captures) {
    await page.locator('#files').setInputFiles(f.file);
    for (const workers of [...new Set([1, Math.min(4, cores)])]) {
      const analyze = [], read = [], first = [];
      for (let i = 0; i < runs; i++) {
        const a = await page.evaluate((w) => window.harness.benchAnalyze(w), workers);
        if (a.packets !== f.truth.packets || a.bytes !== f.truth.bytes) throw new Error(`browser totals differ for ${f.file}`);
        analyze.push(a.ms);
        first.push(a.firstPartialMs);
        read.push((await page.evaluate((w) => window.harness.benchReadOnly(w), workers)).ms);
      }
      out.push({ file: f.file, bytes: f.bytes, workers, analyzeMs: median(analyze), readOnlyMs: median(read), firstPartialMs: median(first),
        analyzeMBps: f.bytes / 1e6 / (median(analyze) / 1000), readOnlyMBps: f.bytes / 1e6 / (median(read) / 1000) });
    }
  }
  const mem = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize : null));
  await browser.close();
  server.close();
  return { cores, results: out, mainThreadHeapBytes: mem };
}

function peakRssKiB(file) {
  // Output to /dev/null through sh: time reports the largest RSS among its waited children.
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'sh', '-c', `'${process.execPath}' '${cli}' analyze '${file}' --json > /dev/null`]);
  return Number(r.stderr.toString().trim().split('\n').pop());
}

const results = { date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: +(totalmem() / 1024 ** 3).toFixed(1), node: process.version },
  runs, quick, files: [], browser: null, memory: null, flowHeavy: null, page: null };
const captures = [];
if (!flowHeavyOnly && !pageOnly) for (const size of sizes) for (const format of formats) captures.push(ensureCapture(size, format));

for (const f of captures) {
  warm(f.file);
  const times = Object.fromEntries(Object.keys(CONTENDERS).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of Object.entries(CONTENDERS)) {
      if (!fn) continue;
      const r = fn(f);
      if (r) times[name].push(r.ms);
      // A B A B: Porthole runs between every other contender.
      if (name !== 'porthole') times.porthole.push(CONTENDERS.porthole(f).ms);
    }
  }
  const row = { file: f.file.split('/').pop(), bytes: f.bytes, packets: f.truth.packets, contenders: {} };
  for (const [name, ms] of Object.entries(times)) {
    if (ms.length === 0) continue;
    const m = median(ms);
    row.contenders[name] = { medianMs: m, minMs: Math.min(...ms), maxMs: Math.max(...ms), runs: ms.length, MBps: f.bytes / 1e6 / (m / 1000) };
  }
  const p = row.contenders.porthole.medianMs;
  row.ratios = {
    portholeVsLimit: row.contenders.limit.medianMs / p,
    portholeVsTshark: row.contenders.tshark ? row.contenders.tshark.medianMs / p : null,
    portholeVsPcapParser: row.contenders['pcap-parser'] ? row.contenders['pcap-parser'].medianMs / p : null,
  };
  results.files.push(row);
}

if (withMemory && !flowHeavyOnly && !pageOnly) {
  const memSizes = quick ? ['4MiB', '16MiB'] : ['1GiB', '4GiB'];
  const mem = [];
  for (const size of memSizes) {
    const f = ensureCapture(size, 'pcap');
    mem.push({ file: f.file.split('/').pop(), bytes: f.bytes, flows: f.truth.flows.tcp + f.truth.flows.udp, peakRssMiB: peakRssKiB(f.file) / 1024 });
  }
  const many = ensureCapture(quick ? '16MiB' : '1GiB', 'pcap', quick ? 50_000 : 1_000_000);
  mem.push({ file: many.file.split('/').pop(), bytes: many.bytes, flows: many.truth.flows.tcp + many.truth.flows.udp, peakRssMiB: peakRssKiB(many.file) / 1024 });
  results.memory = mem;
}

if (withBrowser && !flowHeavyOnly && !pageOnly) results.browser = await browserBench(captures);
if (!pageOnly) results.flowHeavy = await runFlowHeavy({ root, cli, shapes, flowCounts, runs, timeoutS, withTshark });
if (pageFlows && withBrowser) results.page = await runPageFlows({ root, flows: pageFlows });

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`\nPorthole benchmark — ${results.machine.cpus} cores (${results.machine.model}), ${results.machine.memGiB} GiB, Node ${results.machine.node}; median of ${runs} run(s), min–max in brackets`);
for (const row of results.files) {
  console.log(`\n${row.file}  (${(row.bytes / 2 ** 20).toFixed(0)} MiB, ${row.packets} packets)`);
  for (const [name, c] of Object.entries(row.contenders)) {
    console.log(`  ${pad(name, 12)} ${lpad(c.medianMs.toFixed(0), 8)} ms [${c.minMs.toFixed(0)}–${c.maxMs.toFixed(0)}]  ${lpad(c.MBps.toFixed(0), 6)} MB/s`);
  }
  const r = row.ratios;
  console.log(`  porthole = ${(100 * r.portholeVsLimit).toFixed(0)}% of the limit loop${r.portholeVsTshark ? `; ${r.portholeVsTshark.toFixed(1)}× tshark` : ''}${r.portholeVsPcapParser ? `; ${r.portholeVsPcapParser.toFixed(1)}× pcap-parser` : ''}`);
}
if (results.memory) {
  console.log('\nPeak RSS of porthole analyze --json');
  for (const m of results.memory) console.log(`  ${pad(m.file, 34)} ${lpad((m.bytes / 2 ** 20).toFixed(0), 6)} MiB  ${lpad(m.flows, 8)} flows  ${lpad(m.peakRssMiB.toFixed(0), 5)} MiB RSS`);
}
if (results.browser?.results) {
  console.log(`\nBrowser (headless Chromium, ${results.browser.cores} cores): analysis vs read-only pass over the same File`);
  for (const b of results.browser.results) {
    console.log(`  ${pad(b.file.split('/').pop(), 28)} ${b.workers} worker(s): ${lpad(b.analyzeMBps.toFixed(0), 5)} MB/s vs read-only ${lpad(b.readOnlyMBps.toFixed(0), 5)} MB/s = ${(100 * b.readOnlyMs / b.analyzeMs).toFixed(0)}%; first partial result ${b.firstPartialMs.toFixed(0)} ms`);
  }
} else if (results.browser?.skipped) console.log(`\nBrowser: skipped (${results.browser.skipped})`);
if (results.flowHeavy) printFlowHeavy(results.flowHeavy);
printPageFlows(results.page);
const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const name = quick ? 'quick.json' : `${results.date.replace(/[:.]/g, '-')}${flowHeavyOnly ? '-flow-heavy' : pageOnly ? '-page' : ''}.json`;
writeFileSync(join(resultsDir, name), `${JSON.stringify(results, null, 1)}\n`);
if (!quick && !flowHeavyOnly && !pageOnly) writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 1)}\n`);
console.log(`\nresults: bench/results/${name}`);
