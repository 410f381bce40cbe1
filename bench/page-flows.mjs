// The page with a flow-heavy capture loaded (npm run bench -- --page [--page-flows 1M], or
// --page-only): the real app in headless Chromium reads a generated SYN scan, then a person's
// interactions are timed in the page's own clock, from the action to the animation frame that
// shows its result, with every main-thread long task (PerformanceObserver 'longtask', over
// 50 ms) counted while reading and during each interaction.
import { existsSync } from 'node:fs';
import { ensureShapeCapture } from './flow-heavy.mjs';
import { parseCount } from './gen/flow-shape.mjs';

const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Long tasks since the last call, from the observer installed before the app loads. */
const takeLongTasks = (page) => page.evaluate(() => window.__longTasks.splice(0));

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Type a filter and submit it as Enter does, in the page; returns the time of the action. */
const submitFilter = (text) => new Function('el', `const t0 = performance.now(); el.value = ${JSON.stringify(text)};
  el.dispatchEvent(new Event('input', { bubbles: true, composed: true })); el.form.requestSubmit(); return t0;`);
const click = (el) => { const t0 = performance.now(); el.click(); return t0; };

/**
 * `start` runs in the page on `element` and returns performance.now() as it acts; then every
 * animation frame checks whether the element with data-testid `testId` (in any shadow root)
 * shows text matching `want` (a regular expression source); the frame that sees it ends the time.
 */
async function timed(page, name, element, start, testId, want) {
  await takeLongTasks(page);
  const t0 = await element.evaluate(start);
  const seen = await page.waitForFunction(([id, source]) => {
    const find = (root) => {
      const hit = root.querySelector(`[data-testid="${id}"]`);
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) {
        const inner = el.shadowRoot && find(el.shadowRoot);
        if (inner) return inner;
      }
      return null;
    };
    const el = find(document);
    return el && new RegExp(source).test(el.textContent ?? '') ? performance.now() : false;
  }, [testId, want], { polling: 'raf', timeout: 120_000 });
  const t1 = await seen.jsonValue();
  const tasks = await takeLongTasks(page);
  return { name, ms: t1 - t0, longTasks: tasks.length, longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0) };
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
    // Panels off screen are not rendered (content-visibility): bring the flows table into view.
    await page.getByTestId('flow-count').scrollIntoViewIfNeeded();
    const all = `^\\(${escape(total.toLocaleString('en-US'))}\\)$`;
    const filter = page.getByLabel('Filter', { exact: true });
    const bar = page.locator('ph-filter-bar');
    const interactions = [];
    interactions.push(await timed(page, 'filter "refused" → first rows', filter, submitFilter('refused'), 'flow-count', ' of '));
    interactions.push(await timed(page, 'clear the filter', bar.getByRole('button', { name: 'Clear' }), click, 'flow-count', all));
    interactions.push(await timed(page, 'quick toggle udp', bar.getByRole('button', { name: 'udp', exact: true }), click, 'flow-count', ' of '));
    await bar.getByRole('button', { name: 'Clear' }).click();
    await page.getByTestId('flow-count').filter({ hasText: new RegExp(all) }).waitFor();
    const flowsTable = page.locator('ph-flows-table');
    await flowsTable.getByTestId('flow-count').scrollIntoViewIfNeeded();
    const first = (await flowsTable.getByTestId('flow-row').first().textContent()) ?? '';
    interactions.push(await timed(page, 'sort flows by Start', flowsTable.getByRole('button', { name: /^Start/ }).first(), click, 'flow-row', `^(?!${escape(first)}$)`));
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
