// The filter words policies need: "server net" and "client net" (added beside server/client host).
import { describe, expect, it } from 'vitest';
import { FilterError, parseFilter } from '../src/views/filter/parse-filter';
import { flowRecord } from '../src/views/records';
import { office, viewOf } from './policy-traffic';

describe('server net and client net', () => {
  const view = viewOf(office());
  const flows = (expr: string) => [...view.select(expr).rows].map((r) => flowRecord(view.facts, r));
  const serverOf = (f: ReturnType<typeof flowRecord>) => (f.server === 'a' ? f.a : f.b);
  const clientOf = (f: ReturnType<typeof flowRecord>) => (f.server === 'a' ? f.b : f.a);

  it('select by the server end or the client end of a flow', () => {
    const all = flows('');
    expect(flows('server net 10.0.5.0/24')).toEqual(all.filter((f) => serverOf(f).startsWith('10.0.5.')));
    expect(flows('client net 10.0.1.0/24')).toEqual(all.filter((f) => clientOf(f).startsWith('10.0.1.')));
    expect(flows('client net 10.0.1.0/24')).toHaveLength(24);
    expect(flows('server net 10.0.1.0/24')).toEqual([]);
    expect(flows('client net 2001:db8:1::/48')).toEqual(all.filter((f) => clientOf(f).startsWith('2001:db8:1:')));
    expect(flows('not client net 0.0.0.0/0')).toEqual(flows('ip6'));
  });

  it('parse as net does, with its errors', () => {
    expect(parseFilter('server net 10.0.0.0/8')).toEqual({ kind: 'net', dir: 'server', version: 4, words: [0x0a000000], prefix: 8 });
    expect(() => parseFilter('client net 10.0.0.0/40')).toThrow(FilterError);
    expect(() => parseFilter('client nett 10.0.0.0/8')).toThrow(/expected 'port', 'portrange', 'host' or 'net' after 'client'/);
  });
});
