// Writes one flow-heavy shape (syn-scan, udp-scan, busy-server) as a stream, and its truth file.
import { writeFileSync } from 'node:fs';
import { CaptureWriter } from './capture-writer.mjs';
import { runShape } from './event-queue.mjs';
import { makeHash } from './hash.mjs';
import { synScan } from './syn-scan.mjs';
import { udpScan } from './udp-scan.mjs';
import { busyServer } from './busy-server.mjs';

export const SHAPES = { 'syn-scan': synScan, 'udp-scan': udpScan, 'busy-server': busyServer };
const START_US = 1_700_000_000 * 1e6;

/** Count suffixes are decimal: 64K = 64,000 flows, 1M = 1,000,000. */
export function parseCount(s) {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg])?$/i.exec(String(s));
  if (!m) throw new Error(`bad count ${s}`);
  return Math.round(Number(m[1]) * ({ k: 1e3, m: 1e6, g: 1e9 }[(m[2] ?? '').toLowerCase()] ?? 1));
}

export function generateShape(out, { shape, flows, seed, format }) {
  if (!(shape in SHAPES)) throw new Error(`unknown shape ${shape}`);
  if (!Number.isInteger(flows) || flows < 1) throw new Error(`--flows must be a positive number, not ${flows}`);
  const w = new CaptureWriter(out, format);
  const truth = { shape, packets: 0, bytes: 0, flows: { tcp: 0, udp: 0 }, ipv4: 0, ipv6: 0, arp: 0, scanner: null, probes: null, format, size: 0, seed };
  const s = SHAPES[shape]({ w, hash: makeHash(seed), flows, truth, startUs: START_US });
  runShape(s);
  s.finish();
  w.close();
  Object.assign(truth, { packets: w.packets, bytes: w.bytes, size: w.size, durationS: (w.lastUs - w.firstUs) / 1e6 });
  writeFileSync(`${out}.truth.json`, `${JSON.stringify(truth, null, 1)}\n`);
  return truth;
}
