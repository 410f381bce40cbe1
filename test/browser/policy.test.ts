// The Firewall policy panel: a pasted policy checked in the worker agrees with `porthole policy
// check --json`, a count filters the flows table to its flows, a rule error shows its line.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCANS } from '../helpers/fixtures';
import { seriousViolations } from './axe';
import { launch, openOnPage, serveApp, watch, type AppServer } from './harness';

const root = join(import.meta.dirname, '..', '..');
const CLI = join(root, 'dist', 'cli.js');
const OUT = join(root, 'test-results', 'screenshots');
const RULES = `# web for everyone, SSH from the admin network
allow tcp 80,443
allow tcp 22 from 10.0.0.0/24
allow tcp 8000-8100
allow tcp 8080 from 10.0.0.0/8
deny tcp 143
default deny
`;
const CAPTURE = join(SCANS, 'nmap-sS.pcapng');

let app: AppServer;
let browser: Browser;
let cli: { blockedFlows: number; allowedFlows: number; filters: { blocked: string } };

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root });
  const rules = join(mkdtempSync(join(tmpdir(), 'porthole-policy-')), 'web.rules');
  writeFileSync(rules, RULES);
  const r = spawnSync(process.execPath, [CLI, 'policy', 'check', rules, CAPTURE, '--json']);
  expect(r.status).toBe(0);
  cli = JSON.parse(r.stdout.toString());
  app = await serveApp();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('firewall policy on the page', () => {
  it('check: the blocked count is the command line\'s, and clicking it filters the flows table to those flows', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
    const seen = watch(page, app.url.slice(0, -1));
    await page.goto(app.url);
    await openOnPage(page, CAPTURE);
    const panel = page.getByRole('region', { name: 'Firewall policy' });
    await panel.getByLabel('Rules', { exact: true }).fill(RULES);
    await panel.getByRole('button', { name: 'Check', exact: true }).click();
    const blocked = panel.getByTestId('policy-blocked');
    await expect.poll(() => blocked.textContent()).toBe(String(cli.blockedFlows));
    expect(await panel.getByTestId('policy-allowed').textContent()).toBe(String(cli.allowedFlows));
    expect(cli.blockedFlows).toBe(199);
    // Rules with their counts, the unused and the shadowed ones.
    await expect.poll(() => panel.getByTestId('policy-rule').count()).toBe(6);
    expect(await panel.getByTestId('policy-unused').textContent()).toContain('line 3, line 4, line 5');
    expect(await panel.getByTestId('policy-shadowed').textContent()).toContain('line 5: allow tcp 8080 from 10.0.0.0/8');
    await panel.screenshot({ path: join(OUT, 'policy-check-light-1400.png') });
    expect(await seriousViolations(page)).toEqual([]);

    await blocked.click();
    await expect.poll(() => page.getByLabel('Filter', { exact: true }).inputValue()).toBe(cli.filters.blocked);
    expect(await panel.getByTestId('policy-applied').textContent()).toContain('the 199 blocked flows');
    await page.getByTestId('flow-count').scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByTestId('flow-count').textContent()).toBe(`(${cli.blockedFlows} of 200)`);

    // A breakdown count: the one IMAP flow line 7 blocked.
    await panel.getByTestId('policy-rule').filter({ hasText: 'deny tcp 143' }).getByRole('button').click();
    await expect.poll(() => page.getByTestId('flow-count').textContent()).toBe('(1 of 200)');
    expect(seen.errors).toEqual([]);
    expect(seen.foreign).toEqual([]);
    await page.close();
  });

  it('a rule the parser cannot read shows its line and column; suggest writes a policy that checks clean', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
    const seen = watch(page, app.url.slice(0, -1));
    await page.goto(app.url);
    await openOnPage(page, CAPTURE);
    const panel = page.getByRole('region', { name: 'Firewall policy' });
    await panel.getByLabel('Rules', { exact: true }).fill('allow tcp 22\nallow tcp 80 from <img src=x onerror=alert(1)>\n');
    await panel.getByRole('button', { name: 'Check', exact: true }).click();
    const problem = panel.getByTestId('policy-problem');
    await expect.poll(() => problem.textContent()).toContain('line 2, column 19');
    // The offending line is shown as text, with a caret under the column.
    expect(await problem.locator('pre').textContent()).toBe(`2 | allow tcp 80 from <img src=x onerror=alert(1)>\n  | ${' '.repeat(18)}^`);
    expect(await panel.locator('img').count()).toBe(0);
    await panel.screenshot({ path: join(OUT, 'policy-error-light-1400.png') });

    // A ruleset loaded from a file, its format found from the content.
    const nft = 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tct state established,related accept\n\t\ttcp dport 80 accept\n\t}\n}\n';
    await panel.getByLabel('Load rules').setInputFiles({ name: 'ruleset.nft', mimeType: 'text/plain', buffer: Buffer.from(nft) });
    await expect.poll(() => panel.getByLabel('Rules', { exact: true }).inputValue()).toBe(nft);
    await panel.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => panel.getByTestId('policy-result').textContent()).toContain('Read as nft ruleset');
    expect(await panel.getByTestId('policy-blocked').textContent()).toBe('199');
    expect(await panel.getByTestId('policy-problem').count()).toBe(0);

    await panel.getByLabel('Suggested format').selectOption('nft');
    await panel.getByRole('button', { name: 'Suggest' }).click();
    const suggested = panel.getByLabel('Suggested policy');
    await expect.poll(() => suggested.textContent()).toContain('ip saddr 127.0.0.1 ip daddr 127.0.0.1 tcp dport 80 accept');
    await panel.screenshot({ path: join(OUT, 'policy-suggest-light-1400.png') });
    await panel.getByRole('button', { name: 'Use as rules' }).click();
    await panel.getByRole('button', { name: 'Check', exact: true }).click();
    // Everything answered stays allowed; the refused probes are blocked.
    await expect.poll(() => panel.getByTestId('policy-allowed').textContent()).toBe('2');
    expect(await panel.getByTestId('policy-blocked').textContent()).toBe('198');
    expect(seen.errors).toEqual([]);
    await page.close();
  });
});

describe('diff of two saved analyses', () => {
  it('pick two in the library: what changed from an ACK scan to a SYN scan, as text and JSON', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
    const seen = watch(page, app.url.slice(0, -1));
    await page.goto(app.url);
    for (const [file, title] of [['nmap-sA.pcapng', 'ACK scan'], ['nmap-sS.pcapng', 'SYN scan']] as const) {
      await openOnPage(page, join(SCANS, file));
      await page.getByRole('button', { name: 'Save analysis' }).click();
      await page.getByLabel('Title').fill(title);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: `Saved “${title}”` }).count()).toBe(1);
    }
    await page.getByRole('button', { name: /^Saved analyses/ }).click();
    await page.getByLabel('Compare ACK scan').check();
    await page.getByLabel('Compare SYN scan').check();
    await page.getByRole('button', { name: 'What changed (A → B)' }).click();
    const text = page.getByTestId('diff-text');
    await expect.poll(() => text.textContent()).toContain('New exposed services (answered in B, not in A): 2');
    expect(await text.textContent()).toContain('A: ACK scan: 200 flows');
    expect(await text.textContent()).toContain('127.0.0.1:143/tcp imap');
    const panel = page.getByRole('region', { name: 'What changed' });
    await panel.screenshot({ path: join(OUT, 'library-diff-light-1400.png') });
    await panel.getByLabel('JSON').check();
    const json = JSON.parse((await text.textContent())!);
    expect(json.exposed.newCount).toBe(2);
    await panel.getByRole('button', { name: 'Swap A and B' }).click();
    await expect.poll(() => text.textContent()).toContain('"vanishedCount": 2');
    expect(seen.errors).toEqual([]);
    await page.close();
  });
});
