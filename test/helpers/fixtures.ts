import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CAPTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'captures');
export const SCANS = join(CAPTURES, '..', 'scans');

export interface Fixture {
  name: string;
  set: string;
  path: string;
  expected: any;
  tsvPath: string;
}

/** Every capture with tshark-made expectations under fixtures/captures. */
export function listFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const set of ['local', 'tcpdump']) {
    const dir = join(CAPTURES, set);
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.expected.json')) continue;
      const name = f.slice(0, -'.expected.json'.length);
      out.push({
        name, set, path: join(dir, name), tsvPath: join(dir, `${name}.packets.tsv`),
        get expected() { return JSON.parse(readFileSync(join(dir, f), 'utf8')); },
      } as Fixture);
    }
  }
  return out;
}

export interface PacketRow {
  n: number;
  len: number;
  caplen: number;
  ip: number | null;
  src: string | null;
  dst: string | null;
  proto: string | number | null;
  sport: number | null;
  dport: number | null;
}

const NAMED = new Set(['tcp', 'udp', 'icmp', 'icmpv6']);

export function readPacketsTsv(path: string): PacketRow[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const cols = lines[0]!.split('\t');
  return lines.slice(1).map((line) => {
    const v = line.split('\t');
    const get = (c: string) => v[cols.indexOf(c)] ?? '';
    const num = (c: string) => (get(c) === '' ? null : Number(get(c)));
    const l4 = get('l4');
    return {
      n: Number(get('n')), len: Number(get('len')), caplen: Number(get('caplen')), ip: num('ipver'),
      src: get('src') || null, dst: get('dst') || null,
      proto: l4 === '' ? null : NAMED.has(l4) ? l4 : Number(l4),
      sport: num('sport'), dport: num('dport'),
    };
  });
}

export function fileSize(path: string): number {
  return statSync(path).size;
}
