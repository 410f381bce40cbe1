// A tiny run of the benchmark harness (a few MB), so `npm run bench` does not rot. Not a timing test.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('benchmark harness', () => {
  it('runs every contender on small generated captures and checks Porthole against the generator', () => {
    const r = spawnSync(process.execPath, [join(root, 'bench', 'run.mjs'), '--quick'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
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
  });
});
