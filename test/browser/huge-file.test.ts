// A capture larger than 4 GiB in the browser worker: exact packet count and byte total (> 2^32),
// with one worker and split across two. The file is generated for the test and removed after.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, serveApp, type AppServer } from './harness';

const dir = mkdtempSync(join(tmpdir(), 'porthole-huge-'));
const file = join(dir, 'huge.pcap');
let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  const gen = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'bench', 'generate.mjs'), file, '--size', '4.2GiB', '--flows', '2000', '--seed', '7']);
  expect(gen.status, gen.stderr?.toString()).toBe(0);
  app = await serveApp();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a capture over 4 GiB in the browser', () => {
  it('is read by the worker with exact totals, by one worker and by two', async () => {
    const truth = JSON.parse(readFileSync(`${file}.truth.json`, 'utf8'));
    expect(truth.size).toBeGreaterThan(4 * 1024 ** 3);
    expect(truth.bytes).toBeGreaterThan(2 ** 32);
    const page = await browser.newPage();
    await page.goto(`${app.url}harness/`);
    await page.waitForSelector('body[data-ready=true]');
    await page.locator('#files').setInputFiles(file);
    for (const workers of [1, 2]) {
      const r = await page.evaluate((w) => (window as any).harness.analyze(0, { workers: w, minSplitBytes: 0 }), workers);
      const report = JSON.parse(r.report);
      expect(r.workersUsed).toBe(workers);
      expect(report.read.status).toBe('complete');
      expect(report.totals.packets).toBe(truth.packets);
      expect(report.totals.bytes).toBe(truth.bytes);
      expect(report.totals.flows).toEqual(truth.flows);
    }
    await page.close();
  });
});
