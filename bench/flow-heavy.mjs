// The flow-heavy section of the benchmark: captures where flows, not packets, are the work
// (bench/generate.mjs --shape syn-scan|udp-scan|busy-server). For each shape x flow count (pcap):
// `porthole analyze FILE` (text to /dev/null), `porthole analyze FILE --json` and
// `tshark -n -q -r FILE -z conv,tcp -z conv,udp`, in turn, median of the runs, with peak RSS.
// A run that passes the timeout is stopped and reported as "> T s (stopped)", and not repeated.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCount } from './gen/flow-shape.mjs';

const TIME = '/usr/bin/time';
const JSON_HEAD_BYTES = 4 * 1024 * 1024; // `totals` comes early in the report

/** Generate bench/data/SHAPE-Nf.pcap and its truth file unless they are there. */
export function ensureShapeCapture(root, shape, flows, format = 'pcap') {
  const dataDir = join(root, 'bench', 'data');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `${shape}-${flows}f.${format}`);
  if (!existsSync(file) || !existsSync(`${file}.truth.json`)) {
    const r = spawnSync(process.execPath, [join(root, 'bench', 'generate.mjs'), file, '--shape', shape, '--flows', String(flows), '--format', format], { stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error(`generator failed for ${file}`);
    console.error(r.stdout.toString().trim());
  }
  return { file, truth: JSON.parse(readFileSync(`${file}.truth.json`, 'utf8')), bytes: statSync(file).size };
}

/** Peak RSS (KiB) of a live process, from the kernel's high-water mark. */
function vmHwmKiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch { return null; }
}

/** Direct children of pid (no /proc/PID/task/TID/children on every kernel: scan /proc). */
function childrenOf(pid) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
    } catch { /* gone */ }
  }
  return out;
}

/**
 * Run argv with a timeout; stdout to /dev/null, or into a pipe whose first bytes are kept (`keepHead`).
 * Peak RSS by `/usr/bin/time -f %M` when it is installed, else by polling VmHWM. Returns
 * { ms, rssKiB, stopped, status, stderr, head }.
 */
export function measure(argv, { timeoutMs, keepHead = false }) {
  const withTime = existsSync(TIME);
  const rssFile = join('/tmp', `porthole-bench-rss-${process.pid}`);
  const cmd = withTime ? [TIME, '-f', '%M', '-o', rssFile, ...argv] : argv;
  const devNull = keepHead ? null : openSync('/dev/null', 'w');
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    // Its own process group, so a stop ends the command and /usr/bin/time together.
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', keepHead ? 'pipe' : devNull, 'pipe'], detached: true });
    const head = [];
    let headBytes = 0;
    if (keepHead) child.stdout.on('data', (b) => { if (headBytes < JSON_HEAD_BYTES) { head.push(b); headBytes += b.length; } });
    let stderr = '';
    child.stderr.on('data', (b) => { stderr = (stderr + b.toString()).slice(-65536); });
    let polledKiB = null;
    const target = () => (withTime ? childrenOf(child.pid)[0] : child.pid);
    const poll = withTime ? null : setInterval(() => { polledKiB = vmHwmKiB(child.pid) ?? polledKiB; }, 50);
    let stopped = false;
    const timer = setTimeout(() => {
      stopped = true;
      const pid = target();
      if (pid) polledKiB = vmHwmKiB(pid) ?? polledKiB;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.on('close', (status) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      if (devNull !== null) closeSync(devNull);
      let rssKiB = polledKiB;
      if (withTime && !stopped && existsSync(rssFile)) {
        const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop();
        if (/^\d+$/.test(last)) rssKiB = Number(last);
      }
      rmSync(rssFile, { force: true });
      resolve({ ms, rssKiB, stopped, status, stderr, head: keepHead ? Buffer.concat(head).toString('utf8') : null });
    });
  });
}

/** The `totals` object near the start of a streamed JSON report. */
function totalsFromHead(head) {
  const at = head.indexOf('"totals":');
  if (at < 0) return null;
  let depth = 0;
  const start = head.indexOf('{', at);
  for (let i = start; i < head.length; i++) {
    if (head[i] === '{') depth++;
    else if (head[i] === '}' && --depth === 0) return JSON.parse(head.slice(start, i + 1));
  }
  return null;
}

/** Phase timings: a stderr line `timings {...}` (printed by engines that accept --timings). */
function timingsFrom(stderr) {
  const line = stderr.split('\n').reverse().find((l) => l.startsWith('timings '));
  if (!line) return null;
  try { return JSON.parse(line.slice('timings '.length)); } catch { return null; }
}

/** Does this build's `analyze` accept --timings? Its help says so, or a run on a tiny capture exits 0. */
export function acceptsTimings(root, cli) {
  const help = spawnSync(process.execPath, [cli, 'analyze', '--help'], { encoding: 'utf8' });
  if (`${help.stdout}${help.stderr}`.includes('--timings')) return true;
  const tiny = ensureShapeCapture(root, 'syn-scan', 20);
  const probe = spawnSync(process.execPath, [cli, 'analyze', tiny.file, '--json', '--timings'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return probe.status === 0;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function summarize(samples) {
  const done = samples.filter((s) => !s.stopped);
  const rss = samples.map((s) => s.rssKiB).filter((x) => x !== null);
  const out = {
    runs: samples.length,
    stopped: done.length === 0,
    medianMs: done.length ? median(done.map((s) => s.ms)) : null,
    minMs: done.length ? Math.min(...done.map((s) => s.ms)) : null,
    maxMs: done.length ? Math.max(...done.map((s) => s.ms)) : null,
    peakRssMiB: rss.length ? Math.max(...rss) / 1024 : null,
    stoppedAfterMs: done.length ? null : samples[0].ms,
    timings: null,
  };
  const phases = done.map((s) => s.timings).filter(Boolean);
  if (phases.length) out.timings = Object.fromEntries(Object.keys(phases[0]).map((k) => [k, median(phases.map((p) => p[k]))]));
  return out;
}

/**
 * opts: { root, cli, shapes, flowCounts (labels like 64K), runs, timeoutS, withTshark }.
 * Returns { timeoutS, runs, timingsFlag, rows }.
 */
export async function runFlowHeavy({ root, cli, shapes, flowCounts, runs, timeoutS, withTshark }) {
  const timeoutMs = timeoutS * 1000;
  const timingsFlag = acceptsTimings(root, cli);
  const rows = [];
  for (const shape of shapes) {
    for (const label of flowCounts) {
      const f = ensureShapeCapture(root, shape, parseCount(label));
      spawnSync('sh', ['-c', `cat '${f.file}' > /dev/null`]); // page-cache warm, like the other sections
      const extra = timingsFlag ? ['--timings'] : [];
      const variants = {
        text: () => measure([process.execPath, cli, 'analyze', f.file, ...extra], { timeoutMs }),
        json: () => measure([process.execPath, cli, 'analyze', f.file, '--json', ...extra], { timeoutMs, keepHead: true }),
        tshark: withTshark ? () => measure(['tshark', '-n', '-q', '-r', f.file, '-z', 'conv,tcp', '-z', 'conv,udp'], { timeoutMs }) : null,
      };
      const samples = { text: [], json: [], tshark: [] };
      let check = null;
      // In turn: text, tshark, --json, text, tshark, --json, ... A stopped command is not run again.
      for (let i = 0; i < runs; i++) {
        for (const name of ['text', 'tshark', 'json']) {
          if (!variants[name] || samples[name].some((s) => s.stopped)) continue;
          const s = await variants[name]();
          s.timings = name === 'tshark' ? null : timingsFrom(s.stderr);
          if (!s.stopped && s.status !== 0 && name !== 'tshark') throw new Error(`porthole ${name} failed on ${f.file} (exit ${s.status}): ${s.stderr.slice(-2000)}`);
          if (name === 'json' && !s.stopped && check === null) check = checkTotals(totalsFromHead(s.head), f.truth);
          samples[name].push({ ms: s.ms, rssKiB: s.rssKiB, stopped: s.stopped, timings: s.timings });
          process.stderr.write(`  ${shape} ${label} ${name}: ${s.stopped ? `> ${timeoutS} s (stopped)` : `${(s.ms / 1000).toFixed(2)} s`}${s.rssKiB ? `, ${(s.rssKiB / 1024).toFixed(0)} MiB` : ''}\n`);
        }
      }
      const row = {
        shape, flows: f.truth.flows.tcp + f.truth.flows.udp, flowsLabel: label, file: f.file.split('/').pop(), bytes: f.bytes,
        packets: f.truth.packets, truth: { packets: f.truth.packets, bytes: f.truth.bytes, flows: f.truth.flows, scanner: f.truth.scanner, probes: f.truth.probes },
        porthole: summarize(samples.text), portholeJson: summarize(samples.json), tshark: withTshark ? summarize(samples.tshark) : null,
        check: check ?? { ok: null, note: 'no --json run finished' },
      };
      row.ratioTsharkVsPorthole = ratio(row.tshark, row.portholeJson);
      row.ratioTsharkVsPortholeText = ratio(row.tshark, row.porthole);
      rows.push(row);
    }
  }
  return { timeoutS, runs, timingsFlag, rows };
}

function checkTotals(totals, truth) {
  if (!totals) return { ok: false, note: 'no totals in the --json output' };
  const want = { packets: truth.packets, bytes: truth.bytes, tcp: truth.flows.tcp, udp: truth.flows.udp };
  const got = { packets: totals.packets, bytes: totals.bytes, tcp: totals.flows?.tcp, udp: totals.flows?.udp };
  const ok = Object.keys(want).every((k) => want[k] === got[k]);
  return { ok, got, want };
}

/** tshark time / Porthole time; a stopped Porthole only bounds it: { value, bound: '<' }. */
function ratio(tshark, porthole) {
  if (!tshark || tshark.stopped) return null;
  if (porthole.stopped) return { value: tshark.medianMs / porthole.stoppedAfterMs, bound: '<' };
  return { value: tshark.medianMs / porthole.medianMs, bound: '=' };
}

const fmtMs = (c, timeoutS) => (c === null ? '–' : c.stopped ? `> ${timeoutS} s (stopped)` : `${Math.round(c.medianMs).toLocaleString('en-US')} ms`);
const fmtRss = (c) => (c?.peakRssMiB == null ? '' : ` ${c.peakRssMiB.toFixed(0)} MiB`);
const fmtRatio = (r) => (r === null ? '–' : `${r.bound === '<' ? '< ' : ''}${r.value >= 10 ? r.value.toFixed(0) : r.value.toPrecision(2)}×`);

export function printFlowHeavy(fh) {
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  console.log(`\nFlow-heavy captures (pcap): median of ${fh.runs} run(s), peak RSS; timeout ${fh.timeoutS} s per run; ratio = tshark time / porthole --json time (> 1: Porthole faster)`);
  console.log(`  ${pad('shape', 12)} ${lpad('flows', 10)} ${lpad('file', 9)}  ${pad('porthole analyze', 30)} ${pad('porthole --json', 30)} ${pad('tshark -z conv', 26)} ${lpad('ratio', 8)}  totals`);
  for (const r of fh.rows) {
    const c = r.check.ok === true ? 'match' : r.check.ok === false ? `DIFFER ${JSON.stringify(r.check.got ?? r.check.note)} vs ${JSON.stringify(r.check.want ?? '')}` : r.check.note;
    console.log(`  ${pad(r.shape, 12)} ${lpad(r.flows.toLocaleString('en-US'), 10)} ${lpad(`${(r.bytes / 2 ** 20).toFixed(r.bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`, 9)}  ${pad(fmtMs(r.porthole, fh.timeoutS) + fmtRss(r.porthole), 30)} ${pad(fmtMs(r.portholeJson, fh.timeoutS) + fmtRss(r.portholeJson), 30)} ${pad(fmtMs(r.tshark, fh.timeoutS) + fmtRss(r.tshark), 26)} ${lpad(fmtRatio(r.ratioTsharkVsPorthole), 8)}  ${c}`);
    for (const [name, c2] of [['analyze', r.porthole], ['--json', r.portholeJson]]) {
      if (c2.timings) console.log(`  ${pad('', 12)} ${pad('', 10)} ${pad('', 9)}  phases of ${name}: ${Object.entries(c2.timings).map(([k, v]) => `${k} ${typeof v === 'number' ? Math.round(v) : v}`).join(', ')}`);
    }
  }
  if (!fh.timingsFlag) console.log('  (this build of porthole does not accept --timings: no phase timings)');
}
