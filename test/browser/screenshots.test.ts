// Screenshots of the main states, kept under test-results/screenshots for people to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/fixtures';
import { seriousViolations } from './axe';
import { launch, serveApp, watch, type AppServer, openOnPage } from './harness';

const OUT = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  app = await serveApp();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('screenshots and accessibility', () => {
  it.each([['light', 1440], ['dark', 1440], ['light', 768], ['dark', 768], ['light', 390], ['dark', 390]] as const)('%s scheme at %i px: no horizontal page scroll, no serious axe violation', async (scheme, width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
    const seen = watch(page, app.url.slice(0, -1));
    await page.goto(app.url);
    await page.screenshot({ path: join(OUT, `empty-${scheme}-${width}.png`) });
    expect(await seriousViolations(page)).toEqual([]);
    await openOnPage(page, join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'));
    await page.screenshot({ path: join(OUT, `analysis-${scheme}-${width}.png`), fullPage: true });
    // Tables scroll inside themselves; the page never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    if (width !== 768) expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('flow-count').scrollIntoViewIfNeeded();
    await page.getByTestId('flow-row').first().waitFor();
    await page.screenshot({ path: join(OUT, `flows-${scheme}-${width}.png`) });
    await page.getByRole('button', { name: 'Save analysis' }).click();
    await page.getByLabel('Title').fill('Loopback services');
    await page.screenshot({ path: join(OUT, `save-dialog-${scheme}-${width}.png`) });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: /^Saved analyses/ }).click();
    await page.getByTestId('saved-item').first().waitFor();
    await page.screenshot({ path: join(OUT, `library-${scheme}-${width}.png`) });
    await page.getByRole('button', { name: /^Saved analyses/ }).click();
    await page.getByLabel('Open capture').setInputFiles(join(CAPTURES, 'local', 'a-lo-dumpcap-cut-short.pcapng'));
    await page.getByTestId('message').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, `damaged-${scheme}-${width}.png`) });
    expect(seen.errors).toEqual([]);
    expect(seen.foreign).toEqual([]);
    await page.close();
  });
});
