// Flows inside tunnels against tshark's own Conversations (`-z conv,tcp -z conv,udp`, default
// decoding, recorded beside each fixture as NAME.conv.txt): the same check as
// fixtures/captures/tools/conv_check.py, on every fixture where tshark counts a conversation
// Porthole's outermost-layer contract leaves out ("not-outermost-transport").
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from './helpers/analyze';
import { listFixtures } from './helpers/fixtures';

const ROW = /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+([\d,]+) (bytes|kB|MB|GB)\s+(\d+)\s+([\d,]+) (bytes|kB|MB|GB)\s+(\d+)\s+([\d,]+) (bytes|kB|MB|GB)\s/;
const UNIT: Record<string, number> = { bytes: 1, kB: 1e3, MB: 1e6, GB: 1e9 };

/** IPv6 text as Node prints it, so tshark's and Porthole's spellings meet. */
function host(h: string): string {
  const bare = h.replace(/^\[|\]$/g, '');
  return bare.includes(':') ? new URL(`http://[${bare}]/`).hostname.slice(1, -1) : bare;
}
function endpoint(s: string): string {
  const i = s.lastIndexOf(':');
  return `${host(s.slice(0, i))}|${s.slice(i + 1)}`;
}
const keyOf = (proto: string, a: string, b: string) => [proto, ...[a, b].sort()].join(' ');

interface ConvRow { frames: number; value: number | null; unit: string }

function parseConv(path: string): Map<string, ConvRow> {
  const rows = new Map<string, ConvRow>();
  let proto: string | null = null;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('TCP Conversations')) proto = 'tcp';
    else if (line.startsWith('UDP Conversations')) proto = 'udp';
    const m = ROW.exec(line);
    if (!m || !proto) continue;
    const key = keyOf(proto, endpoint(m[1]!), endpoint(m[2]!));
    const old = rows.get(key);
    rows.set(key, { frames: Number(m[9]) + (old?.frames ?? 0), value: old ? null : Number(m[10]!.replace(/,/g, '')), unit: m[11]! });
  }
  return rows;
}

/** Conversations the oracle explained by something other than tunnels (truncated headers, UDP-Lite, ...). */
function excused(expected: any): Set<string> {
  const out = new Set<string>();
  for (const d of expected.conv_check?.disagreements ?? []) {
    if (Object.keys(d.reasons ?? {}).some((r) => r.startsWith('not-outermost-transport'))) continue;
    out.add(keyOf(d.proto, `${host(String(d.a))}|${d.aPort}`, `${host(String(d.b))}|${d.bPort}`));
  }
  return out;
}

const tunnelled = listFixtures().filter((f) => existsSync(`${f.path}.conv.txt`)
  && (f.expected.conv_check?.disagreements ?? []).some((d: any) => Object.keys(d.reasons ?? {}).some((r) => r.startsWith('not-outermost-transport'))));

describe('flows inside tunnels agree with tshark Conversations', () => {
  it('there are fixtures with tunnelled conversations', () => {
    expect(tunnelled.length).toBeGreaterThan(20);
  });

  it.each(tunnelled.map((f) => [f.set, f.name, f] as const))('%s/%s', async (_set, _name, f) => {
    const skip = excused(f.expected);
    const want = new Map([...parseConv(`${f.path}.conv.txt`)].filter(([k]) => !skip.has(k)));
    const { report } = await analyzeFile(f.path);
    const got = new Map<string, { frames: number; bytes: number }>();
    let inTunnels = 0;
    for (const x of report.flows) {
      if (x.tunnel) inTunnels++;
      const k = keyOf(x.proto, `${host(x.a)}|${x.aPort}`, `${host(x.b)}|${x.bPort}`);
      const o = got.get(k) ?? { frames: 0, bytes: 0 };
      got.set(k, { frames: o.frames + x.packetsAB + x.packetsBA, bytes: o.bytes + x.bytesAB + x.bytesBA });
    }
    expect(inTunnels, 'flows marked as inside a tunnel').toBeGreaterThan(0);
    // Their ports are extra rows too, marked with the chain, and add up to the tunnelled flows' packets.
    const tunnelPorts = report.ports.filter((p) => p.tunnel);
    expect(tunnelPorts.length).toBeGreaterThan(0);
    for (const chain of new Set(tunnelPorts.map((p) => p.tunnel))) {
      const flows = report.flows.filter((x) => x.tunnel === chain);
      const portPackets = tunnelPorts.filter((p) => p.tunnel === chain).reduce((n, p) => n + p.asSource.packets, 0);
      expect(portPackets, `${chain}: packets by source port`).toBe(flows.reduce((n, x) => n + x.packets, 0));
    }
    const wrong: string[] = [];
    for (const [k, w] of want) {
      const g = got.get(k);
      const ok = g !== undefined && g.frames === w.frames
        && (w.value === null || (w.unit === 'bytes' ? g.bytes === w.value : Math.abs(g.bytes / UNIT[w.unit]! - w.value) <= 1));
      if (!ok) wrong.push(`${k}: tshark ${w.frames} frames ${w.value} ${w.unit}, porthole ${g ? `${g.frames} frames ${g.bytes} bytes` : 'none'}`);
    }
    const extra = [...got.keys()].filter((k) => !want.has(k) && !skip.has(k));
    expect(wrong).toEqual([]);
    expect(extra).toEqual([]);
  });
});
