// The views a Wireshark user expects, and the defects seen by trying the page as a new user.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/fixtures';
import { launch, serveApp, watch, type AppServer, openOnPage } from './harness';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const local = (n: string) => join(CAPTURES, 'local', n);
const cliJson = (...args: string[]) => JSON.parse(spawnSync(process.execPath, [CLI, 'analyze', ...args, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout);

let app: AppServer;
let browser: Browser;
let ctx: BrowserContext;
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

async function fresh(hash = ''): Promise<Page> {
  await ctx?.close();
  ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await ctx.newPage();
  seen = watch(page, app.url.slice(0, -1));
  await page.goto(app.url + hash);
  return page;
}

const filterInput = () => page.getByLabel('Filter', { exact: true });
const flowCount = async () => (await page.getByTestId('flow-count').textContent())?.trim() ?? '';

// a-lo-dumpcap.pcapng: 31 flows, 27 of the outermost layer and 4 inside tunnels (2 of them UDP).
describe('views and defects', () => {
  it('quick toggles are alternatives within a group: tcp then udp is "(tcp or udp)", both pressed, every flow shown', async () => {
    await fresh();
    await openOnPage(page, local('a-lo-dumpcap.pcapng'));
    const bar = page.locator('ph-filter-bar');
    await bar.getByRole('button', { name: 'tcp', exact: true }).click();
    await expect.poll(() => filterInput().inputValue()).toBe('tcp');
    await bar.getByRole('button', { name: 'udp', exact: true }).click();
    await expect.poll(() => filterInput().inputValue()).toBe('(tcp or udp)');
    expect(await bar.getByRole('button', { name: 'tcp', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await bar.getByRole('button', { name: 'udp', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(flowCount).toBe('(31)');
    await bar.getByRole('button', { name: 'well-known', exact: true }).click();
    await expect.poll(() => filterInput().inputValue()).toBe('(tcp or udp) and well-known');
    // This capture has tunnels: the layer toggles show only the flows inside them, or the outer layer.
    await page.getByRole('button', { name: 'Clear' }).click();
    await bar.getByRole('button', { name: 'inside tunnels', exact: true }).click();
    await expect.poll(() => filterInput().inputValue()).toBe('tunnel');
    await expect.poll(flowCount).toBe('(4 of 31)');
    await bar.getByRole('button', { name: 'inside tunnels', exact: true }).click();
    await bar.getByRole('button', { name: 'outer layer', exact: true }).click();
    await expect.poll(() => filterInput().inputValue()).toBe('not tunnel');
    await expect.poll(flowCount).toBe('(27 of 31)');
  });

  it('captures without tunnels offer no layer toggles', async () => {
    await fresh();
    await openOnPage(page, join(CAPTURES, '..', 'scans', 'nmap-sS.pcapng'));
    await page.getByTestId('flow-count').waitFor();
    expect(await page.locator('ph-filter-bar').getByRole('button', { name: 'inside tunnels' }).count()).toBe(0);
  });

  it('an invalid filter in the URL shows the same column-precise error as typing it', async () => {
    await fresh('#filter=port%20abc');
    await openOnPage(page, local('a-lo-dumpcap.pcapng'));
    await expect.poll(async () => page.locator('ph-filter-bar').getByRole('alert').textContent())
      .toContain("column 6: expected a port number after 'port', found 'abc'");
    expect(await filterInput().inputValue()).toBe('port abc');
    // The page says what it shows instead.
    expect(await page.locator('ph-filter-bar').getByRole('alert').textContent()).toContain('showing all flows instead');
  });

  it('two bad files at once: both are named, and every file is in the list', async () => {
    await fresh();
    const dir = mkdtempSync(join(tmpdir(), 'porthole-bad-'));
    writeFileSync(join(dir, 'notes.txt'), 'this is not a capture');
    writeFileSync(join(dir, 'empty.pcap'), '');
    await page.getByLabel('Open capture').setInputFiles([local('a-lo-dumpcap.pcapng'), join(dir, 'notes.txt'), join(dir, 'empty.pcap')]);
    await expect.poll(async () => (await page.getByTestId('message').textContent()) ?? '').toMatch(/notes\.txt: not a capture file[\s\S]*empty\.pcap: the file is empty/);
    const list = page.getByRole('region', { name: 'Files' });
    for (const name of ['a-lo-dumpcap.pcapng', 'notes.txt', 'empty.pcap']) await expect.poll(() => list.getByText(name).count()).toBe(1);
    // The good capture is still shown.
    expect(await page.getByTestId('file-name').textContent()).toBe('a-lo-dumpcap.pcapng');
  });

  it('conversation tabs, total bytes first, Port and Start sort ascending on the first click', async () => {
    await fresh();
    await openOnPage(page, local('a-lo-dumpcap.pcapng'));
    const flows = page.getByRole('region', { name: 'Flows' });
    await flows.scrollIntoViewIfNeeded();
    await flows.getByRole('tab', { name: 'UDP' }).click();
    await expect.poll(flowCount).toBe('(18 of 31)');
    await flows.getByRole('tab', { name: 'IPv6' }).click();
    const want = cliJson(local('a-lo-dumpcap.pcapng'), '--filter', 'ip6');
    await expect.poll(flowCount).toBe(`(${want.flows.length} of 31)`);
    await flows.getByRole('tab', { name: 'All' }).click();
    await expect.poll(flowCount).toBe('(31)');
    await expect.poll(() => flows.getByRole('columnheader', { name: /Bytes/ }).first().getAttribute('aria-sort')).toBe('descending');
    await flows.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => flows.getByRole('columnheader', { name: /^Start/ }).first().getAttribute('aria-sort')).toBe('ascending');
    const ports = page.getByTestId('ports-table');
    await ports.getByRole('button', { name: 'Port', exact: true }).click();
    await expect.poll(() => ports.getByRole('columnheader', { name: /^Port/ }).getAttribute('aria-sort')).toBe('ascending');
  });

  it('row actions: filter to a flow, exclude it, copy its Wireshark filter and the row as CSV', async () => {
    await fresh();
    await openOnPage(page, local('a-lo-dumpcap.pcapng'));
    const flows = page.getByRole('region', { name: 'Flows' });
    await flows.scrollIntoViewIfNeeded();
    const row = page.getByTestId('flow-row').first();
    await row.click();
    const actions = flows.getByRole('toolbar', { name: 'Actions for the selected row' });
    await actions.getByRole('button', { name: 'Copy Wireshark filter' }).click();
    await expect.poll(async () => page.getByTestId('copied').textContent()).toMatch(/Copied Wireshark filter.*ip(v6)?\.addr==.*&& tcp\.port==\d+ && tcp\.port==\d+/);
    await actions.getByRole('button', { name: 'Copy CSV' }).click();
    await expect.poll(async () => page.getByTestId('copied').textContent()).toMatch(/Copied CSV.*Client,Server,Proto/);
    await actions.getByRole('button', { name: 'Exclude' }).click();
    await expect.poll(() => filterInput().inputValue()).toMatch(/^not \(tcp and host .* and port \d+ and port \d+\)$/);
    await expect.poll(flowCount).toBe('(30 of 31)');
    await page.getByTestId('flow-row').first().click();
    await flows.getByRole('toolbar', { name: 'Actions for the selected row' }).getByRole('button', { name: 'Filter to this' }).click();
    await expect.poll(flowCount).toBe('(1 of 31)');
  });

  it('the column chooser hides a column, and the choice survives a reload', async () => {
    await fresh();
    await openOnPage(page, local('a-lo-dumpcap.pcapng'));
    const flows = page.getByRole('region', { name: 'Flows' });
    await flows.scrollIntoViewIfNeeded();
    await flows.getByText('Columns').click();
    await flows.getByRole('group', { name: 'Columns shown' }).getByLabel('Class').uncheck();
    await expect.poll(() => flows.getByRole('columnheader', { name: 'Class' }).count()).toBe(0);
    await page.reload();
    await openOnPage(page, local('a-lo-dumpcap.pcapng'));
    await page.getByRole('region', { name: 'Flows' }).scrollIntoViewIfNeeded();
    expect(await page.getByRole('region', { name: 'Flows' }).getByRole('columnheader', { name: 'Class' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Flows' }).getByRole('columnheader', { name: 'Server by' }).count()).toBe(1);
  });

  it('the Endpoints table lists every address of the report, with what each sent and received', async () => {
    await fresh();
    await openOnPage(page, local('a-lo-any-dumpcap.pcapng'));
    const want = cliJson(local('a-lo-any-dumpcap.pcapng'));
    const table = page.getByTestId('hosts-table');
    await table.scrollIntoViewIfNeeded();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(want.hosts.length);
    expect(want.hosts.length).toBeGreaterThan(1);
    const first = want.hosts[0];
    const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells[0]).toBe(first.address);
    expect(cells[2]).toBe(new Intl.NumberFormat('en-US').format(first.packetsSent));
    await table.locator('tbody tr').first().locator('td').nth(1).click();
    await page.getByRole('region', { name: 'Endpoints' }).getByRole('button', { name: 'Filter to this' }).click();
    await expect.poll(() => filterInput().inputValue()).toBe(`host ${first.address}`);
  });

  it('keyboard: Escape in the save dialog returns focus to its button; Enter on a port keeps focus in the ports table', async () => {
    await fresh();
    await openOnPage(page, local('a-lo-dumpcap.pcapng'));
    await page.getByRole('button', { name: 'Save analysis' }).click();
    await page.getByLabel('Title').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.textContent?.trim();
    })).toBe('Save analysis');
    const port = page.getByTestId('ports-table').locator('button.port').first();
    await port.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => filterInput().inputValue()).toMatch(/^(tcp|udp) port \d+$/);
    await expect.poll(() => page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.classList.contains('port') ?? false;
    })).toBe(true);
  });

  it('made no request outside its origin and logged no errors', () => {
    expect(seen.foreign).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});
