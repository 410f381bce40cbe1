// The flow filter language: every primitive, every error, and a property against plain predicates.
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { FilterError, parseFilter } from '../src/views/filter/parse-filter';
import { AnalysisView } from '../src/views/analysis-view';
import { flowRecord } from '../src/views/records';
import { portClassName } from '../src/net/port-class';
import type { FlowRecord, Report } from '../src/schema/report';
import { analyzeFile, reportOf } from './helpers/analyze';
import { CAPTURES } from './helpers/fixtures';

let report: Report;
let flows: FlowRecord[];
let view: AnalysisView;
/** The flows a filter keeps, through the compiled column predicate. */
const matching = (expr: string) => [...view.select(expr).rows].map((r) => flowRecord(view.facts, r));

beforeAll(async () => {
  const analyzed = await analyzeFile(join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'));
  report = analyzed.report;
  flows = report.flows;
  view = new AnalysisView(analyzed.state);
  expect(flows.length).toBeGreaterThan(20);
});

describe('filter primitives', () => {
  it('open, refused, unanswered, payload NAME, during A-B, started A-B', () => {
    // The rule of flow-facts' judgeAttempts, on the records: SYN+ACK, else RST, else any answer.
    const open = (f: FlowRecord) => {
      const a = f.server === 'a';
      const fromServer = a ? f.packetsAB : f.packetsBA;
      if (f.proto === 'udp') return fromServer > 0;
      if (f.handshake & (a ? 4 : 8)) return true;
      if (f.handshake & (a ? 16 : 32)) return false;
      return fromServer > 0;
    };
    expect(matching('open')).toEqual(flows.filter(open));
    expect(matching('open').length + matching('refused').length + matching('unanswered').length).toBe(flows.length);
    expect(matching('refused').length).toBeGreaterThan(0);
    expect(matching('payload http').map((f) => f.app)).toEqual(flows.filter((f) => f.app === 'http').map((f) => f.app));
    expect(matching('payload http').length).toBeGreaterThan(0);
    const starts = flows.map((f) => f.start!).sort((a, b) => a - b);
    const [lo, hi] = [starts[5]!, starts[15]!];
    expect(matching(`started ${lo}-${hi}`)).toEqual(flows.filter((f) => f.start! >= lo && f.start! <= hi));
    expect(matching(`during ${lo}-${hi}`)).toEqual(flows.filter((f) => f.start! <= hi && f.end! >= lo));
    expect(matching(`during ${lo}-${hi}`).length).toBeGreaterThan(matching(`started ${lo}-${hi}`).length - 1);
    expect(() => parseFilter('started 5-3')).toThrow(/time range/);
    expect(() => parseFilter('payload gopher')).toThrow(/column 9: expected a payload protocol/);
  });

  it('tunnel, tunnel NAME: flows found inside tunnels, by encapsulation', () => {
    const inside = flows.filter((f) => f.tunnel);
    expect(inside.map((f) => f.tunnel).sort()).toEqual(['6in4', 'gre', 'ipip', 'vxlan']);
    expect(matching('tunnel')).toEqual(inside);
    expect(matching('not tunnel')).toEqual(flows.filter((f) => !f.tunnel));
    expect(matching('tunnel vxlan').map((f) => [f.tunnel, f.b, f.bPort])).toEqual([['vxlan', '127.0.0.6', 443]]);
    expect(matching('tunnel gre and tcp').map((f) => f.tunnel)).toEqual(['gre']);
    expect(matching('tunnel and port 53').map((f) => f.tunnel).sort()).toEqual(['6in4', 'ipip']);
    expect(matching('tunnel geneve')).toEqual([]);
    expect(() => parseFilter('tunnel wormhole')).toThrow(/column 8: unknown tunnel 'wormhole'/);
    // Frame totals count each frame once: the tunnelled rows are left out of totals.flows and ports.
    expect(report.totals.flows.tcp + report.totals.flows.udp).toBe(flows.length - inside.length);
  });

  it('port, src port, dst port, portrange', () => {
    expect(matching('port 53').every((f) => f.aPort === 53 || f.bPort === 53)).toBe(true);
    expect(matching('port 53').length).toBe(flows.filter((f) => f.aPort === 53 || f.bPort === 53).length);
    expect(matching('dst port 53').length).toBe(flows.filter((f) => (f.bPort === 53 && f.packetsAB > 0) || (f.aPort === 53 && f.packetsBA > 0)).length);
    expect(matching('src port 53').length).toBe(flows.filter((f) => (f.aPort === 53 && f.packetsAB > 0) || (f.bPort === 53 && f.packetsBA > 0)).length);
    expect(matching('portrange 8000-8100').every((f) => [f.aPort, f.bPort].some((p) => p >= 8000 && p <= 8100))).toBe(true);
    expect(matching('portrange 8000-8100').length).toBeGreaterThan(0);
  });

  it('tcp, udp, ip, ip6, and pcap-filter qualifiers', () => {
    expect(matching('tcp').length + matching('udp').length).toBe(flows.length);
    expect(matching('ip').length + matching('ip6').length).toBe(flows.length);
    expect(matching('udp port 53')).toEqual(flows.filter((f) => f.proto === 'udp' && (f.aPort === 53 || f.bPort === 53)));
    expect(matching('tcp port 53')).toEqual([]);
  });

  it('host, src host, net (IPv4 and IPv6)', () => {
    expect(matching('host 127.0.0.1').length).toBe(flows.filter((f) => f.a === '127.0.0.1' || f.b === '127.0.0.1').length);
    expect(matching('net 127.0.0.0/8')).toEqual(matching('ip'));
    expect(matching('host ::1')).toEqual(matching('ip6'));
    expect(matching('net ::/0')).toEqual(matching('ip6'));
    expect(matching('src host 127.0.0.1').length).toBeGreaterThan(0);
  });

  it('classes, server port, service', () => {
    expect(matching('well-known')).toEqual(flows.filter((f) => portClassName(f.aPort) === 'well-known' || portClassName(f.bPort) === 'well-known'));
    expect(matching('ephemeral').length).toBeGreaterThan(0);
    expect(matching('registered').length).toBeGreaterThan(0);
    expect(matching('server port 8080')).toEqual(flows.filter((f) => f.serverPort === 8080));
    expect(matching('service https')).toEqual(flows.filter((f) => f.aPort === 443 || f.bPort === 443));
    expect(matching('service domain').length).toBe(matching('port 53').length);
  });

  it('and, or, not, parentheses and their symbols', () => {
    expect(matching('tcp and port 25')).toEqual(matching('tcp && port 25'));
    expect(matching('port 25 or port 53')).toEqual(matching('port 25 || port 53'));
    expect(matching('not tcp')).toEqual(matching('udp'));
    expect(matching('!tcp')).toEqual(matching('udp'));
    expect(matching('(port 25 or port 53) and ip6')).toEqual(flows.filter((f) => f.ipVersion === 6 && [25, 53].some((p) => f.aPort === p || f.bPort === p)));
    expect(matching('port 25 or 53')).toEqual(matching('port 25 or port 53'));
  });

  it('Wireshark spellings', () => {
    expect(matching('tcp.port == 443')).toEqual(matching('tcp and port 443'));
    expect(matching('udp.srcport == 53')).toEqual(matching('udp and src port 53'));
    expect(matching('tcp.dstport in {80 443}')).toEqual(matching('tcp and (dst port 80 or dst port 443)'));
    expect(matching('tcp.port != 443')).toEqual(matching('tcp and not port 443'));
    expect(matching('ip.addr == 127.0.0.1')).toEqual(matching('host 127.0.0.1'));
    expect(matching('tcp.port >= 1024').length).toBeGreaterThan(0);
  });

  it('empty filter keeps everything', () => {
    expect(matching('')).toEqual(flows);
    expect(matching('   ')).toEqual(flows);
  });
});

describe('filter errors name the column and what was expected', () => {
  const error = (expr: string) => {
    try {
      parseFilter(expr);
    } catch (e) {
      expect(e).toBeInstanceOf(FilterError);
      return (e as Error).message;
    }
    throw new Error(`no error for ${expr}`);
  };
  it.each([
    ['port abc', "column 6: expected a port number after 'port', found 'abc'"],
    ['port', "column 5: expected a value after 'port', found the end"],
    ['port 70000', 'column 6: port 70000 is out of range 0-65535'],
    ['tcp and', 'column 8: expected a filter expression, found the end'],
    ['(tcp', "column 5: expected ')' to close the '(' at column 1"],
    ['tcp)', "column 4: unmatched ')'"],
    ['frobnicate 3', "column 1: unknown filter word 'frobnicate'"],
    ['src 10.0.0.1', "column 5: expected 'port', 'portrange', 'host' or 'net' after 'src', found '10.0.0.1'"],
    ['host 10.0.0.300', "column 6: expected an IPv4 or IPv6 address, found '10.0.0.300'"],
    ['net 10.0.0.0/33', "column 5: prefix length in '10.0.0.0/33' must be 0-32"],
    ['portrange 9-3', "column 11: port range '9-3' must be two ports 0-65535, lower first"],
    ['tcp.port 443', "column 10: expected ==, !=, <, >, <=, >= or 'in' after 'tcp.port'"],
    ['port 80 $', "column 9: unexpected character '$'"],
  ])('%s', (expr, message) => {
    expect(error(expr)).toContain(message);
  });
});

describe('filter property: same flows as a plain predicate', () => {
  type Gen = { text: string; pred: (f: FlowRecord) => boolean };
  const port = fc.constantFrom(25, 53, 80, 443, 8080, 123, 7, 5432, 33792);
  const prim: fc.Arbitrary<Gen> = fc.oneof(
    port.map((p) => ({ text: `port ${p}`, pred: (f: FlowRecord) => f.aPort === p || f.bPort === p })),
    port.map((p) => ({ text: `server port ${p}`, pred: (f: FlowRecord) => f.serverPort === p })),
    fc.constantFrom('tcp', 'udp').map((p) => ({ text: p, pred: (f: FlowRecord) => f.proto === p })),
    fc.constantFrom('well-known', 'registered', 'ephemeral').map((c) => ({ text: c, pred: (f: FlowRecord) => portClassName(f.aPort) === c || portClassName(f.bPort) === c })),
    fc.constantFrom(4, 6).map((v) => ({ text: v === 4 ? 'ip' : 'ip6', pred: (f: FlowRecord) => f.ipVersion === v })),
  );
  const expr: fc.Arbitrary<Gen> = fc.letrec<{ e: Gen }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      prim,
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => ({ text: `(${a.text}) and (${b.text})`, pred: (f: FlowRecord) => a.pred(f) && b.pred(f) })),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => ({ text: `(${a.text}) or (${b.text})`, pred: (f: FlowRecord) => a.pred(f) || b.pred(f) })),
      tie('e').map((a) => ({ text: `not (${a.text})`, pred: (f: FlowRecord) => !a.pred(f) })),
    ),
  })).e;

  it('holds for random expressions', () => {
    fc.assert(fc.property(expr, (g) => {
      expect(matching(g.text)).toEqual(flows.filter(g.pred));
    }), { numRuns: 300, seed: 11 });
  });

  it('a filtered report recomputes ports and classes from the kept flows', () => {
    const r = reportOf(view.state, 'udp');
    expect(r.flows.length).toBeGreaterThan(0);
    expect(r.flows.every((f) => f.proto === 'udp')).toBe(true);
    expect(r.ports.every((p) => p.proto === 'udp')).toBe(true);
    const total = Object.values(r.classes.byServerPort).reduce((n, c) => n + c.flows, 0);
    // Classes count frames once: flows of the outermost layer (tunnelled rows are extra).
    expect(total).toBe(r.flows.filter((f) => !f.tunnel).length);
    expect(r.flows.some((f) => f.tunnel)).toBe(true);
    expect(r.filter).toBe('udp');
    expect(r.totals.packets).toBe(report.totals.packets);
  });
});
