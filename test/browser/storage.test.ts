// Saved analyses in real IndexedDB, across reloads and browser restarts; offline; export/import.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/fixtures';
import { launchPersistent, serveApp, watch, type AppServer, openOnPage } from './harness';

const local = (n: string) => join(CAPTURES, 'local', n);
let app: AppServer;
const foreign: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  app = await serveApp();
});
afterAll(async () => {
  await app?.close();
});

async function openProfile(dir: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await launchPersistent(dir);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const seen = watch(page, app.url.slice(0, -1));
  page.on('close', () => {
    foreign.push(...seen.foreign);
    errors.push(...seen.errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED')));
  });
  await page.goto(app.url);
  return { ctx, page };
}

async function analyze(page: Page, file: string): Promise<void> {
  await openOnPage(page, file);
}

async function saveAs(page: Page, title: string, button = 'Save'): Promise<void> {
  await page.getByRole('button', { name: 'Save analysis' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);
}

async function library(page: Page) {
  await page.getByRole('button', { name: /^Saved analyses/ }).click();
  return page.getByRole('region', { name: 'Saved analyses' });
}

describe('saved analyses in a real browser', () => {
  it('save, reload, find, open, rename, delete with undo; still there after a browser restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-profile-'));
    let { ctx, page } = await openProfile(dir);
    await analyze(page, local('a-lo-dumpcap.pcapng'));
    await saveAs(page, 'loopback services');
    await page.reload();
    let lib = await library(page);
    await expect.poll(() => lib.getByTestId('saved-item').count()).toBe(1);
    await expect.poll(() => lib.getByText('loopback services').count()).toBe(1);
    await lib.getByRole('button', { name: 'Open loopback services' }).click();
    await expect.poll(() => page.getByTestId('total-packets').textContent()).toBe('162');
    expect(await page.getByTestId('file-name').textContent()).toBe('a-lo-dumpcap.pcapng');
    lib = await library(page);
    await lib.getByRole('button', { name: 'Rename or edit notes of loopback services' }).click();
    await lib.getByLabel('Title').fill('renamed capture');
    await lib.getByLabel('Notes').fill('checked on the plane');
    await lib.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => lib.getByText('renamed capture').count()).toBe(1);
    await expect.poll(() => lib.getByText('checked on the plane').count()).toBe(1);
    await lib.getByRole('button', { name: 'Delete renamed capture' }).click();
    await expect.poll(() => lib.getByTestId('saved-item').count()).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => lib.getByTestId('saved-item').count()).toBe(1);
    await ctx.close();
    ({ ctx, page } = await openProfile(dir));
    lib = await library(page);
    await expect.poll(() => lib.getByText('renamed capture').count()).toBe(1);
    await ctx.close();
  });

  it('saving the same capture again offers to update the existing entry', async () => {
    const { ctx, page } = await openProfile(mkdtempSync(join(tmpdir(), 'porthole-profile-')));
    await analyze(page, local('a-lo-tcpdump-usec.pcap'));
    await saveAs(page, 'first save');
    await analyze(page, local('a-lo-tcpdump-usec.pcap'));
    await page.getByRole('button', { name: 'Save analysis' }).click();
    await expect.poll(() => page.getByText('This capture was saved before').count()).toBe(1);
    await page.getByLabel('Title').fill('second save');
    await page.getByRole('button', { name: 'Update existing' }).click();
    const lib = await library(page);
    await expect.poll(() => lib.getByTestId('saved-item').count()).toBe(1);
    await expect.poll(() => lib.getByText('second save').count()).toBe(1);
    await ctx.close();
  });

  it('offline after one visit: the page loads, a saved analysis opens, a capture can be analyzed', async () => {
    const { ctx, page } = await openProfile(mkdtempSync(join(tmpdir(), 'porthole-profile-')));
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await analyze(page, local('a-lo-dumpcap.pcapng'));
    await saveAs(page, 'for the plane');
    await ctx.setOffline(true);
    await page.reload();
    const lib = await library(page);
    await lib.getByRole('button', { name: 'Open for the plane' }).click();
    await expect.poll(() => page.getByTestId('total-packets').textContent()).toBe('162');
    await page.getByLabel('Open capture').setInputFiles(local('a-lo-reencap-raw.pcap'));
    await expect.poll(() => page.getByTestId('file-name').textContent()).toBe('a-lo-reencap-raw.pcap');
    expect(await page.getByTestId('total-packets').textContent()).toBe('158');
    await ctx.setOffline(false);
    await ctx.close();
  });

  it('export the library from one profile and import it into another; twice adds nothing; a bad file changes nothing', async () => {
    const a = await openProfile(mkdtempSync(join(tmpdir(), 'porthole-profile-')));
    await analyze(a.page, local('a-lo-dumpcap.pcapng'));
    await saveAs(a.page, 'one');
    await analyze(a.page, local('a-lo-reencap-null.pcap'));
    await saveAs(a.page, 'two');
    const libA = await library(a.page);
    const dl = a.page.waitForEvent('download');
    await libA.getByRole('button', { name: 'Export library' }).click();
    const exported = join(mkdtempSync(join(tmpdir(), 'porthole-export-')), 'library.json');
    await (await dl).saveAs(exported);
    await a.ctx.close();

    const b = await openProfile(mkdtempSync(join(tmpdir(), 'porthole-profile-')));
    const libB = await library(b.page);
    await libB.getByLabel('Import library').setInputFiles(exported);
    // Each analysis state is checked in a worker before anything is written: allow it time.
    await expect.poll(() => libB.getByTestId('saved-item').count(), { timeout: 15_000 }).toBe(2);
    await libB.getByLabel('Import library').setInputFiles(exported);
    await expect.poll(() => b.page.getByRole('status').filter({ hasText: '2 were already here' }).count()).toBe(1);
    expect(await libB.getByTestId('saved-item').count()).toBe(2);
    const bad = join(mkdtempSync(join(tmpdir(), 'porthole-bad-')), 'bad.json');
    const data = JSON.parse(readFileSync(exported, 'utf8'));
    data.analyses[0].fileSize = 'huge';
    writeFileSync(bad, JSON.stringify(data));
    await libB.getByLabel('Import library').setInputFiles(bad);
    await expect.poll(() => b.page.getByRole('status').filter({ hasText: 'not a valid Porthole library file' }).count()).toBe(1);
    expect(await libB.getByTestId('saved-item').count()).toBe(2);
    await b.ctx.close();
  });

  it('two tabs: a schema upgrade in one is not blocked by the other, which asks for a reload', async () => {
    const { ctx, page } = await openProfile(mkdtempSync(join(tmpdir(), 'porthole-profile-')));
    await library(page); // opens the database at the current version
    const other = await ctx.newPage();
    await other.goto(app.url);
    // Another tab (a newer Porthole) upgrades the database.
    const upgraded = await other.evaluate(() => new Promise<number>((resolve, reject) => {
      const req = indexedDB.open('porthole', 99);
      req.onupgradeneeded = () => undefined;
      req.onsuccess = () => { const v = req.result.version; req.result.close(); resolve(v); };
      req.onerror = () => reject(req.error);
      req.onblocked = () => undefined;
      setTimeout(() => reject(new Error('upgrade blocked forever')), 5000);
    }));
    expect(upgraded).toBe(99);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Reload this page' }).count()).toBe(1);
    await ctx.close();
  });

  it('made no request outside its origin and logged no errors', () => {
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
