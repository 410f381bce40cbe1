// Security review of the page: capture strings render as text, a strict CSP, no foreign requests.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concat, epb, idb, shb, text, udpFrame } from '../helpers/capture-builder';
import { CAPTURES } from '../helpers/fixtures';
import { launch, serveApp, watch, type AppServer, openOnPage } from './harness';

const XSS = '<img src=x onerror=alert(1)>';
let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  app = await serveApp();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('security of the page', () => {
  it('pcapng comments and interface names are shown as text, never as HTML', async () => {
    const page = await browser.newPage();
    const seen = watch(page, app.url.slice(0, -1));
    let dialogs = 0;
    page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
    await page.goto(app.url);
    const file = concat(shb(true, [[1, text(XSS)], [4, text(XSS)]]), idb(true, 1, 262144, [[2, text(XSS)], [3, text(XSS)]]),
      epb(true, 0, 0, 1, udpFrame([10, 0, 0, 1], [10, 0, 0, 2], 40000, 53)));
    await page.getByLabel('Open capture').setInputFiles({ name: `${XSS}.pcapng`, mimeType: 'application/octet-stream', buffer: Buffer.from(file) });
    await page.getByTestId('total-packets').waitFor();
    const summary = page.locator('ph-summary');
    await expect.poll(() => summary.getByText(XSS).count()).toBeGreaterThan(0);
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.evaluate(() => {
      const all: Element[] = [];
      const walk = (root: Document | ShadowRoot) => root.querySelectorAll('*').forEach((e) => { all.push(e); if (e.shadowRoot) walk(e.shadowRoot); });
      walk(document);
      return all.filter((e) => e.tagName === 'IMG').length;
    })).toBe(0);
    expect(dialogs).toBe(0);
    expect(seen.foreign).toEqual([]);
    await page.close();
  });

  it('the page is served with a Content-Security-Policy without inline scripts or eval', async () => {
    const page = await browser.newPage();
    const res = await page.goto(app.url);
    const csp = res!.headers()['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toContain('unsafe-eval');
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).not.toContain('unsafe-eval');
    expect(meta).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    // No inline script in the built page.
    expect(await page.locator('script:not([src])').count()).toBe(0);
    await page.close();
  });

  it('loading, analyzing and exporting make no request outside the page origin', async () => {
    const ctx = await browser.newContext({ acceptDownloads: true });
    const page = await ctx.newPage();
    const seen = watch(page, app.url.slice(0, -1));
    await page.goto(app.url);
    await openOnPage(page, join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'));
    const dl = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    await dl;
    expect(seen.foreign).toEqual([]);
    expect(seen.errors).toEqual([]);
    await ctx.close();
  });
});
