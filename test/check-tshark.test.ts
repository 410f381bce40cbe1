// `npm run check:tshark -- DIR` lets anyone compare Porthole with their own tshark.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES } from './helpers/fixtures';

describe('check:tshark', () => {
  it('reports full agreement on a few captures', () => {
    const hasTshark = !spawnSync('tshark', ['--version']).error;
    expect(hasTshark, 'tshark is needed for this test: apt-get install tshark (.ci/run installs it)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'porthole-check-'));
    for (const f of ['a-lo-dumpcap.pcapng', 'a-any-tcpdump-sll2.pcap', 'a-lo-dumpcap.pcapng.gz']) copyFileSync(join(CAPTURES, 'local', f), join(dir, f));
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'check-tshark.mjs'), dir], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/3 files, packets agreeing (\d+)\/\1 \(100\.00%\)/);
  });
});
