// The frame decoder on hostile input (seeded, reproducible): random and mutated frames of every
// decoded link type never throw, never nest deeper than the cap, and every frame without IP says
// where it stopped (a table and a value the encapsulation table names).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from '../src/decoder/capture-reader';
import { decodeFrame } from '../src/decoder/decode-frame';
import { DecodedPacket, NO_IP, TUNNEL_DEPTH_CAP } from '../src/decoder/decoded-packet';
import { DECODED_LINKTYPES, encapsulationInfo } from '../src/decoder/encapsulations';
import type { PacketRecord } from '../src/decoder/packet-record';
import { ethHex, ipv4Hex, tcpHex, udpHex } from './helpers/capture-builder';
import { listFixtures } from './helpers/fixtures';

/** xorshift32: the same frames on every run. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((x) => parseInt(x, 16)));

/** Checks one decoded frame; returns a problem or null. */
function check(d: DecodedPacket, caplen: number): string | null {
  if (d.ipVersion !== 0 && d.ipVersion !== 4 && d.ipVersion !== 6) return `ipVersion ${d.ipVersion}`;
  if (d.ipVersion === 0 && (d.noIpReason === NO_IP.NONE || d.stopTable === 0)) return 'no IP but no stop recorded';
  if (d.ipVersion !== 0 && d.noIpReason !== NO_IP.NONE) return 'IP and a stop';
  if (d.tunnelDepth < 0 || d.tunnelDepth > TUNNEL_DEPTH_CAP) return `tunnelDepth ${d.tunnelDepth}`;
  for (let i = 0; i < d.tunnelDepth; i++) {
    const l = d.inner[i]!;
    if (l.ipVersion !== 4 && l.ipVersion !== 6) return `inner ${i} without IP`;
    if (l.ipOffset < 0 || l.ipOffset >= caplen) return `inner ${i} ipOffset ${l.ipOffset}`;
  }
  // (The outer l4Offset may lie past a frame cut inside IPv4 options: tshark still shows that header.)
  if (d.payloadOffset > caplen) return 'payload offset beyond the frame';
  return null;
}

describe('decoder robustness', () => {
  it('100,000 random and mutated frames over every decoded link type: no exception, invariants hold', () => {
    const next = rng(20261202);
    const d = new DecodedPacket();
    // Seeds: well-formed tunnel and shim frames, then mutated byte by byte.
    const inner = ipv4Hex(6, tcpHex(1, 2));
    const seeds = [
      ethHex(0x0800, ipv4Hex(17, udpHex(50000, 4789, `08000000 00000100${ethHex(0x0800, inner)}`.replace(' ', '')))),
      ethHex(0x0800, ipv4Hex(47, `1000 22eb 00000001 20640001 00000000 0000 0001 0000000000000000${ethHex(0x8100, `0064 0800${inner}`.replace(' ', ''))}`.replace(/ /g, ''))),
      ethHex(0x8847, `00010040 00020140 00000001${ethHex(0x88a8, `0001 8100 0002 8864 1100 0001 0030 21${inner}`.replace(/ /g, ''))}`.replace(/ /g, '')),
      ethHex(0x0800, ipv4Hex(17, udpHex(2152, 2152, `34ff 0030 00000001 0000 00 85 01 1009 00${inner}`.replace(/ /g, '')))),
      ethHex(0x894f, `0002 0003 00000100${ethHex(0x22f3, `0040 0001 0002 00000000${ethHex(0x0800, inner)}`.replace(/ /g, ''))}`.replace(/ /g, '')),
    ].map(fromHex);
    const problems: string[] = [];
    const buf = new Uint8Array(600);
    for (let n = 0; n < 100_000; n++) {
      const link = DECODED_LINKTYPES[next() % DECODED_LINKTYPES.length]!;
      let len: number;
      if (n % 2 === 0) {
        const seed = seeds[next() % seeds.length]!;
        buf.set(seed);
        len = seed.length;
        const flips = 1 + (next() % 4);
        for (let k = 0; k < flips; k++) buf[next() % len] = next() & 0xff;
        if (next() % 4 === 0) len = next() % (len + 1);
      } else {
        len = next() % buf.length;
        for (let i = 0; i < len; i++) buf[i] = next() & 0xff;
      }
      // A non-zero offset, as frames sit inside a chunk.
      const off = 7;
      const frame = new Uint8Array(len + off);
      frame.set(buf.subarray(0, len), off);
      decodeFrame(frame, off, len, n % 2 === 0 ? 1 : link, d);
      const problem = check(d, off + len);
      if (problem) problems.push(`case ${n} link ${link}: ${problem}`);
      if (problems.length > 5) break;
    }
    expect(problems).toEqual([]);
  });

  it('every frame of every fixture without IP says where it stopped, in a table the encapsulation table knows', () => {
    const d = new DecodedPacket();
    const unnamed = new Set<string>();
    const problems: string[] = [];
    for (const f of listFixtures()) {
      const raw = new Uint8Array(readFileSync(f.path));
      const bytes = f.name.endsWith('.gz') ? new Uint8Array(gunzipSync(raw)) : raw;
      const reader = new CaptureReader({
        packet(r: PacketRecord) {
          decodeFrame(r.bytes, r.offset, r.caplen, r.payloadLinkType, d);
          const problem = check(d, r.offset + r.caplen);
          if (problem) problems.push(`${f.name} #${r.number}: ${problem}`);
          if (d.ipVersion === 0 && encapsulationInfo(d.stopTable, d.stopType).table.startsWith('table ')) unnamed.add(`${d.stopTable}`);
        },
      });
      reader.push(bytes);
      reader.end();
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect([...unnamed]).toEqual([]);
  });
});
