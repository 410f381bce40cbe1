// Several captures on the page as one analysis: three ring-buffer pieces (editcap -c) and a
// damaged file picked together give the totals of `porthole analyze` over the same files, a
// per-file table of all four, the damaged one named with its byte and reason; the Parquet
// export has the flows' rows (read back by DuckDB); a folder is read recursively.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/schema/report';
import { CAPTURES } from '../helpers/fixtures';
import { seriousViolations } from './axe';
import { launch, serveApp, watch, type AppServer } from './harness';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const cliJson = (...args: string[]): Report => JSON.parse(spawnSync(process.execPath, [CLI, 'analyze', ...args, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout);

let app: AppServer;
let browser: Browser;
let page: Page;
let seen: { errors: string[]; foreign: string[] };
let dir: string;
let files: string[];

beforeAll(async () => {
  app = await serveApp();
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'porthole-page-many-'));
  execFileSync('editcap', ['-c', '60', join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'), join(dir, 'piece.pcapng')]);
  // The damaged file: the first 100 packets of another capture, cut 5 bytes short.
  const other = mkdtempSync(join(tmpdir(), 'porthole-page-other-'));
  execFileSync('editcap', ['-c', '100', join(CAPTURES, 'tcpdump', 'afs.pcap'), join(other, 'afs.pcap')]);
  const damaged = join(dir, 'zz-damaged.pcap');
  copyFileSync(join(other, readdirSync(other).sort()[0]!), damaged);
  truncateSync(damaged, readFileSync(damaged).length - 5);
  files = readdirSync(dir).sort().map((f) => join(dir, f));
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function freshPage(): Promise<Page> {
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  const p = await ctx.newPage();
  seen = watch(p, app.url.slice(0, -1));
  await p.goto(app.url);
  return p;
}

async function download(name: string): Promise<string> {
  const dl = page.waitForEvent('download');
  await page.getByRole('button', { name }).click();
  return (await dl).path();
}

async function duck(sql: string): Promise<number[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  return (await c.runAndReadAll(sql)).getRows()[0]!.map((v) => Number(v));
}

const base = (p: string) => p.split('/').pop()!;

describe('several captures on the page', () => {
  it('three pieces and a damaged file: one analysis with the CLI\'s totals, a table of the four files, the damaged one named', async () => {
    expect(files.map(base)).toEqual([expect.stringMatching(/^piece_00000_/), expect.stringMatching(/^piece_00001_/), expect.stringMatching(/^piece_00002_/), 'zz-damaged.pcap']);
    page = await freshPage();
    await page.getByLabel('Open capture').setInputFiles(files);
    await page.locator('main[data-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('file-name').filter({ hasText: '4 files' }).waitFor({ timeout: 60_000 });

    // The CLI names files by path, the page by name: otherwise the same report, files section included.
    const want = JSON.parse(JSON.stringify(cliJson(...files)).replaceAll(`${dir}/`, '')) as Report;
    const json = JSON.parse(readFileSync(await download('Export JSON'), 'utf8')) as Report;
    expect(json.totals).toEqual(want.totals);
    expect(json.files!.map((f) => f.name).sort()).toEqual(files.map(base));
    const { source: _a, ...restPage } = json;
    const { source: _b, ...restCli } = want;
    expect(restPage).toEqual(restCli);
    expect(json.read.message).toContain('zz-damaged.pcap');

    const table = page.getByRole('region', { name: 'Files' });
    await expect.poll(() => table.getByTestId('file-row').count()).toBe(4);
    for (const f of files) expect(await table.getByRole('button', { name: base(f) }).count()).toBe(1);
    expect(await table.getByText('done').count()).toBe(3);
    const bad = want.files!.find((f) => base(f.name) === 'zz-damaged.pcap')!;
    const status = table.getByTestId('file-row').filter({ hasText: 'zz-damaged.pcap' }).getByTestId('file-status');
    expect(await status.textContent()).toBe(`damaged: reading stopped at byte ${bad.read.offset} (packet record ${bad.read.record}): ${bad.read.message}`);
    expect(await page.getByTestId('message').textContent())
      .toContain(`zz-damaged.pcap is damaged: reading stopped at byte ${bad.read.offset} (packet record ${bad.read.record}): ${bad.read.message}; the other files are not affected`);

    // The page's Parquet export: the rows of the flows, and the sums of `porthole flows --format parquet`.
    const pq = await download('Export Parquet');
    const cliPq = join(dir, '..', `${base(dir)}-cli.parquet`);
    spawnSync(process.execPath, [CLI, 'flows', ...files, '--format', 'parquet', '-o', cliPq]);
    const sums = (f: string) => duck(`select count(*), sum(packets), sum(bytes), sum(first_frame), count(service) from read_parquet('${f}')`);
    const got = await sums(pq);
    expect(got[0]).toBe(want.flows.length); // every row of the flows table, those inside tunnels too
    expect(got[0]).toBeGreaterThan(0);
    expect(got).toEqual(await sums(cliPq));

    await page.screenshot({ path: join(import.meta.dirname, '..', '..', 'test-results', 'many-files.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('on a narrow screen the files table scrolls inside itself, not the page', async () => {
    const narrow = await browser.newPage({ viewport: { width: 390, height: 900 } });
    await narrow.goto(app.url);
    await narrow.getByLabel('Open capture').setInputFiles(files);
    await narrow.getByTestId('file-name').filter({ hasText: '4 files' }).waitFor({ timeout: 60_000 });
    await narrow.getByRole('region', { name: 'Files' }).getByTestId('file-row').first().waitFor();
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await narrow.screenshot({ path: join(import.meta.dirname, '..', '..', 'test-results', 'many-files-390.png') });
    await narrow.close();
  });

  it('a file of the combined analysis can be analyzed alone', async () => {
    await page.getByRole('region', { name: 'Files' }).getByRole('button', { name: base(files[1]!) }).click();
    await page.getByTestId('file-name').filter({ hasText: base(files[1]!) }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('total-packets').first().textContent()).toBe(new Intl.NumberFormat('en-US').format(cliJson(files[1]!).totals.packets));
  });

  it('a folder: read recursively, files that are not captures skipped, the same analysis', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'porthole-page-folder-'));
    mkdirSync(join(folder, 'day', 'late'), { recursive: true });
    copyFileSync(files[0]!, join(folder, 'day', base(files[0]!)));
    copyFileSync(files[1]!, join(folder, 'day', 'late', base(files[1]!)));
    copyFileSync(files[2]!, join(folder, base(files[2]!)));
    writeFileSync(join(folder, 'day', 'notes.txt'), 'not a capture');
    page = await freshPage();
    await page.getByLabel('Open folder').setInputFiles(folder);
    await page.getByTestId('file-name').filter({ hasText: '3 files' }).waitFor({ timeout: 60_000 });
    const json = JSON.parse(readFileSync(await download('Export JSON'), 'utf8')) as Report;
    expect(json.totals).toEqual(cliJson(folder).totals);
    expect(await page.getByRole('region', { name: 'Files' }).getByTestId('file-row').count()).toBe(3);
  });

  it('saved: the file list is kept, and the same files again are recognized as saved before', async () => {
    await page.getByRole('button', { name: 'Save analysis' }).click();
    await page.getByLabel('Title').fill('three pieces');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);
    await page.reload();
    await page.getByRole('button', { name: /^Saved analyses/ }).click();
    await page.getByRole('region', { name: 'Saved analyses' }).getByRole('button', { name: 'Open three pieces' }).click();
    await page.getByTestId('file-name').filter({ hasText: '3 files' }).waitFor();
    const table = page.getByRole('region', { name: 'Files' });
    await expect.poll(() => table.getByTestId('file-row').count()).toBe(3);
    expect(await table.getByText('done').count()).toBe(3);
    // Dropped together (a real DataTransfer): one analysis again, known to the library.
    await page.evaluate(async (list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
      const target = document.querySelector('ph-app')!;
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, files.slice(0, 3).map((f) => ({ name: base(f), b64: readFileSync(f).toString('base64') })));
    await page.locator('main[data-busy="false"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByRole('region', { name: 'Files' }).getByRole('button').count()).toBe(3);
    await page.getByRole('button', { name: 'Save analysis' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Update existing' }).count()).toBe(1);
  });

  it('logged no console errors and made no request outside its origin', () => {
    expect(seen.errors).toEqual([]);
    expect(seen.foreign).toEqual([]);
  });
});
