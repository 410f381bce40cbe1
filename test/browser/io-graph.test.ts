// The I/O graph in real Chromium: a UTC time axis on a fixture, bits/s = 8 × bytes/s, brushing a
// range puts `during A-B` into the filter (and the URL), reset zoom, and no long task while
// switching metrics on a 200K-flow capture.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/fixtures';
import { launch, openOnPage, serveApp, watch, type AppServer } from './harness';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const local = (n: string) => join(CAPTURES, 'local', n);
const dir = mkdtempSync(join(tmpdir(), 'porthole-io-'));
const scan = join(dir, 'scan-200k.pcap');

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  const gen = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'bench', 'generate.mjs'), scan, '--shape', 'syn-scan', '--flows', '200000', '--seed', '3']);
  expect(gen.status, gen.stderr?.toString()).toBe(0);
  app = await serveApp();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function freshPage(width = 1400): Promise<{ page: Page; seen: ReturnType<typeof watch> }> {
  const page = await browser.newPage({ viewport: { width, height: 1000 } });
  const seen = watch(page, app.url.slice(0, -1));
  await page.goto(app.url);
  return { page, seen };
}

/** What the chart draws: x values, the top of the stack, and the time axis labels (uPlot's own state). */
function chartState(graph: Locator) {
  return graph.evaluate((el) => {
    const plot = (el as unknown as { plot: { data: ArrayLike<number>[]; axes: Array<{ _values?: string[] }> } | null }).plot;
    if (!plot) return null;
    const top = plot.data[plot.data.length - 1]!;
    return { x: Array.from(plot.data[0]!), top: Array.from(top), ticks: plot.axes[0]!._values ?? [], series: plot.data.length - 1 };
  });
}

/** CPU time (ms) of each task the page's main thread ran while tracing, then stop tracing. */
async function mainThreadTaskCpu(cdp: CDPSession): Promise<number[]> {
  const chunks: string[] = [];
  await new Promise<void>((resolve) => {
    cdp.once('Tracing.tracingComplete', async ({ stream }) => {
      for (;;) {
        const r = await cdp.send('IO.read', { handle: stream! });
        chunks.push(r.data);
        if (r.eof) break;
      }
      await cdp.send('IO.close', { handle: stream! });
      resolve();
    });
    void cdp.send('Tracing.end');
  });
  const parsed = JSON.parse(chunks.join(''));
  const events: Array<{ name: string; ph: string; pid: number; tid: number; tdur?: number; args?: { name?: string } }> = parsed.traceEvents ?? parsed;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  return events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)).map((e) => Math.round((e.tdur ?? 0) / 100) / 10);
}

/** One of the graph's labelled selects. */
function select(graph: Locator, label: string): Locator {
  return graph.getByRole('combobox', { name: label });
}

/** Wait until the graph is not waiting for the worker and shows the given caption. */
async function settled(graph: Locator, caption: RegExp): Promise<void> {
  await expect.poll(() => graph.locator('.caption').first().textContent()).toMatch(caption);
  await expect.poll(() => graph.getByTestId('io-chart').getAttribute('aria-busy')).toBe('false');
}

describe('the I/O graph', () => {
  it('draws the capture on a UTC time axis with units, exact when unfiltered', async () => {
    const { page, seen } = await freshPage();
    await openOnPage(page, local('a-lo-dumpcap.pcapng'));
    const graph = page.locator('ph-io-graph');
    await settled(graph, /Bytes per second · \d+ (ms|s) intervals · times in UTC/);
    const report = JSON.parse(spawnSync(process.execPath, [CLI, 'analyze', local('a-lo-dumpcap.pcapng'), '--json'], { encoding: 'utf8' }).stdout);
    const state = (await chartState(graph))!;
    expect(state.ticks.length).toBeGreaterThan(2);
    // Clock labels (HH:MM:SS or :SS.fff), the date on the first.
    expect(state.ticks.join(' ')).toMatch(/\d\d:\d\d|:\d\d\.\d{3}/);
    expect(state.ticks[0]).toContain(new Date(report.totals.firstTime * 1000).toISOString().slice(0, 10));
    expect(state.x[0]).toBeLessThanOrEqual(report.totals.firstTime);
    expect(state.x[state.x.length - 1]).toBeGreaterThanOrEqual(report.totals.lastTime);
    await expect.poll(() => graph.getByTestId('io-basis').textContent()).toContain('Exact');
    // The chart is labelled, and its series is in a table for screen readers.
    expect(await graph.getByRole('img').getAttribute('aria-label')).toMatch(/^I\/O graph: bytes per second, stacked by port class, .* UTC, .* intervals/);
    expect(await graph.getByTestId('io-text').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await graph.getByTestId('io-text').textContent()).toContain('Totals:');
    expect(seen.errors).toEqual([]);
    expect(seen.foreign).toEqual([]);
    await page.close();
  });

  it('bits/s is 8 × bytes/s; the controls are labelled selects', async () => {
    const { page, seen } = await freshPage();
    await openOnPage(page, local('a-lo-dumpcap.pcapng'));
    const graph = page.locator('ph-io-graph');
    await settled(graph, /Bytes per second/);
    const bytes = (await chartState(graph))!;
    await select(graph, 'Metric').selectOption('bits');
    await settled(graph, /Bits per second/);
    const bits = (await chartState(graph))!;
    expect(bits.x).toEqual(bytes.x);
    expect(bits.top.length).toBe(bytes.top.length);
    bits.top.forEach((v, i) => expect(v).toBeCloseTo(8 * bytes.top[i]!, 6));
    await select(graph, 'Metric').selectOption('flows');
    await settled(graph, /Flows started per/);
    await select(graph, 'Stack by').selectOption('service');
    await expect.poll(async () => (await chartState(graph))?.series).toBeGreaterThan(1);
    await select(graph, 'Interval').selectOption('1');
    await settled(graph, /· 1 s intervals/);
    await select(graph, 'Stack by').selectOption('class');
    await expect.poll(async () => (await chartState(graph))?.series).toBeLessThanOrEqual(3);
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it('brushing a range puts "during A-B" into the filter and the URL; brushing again replaces it; reset zoom takes it out', async () => {
    const { page, seen } = await freshPage();
    await openOnPage(page, scan);
    const filter = page.getByLabel('Filter', { exact: true });
    await filter.fill('tcp');
    await filter.press('Enter');
    const graph = page.locator('ph-io-graph');
    await expect.poll(() => graph.getByTestId('io-basis').textContent()).toContain('Estimate');
    // The mouse works in the viewport: bring the chart into it first (panels above it may grow).
    await graph.locator('.u-over').scrollIntoViewIfNeeded();
    const box = (await graph.locator('.u-over').boundingBox())!;
    const drag = async (a: number, b: number) => {
      await page.mouse.move(box.x + box.width * a, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * b, box.y + box.height / 2, { steps: 4 });
      await page.mouse.up();
    };
    await drag(0.2, 0.6);
    await expect.poll(() => filter.inputValue()).toMatch(/^tcp and during \d+\.\d{3,}-\d+\.\d{3,}$/);
    const [, a, b] = /during ([\d.]+)-([\d.]+)/.exec(await filter.inputValue())!.map(Number);
    expect(b! - a!).toBeGreaterThan(10);
    await expect.poll(() => decodeURIComponent(new URL(page.url()).hash).replace(/\+/g, ' ')).toBe(`#filter=${await filter.inputValue()}`);
    const notice = graph.getByTestId('io-range');
    await expect.poll(() => notice.textContent()).toMatch(/Time range \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}–\d\d:\d\d:\d\d\.\d{3} UTC is part of the filter/);
    // The x axis now spans the range.
    await expect.poll(async () => {
      const st = await chartState(graph);
      return st ? [st.x[0]! <= a! + 1, st.x[st.x.length - 1]! >= b! - 1, st.x[st.x.length - 1]! - st.x[0]! < (b! - a!) * 1.5] : null;
    }).toEqual([true, true, true]);
    // Again: the range is replaced, not stacked.
    await settled(graph, /Bytes per second/);
    await drag(0.3, 0.5);
    await expect.poll(async () => {
      const m = /during ([\d.]+)-([\d.]+)/.exec(await filter.inputValue());
      return m ? Number(m[1]) > a! && Number(m[2]) < b! : false;
    }).toBe(true);
    expect((await filter.inputValue()).match(/during/g)).toHaveLength(1);
    // Reset zoom: the filter without its range.
    await graph.getByRole('button', { name: 'Reset zoom' }).first().click();
    await expect.poll(() => filter.inputValue()).toBe('tcp');
    await expect.poll(() => decodeURIComponent(new URL(page.url()).hash)).toBe('#filter=tcp');
    await expect.poll(() => graph.getByTestId('io-range').count()).toBe(0);
    // By keyboard: type a range and zoom.
    await graph.getByText('Zoom to a time range by typing it').click();
    const from = new Date(Math.round(a!) * 1000).toISOString().replace('T', ' ').replace('Z', '');
    const to = new Date(Math.round(a! + 5) * 1000).toISOString().replace('T', ' ').replace('Z', '');
    await graph.getByLabel('From').fill(from);
    await graph.getByLabel('to', { exact: true }).fill(to);
    await graph.getByLabel('to', { exact: true }).press('Enter');
    await expect.poll(() => filter.inputValue()).toBe(`tcp and during ${Math.round(a!)}.000-${Math.round(a! + 5)}.000`);
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it('no long task over 50 ms on the page while switching metrics, stacking and intervals on a 200K-flow capture', async () => {
    const { page } = await freshPage();
    await openOnPage(page, scan);
    const graph = page.locator('ph-io-graph');
    await settled(graph, /Bytes per second/);
    await page.waitForTimeout(1000);
    const cdp = await page.context().newCDPSession(page);
    // Playwright's own queries run on the page's main thread (role queries over the page cost tens
    // of ms), so the switching is driven from inside the page, waiting on the graph's own state.
    const steps: Array<[string, string, string]> = [
      ['Metric', 'bits', 'Bits per second'], ['Metric', 'packets', 'Packets per second'], ['Metric', 'flows', 'Flows started'],
      ['Stack by', 'service', 'Flows started'], ['Metric', 'bytes', 'Bytes per second'],
      // Finer than the capture's recorded steps (2^-3 s over its 60 s): the finest human interval instead.
      ['Interval', '0.01', 'Bytes per second · 200 ms intervals'], ['Stack by', 'class', 'Bytes per second'], ['Interval', 'auto', 'Bytes per second · 500 ms'],
    ];
    const run = () => page.evaluate(async (list) => {
      const graphEl = document.querySelector('ph-app')!.shadowRoot!.querySelector('ph-io-graph')!;
      const root = graphEl.shadowRoot!;
      const long: string[] = [];
      let step = '';
      const observer = new PerformanceObserver((l) => { for (const e of l.getEntries()) long.push(`${step}: ${Math.round(e.duration)} ms`); });
      observer.observe({ type: 'longtask' });
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      for (const [label, value, caption] of list) {
        step = `${label} ${value}`;
        const select = [...root.querySelectorAll('label')].find((l) => l.textContent!.trim().startsWith(label))!.querySelector('select')!;
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
        for (let i = 0; i < 600; i++) {
          await sleep(25);
          if (root.querySelector('.caption')?.textContent?.includes(caption) && root.querySelector('.chart')!.getAttribute('aria-busy') === 'false') break;
        }
        await sleep(150);
      }
      observer.disconnect();
      return long;
    }, steps);
    // Long tasks are wall-clock time: on a shared two-core machine running other test files, a 10 ms
    // task can take 60 ms. So the observer must see no long task in one of three runs of the
    // sequence, and the main thread's CPU time per task (from a trace, a run of its own: tracing
    // slows the page) must stay under 50 ms.
    const attempts: string[][] = [];
    do attempts.push(await run());
    while (attempts.length < 3 && attempts[attempts.length - 1]!.length > 0);
    await cdp.send('Tracing.start', { categories: 'toplevel,disabled-by-default-devtools.timeline', transferMode: 'ReturnAsStream' });
    await run();
    const cpu = await mainThreadTaskCpu(cdp);
    console.log(`I/O graph, switching on 200K flows: long tasks per run ${JSON.stringify(attempts)}; longest main-thread tasks (CPU ms) ${JSON.stringify(cpu.sort((a, b) => b - a).slice(0, 5))}`);
    expect(Math.max(...cpu)).toBeLessThan(50);
    expect(attempts[attempts.length - 1]).toEqual([]);
    // The steps did happen: the last one left auto intervals in bytes/s.
    await settled(graph, /Bytes per second · 500 ms intervals/);
    await page.close();
  });

  it('shows what the 200K-flow capture holds: as many flows started as flows', async () => {
    const truth = JSON.parse(readFileSync(`${scan}.truth.json`, 'utf8'));
    const { page } = await freshPage();
    await openOnPage(page, scan);
    const graph = page.locator('ph-io-graph');
    await select(graph, 'Metric').selectOption('flows');
    await settled(graph, /Flows started/);
    const text = await graph.getByTestId('io-text').textContent();
    const flows = truth.flows.tcp + truth.flows.udp;
    expect(text).toContain(`${new Intl.NumberFormat('en-US').format(flows)} flows in all`);
    await page.close();
  });
});
