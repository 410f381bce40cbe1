// Differential test: every fixture decoded packet by packet against tshark's packets.tsv.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile, toRow } from './helpers/decode';
import { CAPTURES, listFixtures, readPacketsTsv } from './helpers/fixtures';

const known = JSON.parse(readFileSync(join(CAPTURES, '..', 'known-differences.json'), 'utf8')).packets as Array<{ file: string; n: number }>;
const isKnown = (file: string, n: number) => known.some((k) => k.file === file && k.n === n);

describe('decoder agrees with tshark packet by packet', () => {
  const fixtures = listFixtures();

  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(500);
  });

  it.each(fixtures.map((f) => [f.set, f.name, f] as const))('%s/%s', async (_set, name, f) => {
    const expected = readPacketsTsv(f.tsvPath);
    const { lines, outcome } = await decodeFile(f.path);
    const rows = lines.map(toRow);
    const damaged = f.expected.tshark.damaged === true && f.expected.tshark.verdict !== 'unsupported';
    if (!damaged) {
      expect(outcome.status, outcome.message ?? '').toBe('complete');
      expect(rows.length).toBe(expected.length);
    } else {
      // tshark stopped at the damage: we must have at least the packets it read.
      expect(rows.length).toBeGreaterThanOrEqual(expected.length);
    }
    const mismatches: string[] = [];
    for (let i = 0; i < expected.length; i++) {
      const e = expected[i]!;
      if (isKnown(name, e.n)) continue;
      const got = rows[i];
      if (JSON.stringify(got) !== JSON.stringify(e)) mismatches.push(`packet ${e.n}: got ${JSON.stringify(got)} want ${JSON.stringify(e)}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
