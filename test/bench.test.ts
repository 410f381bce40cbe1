// A tiny run of the benchmark harness (a few MB), so `npm run bench` does not rot. Not a timing test.
// `npm test` runs this file (and bench-shapes) after the others, one file at a time: the harness
// runs tshark, Chromium and the CLI in turn and should not compete with the browser tests for two cores.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const LIMIT_MS = 840_000;

/** Run the harness without blocking this worker (vitest must keep hearing from it). */
function runQuickBench(): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bench', 'run.mjs'), '--quick'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => { stdout += b; });
    child.stderr.on('data', (b) => { stderr += b; });
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

describe('benchmark harness', () => {
  it('runs every contender on small generated captures and checks Porthole against the generator', async () => {
    const r = await runQuickBench();
    expect(r.status, `${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`).toBe(0);
    expect(r.stdout).toContain('porthole');
    expect(r.stdout).toContain('limit');
    expect(r.stdout).toContain('Peak RSS');
    const results = JSON.parse(readFileSync(join(root, 'bench', 'results', 'quick.json'), 'utf8'));
    expect(results.files.length).toBe(2);
    for (const f of results.files) {
      expect(f.contenders.porthole.medianMs).toBeGreaterThan(0);
      expect(f.contenders.limit.medianMs).toBeGreaterThan(0);
    }
    expect(results.browser.results.length).toBeGreaterThan(0);
    expect(results.flowHeavy.rows.length).toBeGreaterThan(0);
    expect(results.page.interactions.length).toBeGreaterThan(3);
    expect(results.page.readMs).toBeGreaterThan(0);
  }, LIMIT_MS + 60_000);
});
