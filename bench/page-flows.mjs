// The page with a flow-heavy capture loaded (npm run bench -- --page [--page-flows 1M]): the real
// app in headless Chromium reads a generated SYN scan, then a person's interactions are timed —
// from the action to its result on screen — with every main-thread long task (PerformanceObserver
// 'longtask', over 50 ms) recorded while reading and during each interaction.
import { existsSync } from 'node:fs';
import { ensureShapeCapture } from './flow-heavy.mjs';
import { parseCount } from './gen/flow-shape.mjs';

const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Long tasks since the last call, from the observer installed before the app loads. */
const takeLongTasks = (page) => page.evaluate(() => window.__longTasks.splice(0));

const flowCount = (page) => page.getByTestId('flow-count').textContent();

/** Run `act`, then wait until `done` holds on the page; the time between, and the long tasks meanwhile. */
async function timed(page, name, act, done) {
  await takeLongTasks(page);
  const t0 = performance.now();
  await act();
  await done();
  const ms = performance.now() - t0;
  const tasks = await takeLongTasks(page);
  return { name, ms, longTasks: tasks.length, longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0) };
}

async function waitText(page, read, want) {
  for (;;) {
    const text = await read();
    if (typeof want === 'string' ? text === want : want.test(text ?? '')) return text;
    await page.waitForTimeout(5);
  }
}

/** opts: { root, flows (label like 1M) }. Returns { file, flows, readMs, readLongTasks, interactions } or { skipped }. */
export async function runPageFlows({ root, flows }) {
  const { chromium } = await import('playwright-core');
  const { startServer } = await import('../scripts/serve.mjs');
  const exe = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/google-chrome'].find((p) => p && existsSync(p));
  if (!exe) return { skipped: 'no Chromium found (set CHROME_PATH)' };
  const f = ensureShapeCapture(root, 'syn-scan', parseCount(flows));
  const total = f.truth.flows.tcp + f.truth.flows.udp;
  const server = await startServer(0);
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: CHROME_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await takeLongTasks(page);
    const t0 = performance.now();
    await page.getByLabel('Open capture').setInputFiles(f.file);
    await page.locator('main[data-busy="false"]').waitFor({ timeout: 600_000 });
    await page.getByTestId('flow-count').waitFor({ timeout: 600_000 });
    const readMs = performance.now() - t0;
    const readTasks = await takeLongTasks(page);
    // A person looks at the first views before filtering: let the tables below the fold fill.
    await page.waitForTimeout(3000);
    await takeLongTasks(page);
    const all = `(${total.toLocaleString('en-US')})`;
    const filter = page.getByLabel('Filter', { exact: true });
    const interactions = [];
    interactions.push(await timed(page, 'filter "refused" → first rows', async () => { await filter.fill('refused'); await filter.press('Enter'); },
      () => waitText(page, () => flowCount(page), / of /)));
    interactions.push(await timed(page, 'clear the filter', () => page.getByRole('button', { name: 'Clear' }).click(),
      () => waitText(page, () => flowCount(page), all)));
    interactions.push(await timed(page, 'quick toggle udp', () => page.locator('ph-filter-bar').getByRole('button', { name: 'udp', exact: true }).click(),
      () => waitText(page, () => flowCount(page), / of /)));
    await page.getByRole('button', { name: 'Clear' }).click();
    await waitText(page, () => flowCount(page), all);
    const flowsTable = page.locator('ph-flows-table');
    // Panels off screen are not rendered (content-visibility): bring the table into view, as a person would.
    await page.getByTestId('flow-count').scrollIntoViewIfNeeded();
    const firstRow = () => flowsTable.getByTestId('flow-row').first().textContent();
    const before = await firstRow();
    interactions.push(await timed(page, 'sort flows by Start', () => flowsTable.getByRole('button', { name: /^Start/ }).first().click(),
      () => waitText(page, firstRow, { test: (t) => t !== before })));
    return {
      file: f.file.split('/').pop(), bytes: f.bytes, flows: total, readMs,
      readLongTasks: readTasks.length, readLongestTaskMs: readTasks.reduce((m, t) => Math.max(m, t.duration), 0),
      interactions,
    };
  } finally {
    await browser.close();
    server.close();
  }
}

export function printPageFlows(r) {
  if (!r) return;
  if (r.skipped) {
    console.log(`\nPage with a flow-heavy capture: skipped (${r.skipped})`);
    return;
  }
  console.log(`\nPage (headless Chromium, 1440×900) with ${r.flows.toLocaleString('en-US')} flows (${r.file}, ${(r.bytes / 2 ** 20).toFixed(0)} MiB):`);
  console.log(`  read and analyzed in ${(r.readMs / 1000).toFixed(1)} s; main-thread long tasks meanwhile: ${r.readLongTasks} (longest ${r.readLongestTaskMs.toFixed(0)} ms)`);
  for (const i of r.interactions) {
    console.log(`  ${i.name.padEnd(38)} ${i.ms.toFixed(0).padStart(6)} ms to the result; long tasks ${i.longTasks} (longest ${i.longestTaskMs.toFixed(0)} ms)`);
  }
}
