// The analysis workers in real Chromium: reports equal the engine's (and so the CLI's), two
// workers equal one, cancel is quick, and the main thread never blocks for long.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../helpers/analyze';
import { listFixtures } from '../helpers/fixtures';
import { launch, serveApp, watch, type AppServer } from './harness';

let app: AppServer;
let browser: Browser;
let page: Page;
let seen: { errors: string[]; foreign: string[] };
const fixtures = listFixtures();

/** Fields that name the file or its size differ between a browser File and a CLI path. */
function comparable(reportJson: string): unknown {
  const r = JSON.parse(reportJson);
  delete r.source;
  return r;
}

beforeAll(async () => {
  app = await serveApp();
  browser = await launch();
  page = await browser.newPage();
  seen = watch(page, app.url.slice(0, -1));
  await page.goto(`${app.url}harness/`);
  await page.waitForSelector('body[data-ready=true]');
  await page.locator('#files').setInputFiles(fixtures.map((f) => f.path));
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('analysis workers in Chromium', () => {
  it('every fixture: the worker report equals the engine report the CLI prints', async () => {
    const names: string[] = await page.evaluate(() => (window as any).harness.names());
    expect(names.length).toBe(fixtures.length);
    const mismatches: string[] = [];
    for (let i = 0; i < fixtures.length; i++) {
      const f = fixtures[i]!;
      const inBrowser = await page.evaluate((idx) => (window as any).harness.analyze(idx, { workers: 1 }), i);
      const { report } = await analyzeFile(f.path);
      if (JSON.stringify(comparable(inBrowser.report)) !== JSON.stringify(comparable(JSON.stringify(report)))) mismatches.push(f.name);
    }
    expect(mismatches).toEqual([]);
  });

  it('two workers give exactly the report of one worker, on every fixture', async () => {
    let split = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < fixtures.length; i++) {
      const one = await page.evaluate((idx) => (window as any).harness.analyze(idx, { workers: 1 }), i);
      const two = await page.evaluate((idx) => (window as any).harness.analyze(idx, { workers: 2, minSplitBytes: 0 }), i);
      if (two.workersUsed === 2) split++;
      if (JSON.stringify(comparable(one.report)) !== JSON.stringify(comparable(two.report))) mismatches.push(fixtures[i]!.name);
    }
    expect(mismatches).toEqual([]);
    // Many captures really are split; tiny ones (a few packets) fall back to one worker, for a stated reason.
    expect(split).toBeGreaterThan(100);
  });

  it('cancel stops a large capture within 100 ms, and the next file is analyzed at once', async () => {
    const r = await page.evaluate(() => (window as any).harness.cancelAfter(400_000, 250));
    expect(r.size).toBeGreaterThan(500 * 1024 * 1024);
    expect(r.error).toBe('AbortError');
    expect(r.stoppedMs).toBeLessThan(100);
    expect(r.progressAfterCancel).toBe(0);
    expect(r.nextPackets).toBe(1000);
  });

  it('no main-thread long task over 50 ms while a large capture is analyzed by two workers', async () => {
    const r = await page.evaluate(() => (window as any).harness.longTasksDuring(150_000, 2));
    expect(r.packets).toBe(150_000);
    expect(r.workersUsed, r.reason).toBe(2);
    expect(r.partials).toBeGreaterThan(0);
    expect(r.longTasks.filter((d: number) => d > 50)).toEqual([]);
  });

  it('made no request outside its origin and logged no errors', () => {
    expect(seen.foreign).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});
