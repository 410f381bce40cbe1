// Every IP layer of every frame, tunnels included, against tshark's own dissection (its PDML),
// on every fixture where tshark shows more than one IP layer in a frame; and on all the others,
// that we find no tunnel where tshark's protocol path has a single IP layer.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasTshark, portholeLayers, tsharkLayers } from './helpers/decode';
import { listFixtures, type Fixture } from './helpers/fixtures';

const load = (f: Fixture) => {
  const raw = new Uint8Array(readFileSync(f.path));
  return f.name.endsWith('.gz') ? new Uint8Array(gunzipSync(raw)) : raw;
};

/** The protocols column of packets.tsv: how many ip/ipv6 tokens each frame's path has. */
function ipTokens(f: Fixture): number[] {
  const lines = readFileSync(f.tsvPath, 'utf8').split('\n').filter(Boolean);
  const col = lines[0]!.split('\t').indexOf('protocols');
  return lines.slice(1).map((l) => (l.split('\t')[col] ?? '').split(':').filter((t) => t === 'ip' || t === 'ipv6').length);
}

const fixtures = listFixtures();
const multi = fixtures.filter((f) => ipTokens(f).some((n) => n >= 2));

describe('tunnels: every IP layer agrees with tshark', () => {
  it('tshark is installed (apt-get install tshark; .ci/run installs it)', () => {
    expect(hasTshark).toBe(true);
  });

  it('finds the fixtures with tunnels', () => {
    expect(multi.length).toBeGreaterThan(40);
  });

  it.each(multi.map((f) => [f.set, f.name, f] as const))('%s/%s', (_set, _name, f) => {
    const want = tsharkLayers(f.path);
    const got = portholeLayers(load(f));
    const mismatches: string[] = [];
    const n = Math.min(want.length, got.length);
    for (let i = 0; i < n; i++) {
      const w = want[i]!.map(({ ip, src, dst, sport, dport }) => ({ ip, src, dst, sport, dport }));
      const g = got[i]!.map(({ ip, src, dst, sport, dport }) => ({ ip, src, dst, sport, dport }));
      if (JSON.stringify(w) !== JSON.stringify(g)) {
        mismatches.push(`frame ${i + 1}: got ${JSON.stringify(got[i])} want ${JSON.stringify(want[i])}`);
      }
    }
    expect(mismatches.slice(0, 4)).toEqual([]);
    if (f.expected.tshark.damaged !== true) expect(got.length).toBe(want.length);
  });

  it('no tunnel where tshark\'s protocol path shows a single IP layer (all fixtures)', () => {
    const wrong: string[] = [];
    for (const f of fixtures) {
      const tokens = ipTokens(f);
      const got = portholeLayers(load(f));
      got.forEach((layers, i) => {
        if (i < tokens.length && tokens[i]! <= 1 && layers.length > 1) wrong.push(`${f.name} frame ${i + 1}: ${JSON.stringify(layers)}`);
      });
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
