import { CaptureReader } from '../../src/decoder/capture-reader';
import type { ReadOutcome } from '../../src/decoder/capture-info';
import { readCaptureStream } from '../../src/decoder/stream-reader';
import { PacketPrinter } from '../../src/cli/packets-command';
import type { PacketRow } from './fixtures';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrame } from '../../src/decoder/decode-frame';
import { DecodedPacket, type IpLayer } from '../../src/decoder/decoded-packet';
import { formatAddress } from '../../src/net/address';
import { tunnelChainName } from '../../src/decoder/tunnels';
import type { PacketRecord } from '../../src/decoder/packet-record';

export interface DecodedLines {
  lines: string[];
  outcome: ReadOutcome;
  reader: CaptureReader;
}

/** Feed `bytes` to a fresh reader in chunks of `chunk` bytes (or at the given cut points). */
export function decodeChunked(bytes: Uint8Array, chunk: number | number[]): DecodedLines {
  const parts: string[] = [];
  const reader = new CaptureReader(new PacketPrinter({ write: (s) => parts.push(s) }));
  if (typeof chunk === 'number') {
    for (let o = 0; o < bytes.length; o += chunk) reader.push(bytes.subarray(o, Math.min(bytes.length, o + chunk)));
  } else {
    let prev = 0;
    for (const cut of [...chunk, bytes.length]) {
      reader.push(bytes.subarray(prev, cut));
      prev = cut;
    }
  }
  const outcome = reader.end();
  return { lines: parts.join('').split('\n').filter((l) => l !== ''), outcome, reader };
}

/** Decode a file through the stream path (gzip aware). */
export async function decodeFile(path: string): Promise<DecodedLines> {
  const parts: string[] = [];
  const reader = new CaptureReader(new PacketPrinter({ write: (s) => parts.push(s) }));
  const data = readFileSync(path);
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      c.close();
    },
  });
  const outcome = await readCaptureStream(stream, reader);
  return { lines: parts.join('').split('\n').filter((l) => l !== ''), outcome, reader };
}

export function toRow(line: string): PacketRow {
  const o = JSON.parse(line);
  return { n: o.n, len: o.len, caplen: o.caplen, ip: o.ip, src: o.src, dst: o.dst, proto: o.proto, sport: o.sport, dport: o.dport };
}

// ---- tshark as the oracle (CI installs it; the tests that use it say so when it is missing) ----


export const hasTshark = !spawnSync('tshark', ['--version']).error;

let configDir: string | null = null;

/**
 * A Wireshark configuration directory with the fixtures' settings (fixtures/captures/README.md):
 * every preference whose name contains reassembl, defrag or deseg switched off. A preferences
 * file, not `-o` flags: tshark ignores the few listed names it does not accept there.
 */
export function tsharkConfigDir(): string {
  if (configDir) return configDir;
  const r = spawnSync('tshark', ['-G', 'defaultprefs'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const lines: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^#?([A-Za-z0-9_.-]+): (TRUE|FALSE)$/.exec(line);
    if (m && /reassembl|defrag|deseg/i.test(m[1]!)) lines.push(`${m[1]}: FALSE`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'porthole-tshark-'));
  writeFileSync(join(dir, 'preferences'), `${lines.join('\n')}\n`);
  configDir = dir;
  return dir;
}

/** Run tshark with the fixtures' settings and no personal configuration. */
export function runTshark(args: string[]): string {
  const r = spawnSync('tshark', ['-n', ...args], {
    encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, WIRESHARK_CONFIG_DIR: tsharkConfigDir() },
  });
  if (r.error) throw r.error;
  return r.stdout;
}

/** One IP layer as tshark shows it (a top-level ip/ipv6 protocol with both addresses) or as we decode it. */
export interface LayerView {
  ip: 4 | 6;
  src: string;
  dst: string;
  /** The protocol right after the layer at the top level of the tree (tcp, udp, gre, ...), or ''. */
  next: string;
  sport: number | null;
  dport: number | null;
}

const XML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const unxml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (m) => XML_ENTITIES[m]!);

/**
 * tshark's IP layers per frame, from its PDML: every top-level `ip`/`ipv6` protocol (protocols
 * nested inside another one, like the packet quoted by an ICMP error, are not layers) that shows
 * both addresses, with the ports of a `tcp`/`udp` protocol right after it.
 */
export function tsharkLayers(path: string, extraArgs: string[] = []): LayerView[][] {
  const out = runTshark(['-r', path, ...extraArgs, '-T', 'pdml']);
  const frames: LayerView[][] = [];
  let protos: Array<{ name: string; fields: Map<string, string> }> = [];
  let depth = 0;
  for (const line of out.split('\n')) {
    const t = line.trim();
    if (t === '<packet>') {
      protos = [];
      depth = 0;
    } else if (t === '</packet>') {
      frames.push(layersOf(protos));
    } else if (t.startsWith('<proto ')) {
      depth++;
      const name = /name="([^"]*)"/.exec(t)![1]!;
      // An 802.11 A-MSDU nests its subframes' protocols; tshark's taps see them as any other layer.
      if (name === 'wlan_aggregate') depth--;
      else if (depth === 1) protos.push({ name, fields: new Map() });
      if (t.endsWith('/>')) depth--;
    } else if (t === '</proto>') {
      depth--;
    } else if (t.startsWith('<field ') && depth >= 1 && protos.length > 0) {
      const name = /name="([^"]*)"/.exec(t)?.[1];
      const show = /show="([^"]*)"/.exec(t)?.[1];
      const cur = protos[protos.length - 1]!;
      // Only the protocol's own fields: the first occurrence wins.
      if (name && show !== undefined && depth === 1 && !cur.fields.has(name)) cur.fields.set(name, unxml(show));
    }
  }
  return frames;
}

function layersOf(protos: Array<{ name: string; fields: Map<string, string> }>): LayerView[] {
  const out: LayerView[] = [];
  for (let i = 0; i < protos.length; i++) {
    const p = protos[i]!;
    if (p.name !== 'ip' && p.name !== 'ipv6') continue;
    const v = p.name === 'ip' ? 4 : 6;
    const src = p.fields.get(v === 4 ? 'ip.src' : 'ipv6.src');
    const dst = p.fields.get(v === 4 ? 'ip.dst' : 'ipv6.dst');
    if (src === undefined || dst === undefined) break;
    const next = protos[i + 1];
    const nextName = next?.name ?? '';
    let sport: number | null = null;
    let dport: number | null = null;
    if (next && (nextName === 'tcp' || nextName === 'udp')) {
      const s = next.fields.get(`${nextName}.srcport`);
      const d = next.fields.get(`${nextName}.dstport`);
      sport = s === undefined ? null : Number(s);
      dport = d === undefined ? null : Number(d);
    }
    out.push({ ip: v, src, dst, next: nextName, sport, dport });
  }
  return out;
}

/** Our IP layers per frame (outermost, then every tunnel layer), with each layer's chain name. */
export function portholeLayers(bytes: Uint8Array): Array<Array<LayerView & { chain: string; l4: number }>> {
  const d = new DecodedPacket();
  const frames: Array<Array<LayerView & { chain: string; l4: number }>> = [];
  const view = (l: IpLayer) => ({
    ip: l.ipVersion as 4 | 6, src: formatAddress(l.ipVersion, l.addr, 0), dst: formatAddress(l.ipVersion, l.addr, 4),
    next: '', sport: l.sport < 0 ? null : l.sport, dport: l.dport < 0 ? null : l.dport, chain: tunnelChainName(l.chain), l4: l.l4,
  });
  const reader = new CaptureReader({
    packet(r: PacketRecord) {
      decodeFrame(r.bytes, r.offset, r.caplen, r.payloadLinkType, d);
      const layers = [];
      if (d.ipVersion !== 0) {
        layers.push(view(d.layers[0]!));
        for (let i = 0; i < d.tunnelDepth; i++) layers.push(view(d.inner[i]!));
      }
      frames.push(layers);
    },
  });
  reader.push(bytes);
  reader.end();
  return frames;
}
