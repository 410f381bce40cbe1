// The Dask runner (scale/porthole_dask.py) on a LocalCluster of 2 worker processes: capture
// pieces mapped to states, merged in a tree, equal one `porthole analyze` of them, byte for byte.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { CAPTURES } from './helpers/fixtures';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
// Debian's python3 has python3-distributed (.ci/run installs it); another python3 on PATH may not.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasDask = spawnSync(PYTHON, ['-c', 'import distributed']).status === 0;
const hasEditcap = !spawnSync('editcap', ['--version']).error;
const exec = promisify(execFile);

function output(cmd: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() }));
  });
}

// A missing Dask or editcap is a failure that says how to get it, never a skip.
describe('porthole on Dask', () => {
  it('a LocalCluster of 2 workers gives the report of porthole analyze, byte for byte, and per-file Parquet flows', async () => {
    expect(hasDask, `${PYTHON} cannot import distributed: apt-get install python3-dask python3-distributed (.ci/run installs them)`).toBe(true);
    expect(hasEditcap, 'editcap is needed: apt-get install tshark (wireshark-common; .ci/run installs it)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'porthole-dask-in-'));
    await exec('editcap', ['-c', '60', join(CAPTURES, 'tcpdump', 'afs.pcap'), join(dir, 'afs.pcap')]);
    await exec('editcap', ['-c', '40', join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'), join(dir, 'lo.pcapng')]);
    const pieces = readdirSync(dir).sort();
    expect(pieces.length).toBeGreaterThan(12);
    copyFileSync(join(dir, pieces[3]!), join(dir, 'zz-repeat.pcapng'));
    const out = mkdtempSync(join(tmpdir(), 'porthole-dask-out-'));
    const r = await output(PYTHON, [join(ROOT, 'scale', 'porthole_dask.py'), '--out', out, '--local', '2', '--fan-in', '3', '--porthole', `${process.execPath} ${CLI}`, dir]);
    expect(r.err).not.toMatch(/Traceback/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({ files: pieces.length + 1, repeated: 1, damaged: [] });
    expect(summary.reduceLevels).toBeGreaterThanOrEqual(3);
    const single = await output(process.execPath, [CLI, 'analyze', dir, '--json']);
    expect(single.code).toBe(0);
    const report = readFileSync(join(out, 'report.json'), 'utf8');
    expect(report.length).toBeGreaterThan(10_000);
    expect(report).toBe(single.out);
    expect(JSON.parse(report).files.filter((f: { duplicateOf: string | null }) => f.duplicateOf !== null)).toHaveLength(1);
    // The merged state reports the same.
    expect((await output(process.execPath, [CLI, 'report', join(out, 'merged.phst'), '--json'])).out).toBe(single.out);
    // Per-file flows: one Parquet file per capture; packets add up to the merged flows' packets.
    expect(summary.flows).toHaveLength(pieces.length + 1);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const list = `[${summary.flows.filter((f: string) => !f.endsWith('zz-repeat.pcapng.parquet')).map((f: string) => `'${f}'`).join(', ')}]`;
    const perFile = Number((await db.runAndReadAll(`select sum(packets) from read_parquet(${list})`)).getRows()[0]![0]);
    const merged = JSON.parse(report).flows.reduce((t: number, f: { packets: number }) => t + f.packets, 0);
    expect(perFile).toBe(merged);
  }, 300_000);
});
