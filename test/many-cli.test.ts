// porthole analyze over many files, as a user runs it: pieces of a capture (editcap -c, like
// a ring buffer) analyzed together equal one capture of all their packets (mergecap), and
// tshark's conversation tables of that capture.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/schema/report';
import { CAPTURES } from './helpers/fixtures';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const has = (tool: string) => !spawnSync(tool, ['--version']).error;
const tools = has('editcap') && has('mergecap') && has('tshark');

// Child processes run asynchronously: a test blocked in spawnSync for long starves vitest's own messages.
const exec = async (cmd: string, args: string[]): Promise<string> =>
  (await promisify(execFile)(cmd, args, { maxBuffer: 512 << 20, encoding: 'utf8' })).stdout as string;

function run(args: string[], input?: Buffer): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() }));
    child.stdin.end(input);
  });
}

async function json(args: string[]): Promise<Report> {
  const r = await run([...args, '--json']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Report;
}

function comparable(r: Report): unknown {
  const { source, capture, files, ...rest } = r;
  return rest;
}

/** Cut a capture into pieces of `count` packets (editcap -c) in a fresh directory. */
async function pieces(file: string, count: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-many-'));
  await exec('editcap', ['-c', String(count), file, join(dir, `piece${file.endsWith('.pcapng') ? '.pcapng' : '.pcap'}`)]);
  return dir;
}

async function merged(dir: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'porthole-merged-')), 'all.pcapng');
  await exec('mergecap', ['-w', out, ...readdirSync(dir).sort().map((f) => join(dir, f))]);
  return out;
}

/** tshark's TCP and UDP conversations: key -> [frames, bytes or null when tshark rounded them]. */
async function tsharkConversations(file: string): Promise<Map<string, [number, number | null]>> {
  const text = await exec('tshark', ['-n', '-q', '-r', file, '-z', 'conv,tcp', '-z', 'conv,udp']);
  const row = /^(\S+)\s+<->\s+(\S+)\s+\d+\s+\S+ \S+\s+\d+\s+\S+ \S+\s+(\d+)\s+([\d,]+) (bytes|kB|MB|GB)\s/;
  const out = new Map<string, [number, number | null]>();
  let proto = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('TCP Conversations')) proto = 'tcp';
    else if (line.startsWith('UDP Conversations')) proto = 'udp';
    const m = row.exec(line);
    if (!m || !proto) continue;
    const ends = [m[1]!, m[2]!].sort();
    out.set(`${proto} ${ends.join(' ')}`, [Number(m[3]), m[5] === 'bytes' ? Number(m[4]!.replace(/,/g, '')) : null]);
  }
  return out;
}

function porthole(r: Report): Map<string, [number, number]> {
  const ep = (a: string, p: number) => `${a}:${p}`;
  return new Map(r.flows.filter((f) => f.tunnel === undefined).map((f) => [`${f.proto} ${[ep(f.a, f.aPort), ep(f.b, f.bPort)].sort().join(' ')}`, [f.packets, f.bytes]]));
}

const FIXTURES = ['tcpdump/afs.pcap', 'tcpdump/resp_3_malicious.pcap', 'local/a-lo-dumpcap.pcapng', 'local/a-lo-tcpdump-usec.pcap'];

describe.skipIf(!tools)('porthole analyze FILE|DIR…', () => {
  it.each(FIXTURES)('%s in pieces (editcap -c) = mergecap of the pieces, and agrees with tshark on it', async (name) => {
    const file = join(CAPTURES, name);
    const dir = await pieces(file, 37);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(2);
    const many = await json(['analyze', dir, '--jobs', '2']);
    const all = await merged(dir);
    const whole = await json(['analyze', all]);
    expect(many.files).toHaveLength(files.length);
    expect(many.files!.every((f) => f.overlapCount === 0 && f.read.status === 'complete')).toBe(true);
    expect(comparable(many)).toEqual(comparable(whole));
    // The original capture too (editcap kept every packet, in order).
    expect(comparable(many)).toEqual(comparable(await json(['analyze', file])));
    // tshark's conversation tables: of the merged capture against the pieces, as of the original
    // against the original (where this tshark and Porthole differ on the original, they differ alike).
    const agreeing = (conv: Map<string, [number, number | null]>, mine: Map<string, [number, number]>) =>
      [...conv].filter(([k, [frames, bytes]]) => mine.get(k)?.[0] === frames && (bytes === null || mine.get(k)![1] === bytes)).map(([k]) => k);
    const conv = await tsharkConversations(all);
    expect(conv.size).toBeGreaterThan(3);
    const agreeMerged = agreeing(conv, porthole(many));
    expect(agreeMerged).toEqual(agreeing(await tsharkConversations(file), porthole(await json(['analyze', file]))));
    expect(agreeMerged.length).toBeGreaterThanOrEqual(conv.size * 0.8);
  });

  it('a generated capture in 8 ring-buffer files, read by 1 or 2 threads, = the capture (a flow spanning files is one flow)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-gen-'));
    const file = join(dir, 'gen.pcap');
    await exec(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), file, '--size', '4MiB', '--flows', '1500']);
    const packets = JSON.parse(readFileSync(`${file}.truth.json`, 'utf8')).packets as number;
    const ring = join(dir, 'ring');
    mkdirSync(ring);
    await exec('editcap', ['-F', 'pcap', '-c', String(Math.ceil(packets / 8)), file, join(ring, 'ring.pcap')]);
    expect(readdirSync(ring)).toHaveLength(8);
    const whole = await json(['analyze', file]);
    const two = await json(['analyze', ring, '--jobs', '2']);
    const one = await json(['analyze', ...readdirSync(ring).reverse().map((f) => join(ring, f)), '--jobs', '1']);
    expect(comparable(two)).toEqual(comparable(whole));
    expect(two).toEqual(one);
    expect(two.files!.map((f) => f.firstFrame)).toEqual(two.files!.map((_, i) => 1 + i * Math.ceil(packets / 8)));
    // Long flows cross the files' seams and stay one flow each.
    const spanning = two.flows.filter((f) => f.firstPacket <= two.files![0]!.lastFrame! && f.lastPacket >= two.files![1]!.firstFrame!);
    expect(spanning.length).toBeGreaterThan(10);
  });

  it('a damaged file names itself (byte, reason) and does not spoil the others; a repeated file counts once', async () => {
    const dir = await pieces(join(CAPTURES, 'tcpdump/afs.pcap'), 100);
    const names = readdirSync(dir).sort();
    const good = await json(['analyze', dir]);
    copyFileSync(join(dir, names[0]!), join(dir, 'zz-copy.pcap'));
    // Two reader threads: the repeat must meet its original in one of them, whatever the timing.
    const withCopy = await json(['analyze', dir, '--jobs', '2']);
    expect(comparable(withCopy)).toEqual(comparable(good));
    expect(withCopy.files!.find((f) => f.name.endsWith('zz-copy.pcap'))!.duplicateOf).toBe(join(dir, names[0]!));
    const damaged = join(dir, names[2]!);
    truncateSync(damaged, readFileSync(damaged).length - 5);
    const r = await run(['analyze', dir, '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`${names[2]}: damaged at byte \\d+ \\(record \\d+\\): the file ends in the middle of a packet record`));
    const rep = JSON.parse(r.out) as Report;
    const entry = rep.files!.find((f) => f.name === damaged)!;
    expect(entry.read.status).toBe('damaged');
    expect(rep.files!.filter((f) => f.read.status === 'complete').length).toBe(names.length);
    expect(rep.totals.packets).toBe(good.totals.packets - 1);
    expect(rep.read.message).toContain(names[2]!);
  });

  it('--state, merge and report: states merged in any grouping print what analyze of all the files prints', async () => {
    const dir = await pieces(join(CAPTURES, 'tcpdump/afs.pcap'), 60);
    const names = readdirSync(dir).sort().map((f) => join(dir, f));
    expect(names.length).toBeGreaterThan(5);
    const out = mkdtempSync(join(tmpdir(), 'porthole-states-'));
    const states: string[] = [];
    for (const [i, f] of names.entries()) {
      const s = join(out, `s${i}.phst`);
      const r = await run(['analyze', f, '--state', s]);
      expect(r).toMatchObject({ code: 0, out: '' });
      states.push(s);
    }
    const expected = (await run(['analyze', dir, '--json'])).out;
    expect((await run(['merge', ...states, '--json'])).out).toBe(expected);
    expect((await run(['merge', ...[...states].reverse(), '--json'])).out).toBe(expected);
    const left = join(out, 'left.phst'), right = join(out, 'right.phst');
    expect((await run(['merge', states[0]!, states[3]!, states[4]!, '--state', left])).code).toBe(0);
    expect((await run(['merge', ...states.filter((_, i) => ![0, 3, 4].includes(i)), '--state', right])).code).toBe(0);
    expect((await run(['merge', right, left, '--json'])).out).toBe(expected);
    const all = join(out, 'all.phst');
    await run(['analyze', dir, '--state', all]);
    expect((await run(['report', all, '--json'])).out).toBe(expected);
    expect((await run(['report', all, '--csv', 'flows'])).out).toBe((await run(['analyze', dir, '--csv', 'flows'])).out);
    expect((await run(['report', all])).out).toContain('Files (');
  });

  it('refuses what is not a state, naming the file and the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-bad-'));
    const bad = join(dir, 'bad.phst');
    writeFileSync(bad, Buffer.concat([Buffer.from('PHST'), Buffer.alloc(20)]));
    const r = await run(['report', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}: not a valid Porthole analysis state`);
    expect((await run(['merge', join(CAPTURES, 'tcpdump/afs.pcap')])).err).toMatch(/is not an analysis state/);
  });

  it('standard input and files together; stderr stays quiet when it is not a terminal', async () => {
    const dir = await pieces(join(CAPTURES, 'local/a-lo-dumpcap.pcapng'), 50);
    const names = readdirSync(dir).sort().map((f) => join(dir, f));
    const r = await run(['analyze', '-', ...names.slice(1), '--json'], readFileSync(names[0]!));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const rep = JSON.parse(r.out) as Report;
    expect(rep.files!.map((f) => f.name)).toContain('standard input');
    expect(comparable(rep)).toEqual(comparable(await json(['analyze', dir])));
  });
});
