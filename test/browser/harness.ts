// Real Chromium for the browser tests: Debian's chromium (or CHROME_PATH) driven by playwright-core.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage'];

/** Find a Chromium, or stop with instructions (never skip; installing is .ci/run's job, not the tests'). */
export function findChrome(): string {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  throw new Error('No Chromium found for the browser tests. Install one (Debian: apt-get install chromium) or set CHROME_PATH to its executable.');
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, headless: true });
}

export async function launchPersistent(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: findChrome(), args: CHROME_ARGS, headless: true, acceptDownloads: true });
}

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

/** Serve the built app (npm test builds web-dist first) on a free port. */
export async function serveApp(): Promise<AppServer> {
  const { startServer } = await import('../../scripts/serve.mjs' as string) as { startServer: (port: number) => Promise<Server> };
  const server = await startServer(0);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Record console errors and every request that leaves the app's origin. */
export function watch(page: Page, origin: string): { errors: string[]; foreign: string[] } {
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')) foreign.push(u);
  });
  return { errors, foreign };
}

/** Open a capture on the page and wait until its analysis (not the previous one) is shown. */
export async function openOnPage(page: Page, file: string): Promise<void> {
  const name = file.split('/').pop()!;
  await page.getByLabel('Open capture').setInputFiles(file);
  await page.locator('main[data-busy="false"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('file-name').filter({ hasText: name }).waitFor({ timeout: 60_000 });
}
