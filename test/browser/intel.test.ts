// The page shows findings (with links to the evidence), exposed services, payload verdicts and your labels.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/fixtures';
import { launchPersistent, serveApp, type AppServer, openOnPage } from './harness';

let app: AppServer;
beforeAll(async () => { app = await serveApp(); });
afterAll(async () => { await app?.close(); });

describe('port intelligence on the page', () => {
  it('a SYN scan: finding, link to its flows, exposed ports', async () => {
    const ctx = await launchPersistent(mkdtempSync(join(tmpdir(), 'porthole-profile-')));
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(app.url);
    await page.getByLabel('Open capture').setInputFiles(join(CAPTURES, '..', 'scans', 'nmap-sS.pcapng'));
    const findings = page.getByRole('region', { name: 'Findings' });
    await expect.poll(() => findings.getByText('SYN scan from 127.0.0.1: 200 ports on 1 host (vertical)').count()).toBe(1);
    await expect.poll(() => findings.getByText('open: 127.0.0.1 tcp/143, 127.0.0.1 tcp/80').count()).toBe(1);
    await expect.poll(() => findings.getByText('2 open, 198 closed').count()).toBe(1);
    await findings.locator('li[data-kind="port-scan"]').getByRole('button', { name: /Show the 200 flows/ }).click();
    await expect.poll(() => page.getByLabel('Filter', { exact: true }).inputValue()).toMatch(/^client host 127\.0\.0\.1 and started [\d.]+-[\d.]+$/);
    // Exactly the scan's flows, not the scanner's other traffic.
    await expect.poll(() => page.getByTestId('flow-count').textContent()).toMatch(/^\(200( of [\d,]+)?\)$/);
    const exposure = page.getByTestId('exposure-table');
    await expect.poll(() => exposure.locator('tbody tr').count()).toBe(2);
    expect(await exposure.locator('tbody').textContent()).toContain('80/tcp');
    await ctx.close();
  });

  it('payload verdicts in the flows table, and a label that sticks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-profile-'));
    let ctx = await launchPersistent(dir);
    let page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(app.url);
    await openOnPage(page, join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'));
    await page.getByTestId('flow-count').scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByTestId('flow-row').filter({ hasText: '✓ http 127.0.0.1:8080' }).count()).toBeGreaterThan(0);
    const labels = page.getByRole('region', { name: 'Your service labels' });
    await labels.getByLabel('Host').fill('127.0.0.1');
    await labels.getByLabel('Port').fill('8080');
    await labels.getByLabel('Name').fill('billing API');
    await labels.getByRole('button', { name: 'Add label' }).click();
    await expect.poll(() => labels.getByText('127.0.0.1:8080/tcp = billing API').count()).toBe(1);
    await ctx.close();
    ctx = await launchPersistent(dir);
    page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(app.url);
    await openOnPage(page, join(CAPTURES, 'local', 'a-lo-tcpdump-usec.pcap'));
    await page.getByTestId('flow-count').scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByTestId('flow-row').filter({ hasText: 'billing API' }).count()).toBeGreaterThan(0);
    await ctx.close();
  });
});
