// The Porthole page in real Chromium: drop and open captures, numbers equal the CLI's,
// filter, sort, click a port, export, damaged and non-capture files.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/fixtures';
import { launch, serveApp, watch, type AppServer, openOnPage } from './harness';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const local = (n: string) => join(CAPTURES, 'local', n);
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
const count = (n: number) => new Intl.NumberFormat('en-US').format(n);

let app: AppServer;
let browser: Browser;
let page: Page;
let seen: { errors: string[]; foreign: string[] };

beforeAll(async () => {
  app = await serveApp();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function freshPage(hash = ''): Promise<Page> {
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  const p = await ctx.newPage();
  seen = watch(p, app.url.slice(0, -1));
  await p.goto(app.url + hash);
  return p;
}

/** A real drag and drop: a DataTransfer holding the files, dispatched on the page. */
async function drop(p: Page, files: Array<{ name: string; bytes: Buffer }>): Promise<void> {
  await p.evaluate(async (list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    const target = document.querySelector('ph-app')!;
    for (const type of ['dragenter', 'dragover']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })));
}

async function text(p: Page, testId: string): Promise<string> {
  return (await p.getByTestId(testId).first().textContent())?.trim() ?? '';
}

describe('the page', () => {
  it('a dropped capture shows the numbers of the CLI report', async () => {
    page = await freshPage();
    await drop(page, [{ name: 'a-lo-any-dumpcap.pcapng', bytes: readFileSync(local('a-lo-any-dumpcap.pcapng')) }]);
    await page.getByTestId('total-packets').waitFor();
    const r = JSON.parse(cli('analyze', local('a-lo-any-dumpcap.pcapng'), '--json'));
    expect(await text(page, 'file-name')).toBe('a-lo-any-dumpcap.pcapng');
    expect(await text(page, 'total-packets')).toBe(count(r.totals.packets));
    expect(await text(page, 'total-bytes')).toContain(count(r.totals.bytes));
    const tunnelled = r.flows.filter((f: { tunnel?: string }) => f.tunnel).length;
    expect(await text(page, 'total-flows')).toBe(`${count(r.totals.flows.tcp)} / ${count(r.totals.flows.udp)}${tunnelled ? ` + ${count(tunnelled)} inside tunnels` : ''}`);
    expect(await text(page, 'flow-count')).toBe(`(${count(r.flows.length)})`);
    const portRows = await page.getByTestId('ports-table').locator('tbody tr').count();
    expect(portRows).toBe(Math.min(200, r.ports.length));
    const wk = page.getByTestId('class-by-server').locator('tr[data-class="well-known"] td');
    expect((await wk.nth(1).textContent())?.trim()).toBe(count(r.classes.byServerPort['well-known'].flows));
    expect((await wk.nth(2).textContent())?.trim()).toBe(count(r.classes.byServerPort['well-known'].packets));
    // The flows table is virtualized: rows render once it is on screen.
    await page.getByTestId('flow-count').scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByTestId('flow-row').count()).toBeGreaterThan(10);
  });

  it('filter by port: validated, applied, kept in the URL, same flows as the CLI', async () => {
    const input = page.getByLabel('Filter', { exact: true });
    await input.fill('port abc');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain("column 6: expected a port number after 'port', found 'abc'");
    await input.fill('udp and port 53');
    await input.press('Enter');
    const want = JSON.parse(cli('analyze', local('a-lo-any-dumpcap.pcapng'), '--json', '--filter', 'udp and port 53'));
    const all = JSON.parse(cli('analyze', local('a-lo-any-dumpcap.pcapng'), '--json'));
    await expect.poll(() => text(page, 'flow-count')).toBe(`(${count(want.flows.length)} of ${count(all.flows.length)})`);
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#filter=udp+and+port+53'.replace(/\+/g, '+'));
    // A reload (or a shared link) keeps the filter: the next capture opens filtered.
    await page.reload();
    await page.getByLabel('Open capture').setInputFiles(local('a-lo-any-dumpcap.pcapng'));
    await expect.poll(() => page.getByLabel('Filter', { exact: true }).inputValue()).toBe('udp and port 53');
    await expect.poll(() => text(page, 'flow-count')).toBe(`(${count(want.flows.length)} of ${count(all.flows.length)})`);
  });

  it('open capture, sort by a column, click a port to filter the flows to it', async () => {
    page = await freshPage();
    await openOnPage(page, local('a-lo-dumpcap.pcapng'));
    const table = page.getByTestId('ports-table');
    // The rows come from the worker: wait for the sorted page, then check its order.
    const packetsColumn = async () => (await table.locator('tbody tr td:nth-child(5)').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
    const sorted = (xs: number[], descending: boolean) => xs.length > 1 && xs.every((x, i) => i === 0 || (descending ? xs[i - 1]! >= x : xs[i - 1]! <= x));
    await table.getByRole('button', { name: 'Packets' }).click();
    await expect.poll(async () => sorted(await packetsColumn(), true)).toBe(true);
    const nums = await packetsColumn();
    expect(nums[0]).toBeGreaterThan(nums[nums.length - 1]!);
    await table.getByRole('button', { name: /^Packets/ }).click();
    await expect.poll(async () => sorted(await packetsColumn(), false)).toBe(true);
    await table.locator('tr[data-port="25"][data-proto="tcp"] button.port').click();
    const want = JSON.parse(cli('analyze', local('a-lo-dumpcap.pcapng'), '--json', '--filter', 'tcp port 25'));
    await expect.poll(() => page.getByLabel('Filter', { exact: true }).inputValue()).toBe('tcp port 25');
    await expect.poll(() => text(page, 'flow-count')).toContain(`(${count(want.flows.length)} of`);
  });

  it('filtering never changes the unfiltered analysis: export, filter port 443, clear, export again gives the same document', async () => {
    const fresh = await freshPage();
    await openOnPage(fresh, local('a-lo-dumpcap.pcapng'));
    const exportJson = async () => {
      const dl = fresh.waitForEvent('download');
      await fresh.getByRole('button', { name: 'Export JSON' }).click();
      const d = await dl;
      return { name: d.suggestedFilename(), report: JSON.parse(readFileSync(await d.path(), 'utf8')) };
    };
    const before = await exportJson();
    expect(before.report.totals.flows).toEqual({ tcp: 11, udp: 16 });
    // 27 flows of the outermost layer and 4 found inside tunnels (GRE, VXLAN, IP-in-IP, 6in4).
    expect(before.report.flows).toHaveLength(31);
    const filter = fresh.getByLabel('Filter', { exact: true });
    await filter.fill('port 443');
    await filter.press('Enter');
    await expect.poll(() => fresh.getByTestId('flow-count').textContent()).toContain('of 31');
    const filtered = await exportJson();
    expect(filtered.name).toContain('filter-port-443');
    expect(filtered.report.filter).toBe('port 443');
    expect(filtered.report.flows.length).toBe(2); // 127.0.0.1:443 and the VXLAN-carried flow to port 443
    expect(filtered.report.totals.flows.tcp + filtered.report.totals.flows.udp).toBe(filtered.report.flows.filter((f: { tunnel?: string }) => !f.tunnel).length);
    await fresh.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => fresh.getByTestId('flow-count').textContent()).toBe('(31)');
    const after = await exportJson();
    expect(after.report).toEqual(before.report);
    expect(after.report.totals.flows).toEqual({ tcp: 11, udp: 16 });
    await fresh.close();
  });

  it('exports JSON and CSV equal to the CLI output', async () => {
    const jsonDl = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const json = JSON.parse(readFileSync(await (await jsonDl).path(), 'utf8'));
    const want = JSON.parse(cli('analyze', local('a-lo-dumpcap.pcapng'), '--json', '--filter', 'tcp port 25'));
    delete json.source;
    delete want.source;
    expect(json).toEqual(want);
    const downloads: string[] = [];
    page.on('download', async (d) => downloads.push(readFileSync(await d.path(), 'utf8')));
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await expect.poll(() => downloads.length).toBe(2);
    expect(downloads).toContain(cli('analyze', local('a-lo-dumpcap.pcapng'), '--csv', 'flows', '--filter', 'tcp port 25'));
    expect(downloads).toContain(cli('analyze', local('a-lo-dumpcap.pcapng'), '--csv', 'ports', '--filter', 'tcp port 25'));
  });

  it('several files at once are analyzed one after another and listed', async () => {
    page = await freshPage();
    await page.getByLabel('Open capture').setInputFiles([local('a-lo-tcpdump-usec.pcap'), local('a-lo-reencap-raw.pcap'), local('a-lo-dumpcap.pcapng.gz')]);
    const list = page.getByRole('region', { name: 'Files' });
    await expect.poll(() => list.getByText('done').count(), { timeout: 20000 }).toBe(3);
    await list.getByRole('button', { name: 'a-lo-reencap-raw.pcap' }).click();
    await expect.poll(() => text(page, 'file-name')).toBe('a-lo-reencap-raw.pcap');
  });

  it('a non-capture file and an empty file get a message naming them; the page stays usable', async () => {
    page = await freshPage();
    await drop(page, [{ name: 'notes.txt', bytes: Buffer.from('these are my notes, not a capture') }]);
    await expect.poll(() => page.getByTestId('message').textContent()).toContain('notes.txt: not a capture file');
    await drop(page, [{ name: 'empty.pcap', bytes: Buffer.alloc(0) }]);
    await expect.poll(() => page.getByTestId('message').textContent()).toContain('empty.pcap: the file is empty');
    await page.getByRole('button', { name: 'Try a sample capture' }).first().click();
    await page.getByTestId('total-packets').waitFor();
  });

  it('a damaged file shows what was read and where reading stopped', async () => {
    page = await freshPage();
    await page.getByLabel('Open capture').setInputFiles(local('a-lo-tcpdump-usec-cut-short.pcap'));
    await expect.poll(() => page.getByTestId('message').textContent()).toMatch(/a-lo-tcpdump-usec-cut-short\.pcap is damaged: reading stopped at byte \d+ \(packet record 162\)/);
    expect(await text(page, 'total-packets')).toBe('161');
  });

  it('logged no console errors and made no request outside its origin', () => {
    expect(seen.errors).toEqual([]);
    expect(seen.foreign).toEqual([]);
  });
});
