#!/usr/bin/env node
// Deterministic generator of realistic captures for the benchmark (seeded):
//   node bench/generate.mjs OUT.pcap|OUT.pcapng --size 1GiB --flows 20000 [--seed 1] [--format pcap|pcapng]
//   node bench/generate.mjs OUT --shape syn-scan|udp-scan|busy-server --flows 1M [--seed 1] [--format ...]
// Writes OUT.truth.json with the totals Porthole must find.
//   mix (default): every kind of traffic at once, a fixed pool of --flows flows visited round
//     robin until the file reaches --size (bench/gen/mix.mjs); the packet-rate benchmark.
//   syn-scan, udp-scan, busy-server: --flows N distinct flows (64K = 64,000; 1M = 1,000,000),
//     the size follows from the shape; streamed in constant memory (bench/gen/flow-shape.mjs).
import { generateMix } from './gen/mix.mjs';

const args = process.argv.slice(2);
const out = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const usage = 'usage: node bench/generate.mjs OUT [--shape mix|syn-scan|udp-scan|busy-server] [--flows N] [--size 256MiB (mix only)] [--seed 1] [--format pcap|pcapng]';
if (!out) {
  console.error(usage);
  process.exit(1);
}
const shape = opt('shape', 'mix');
if (shape === 'mix') generateMix(out, opt);
else {
  if (opt('size') !== undefined) { console.error(`--size is for --shape mix only: ${shape} takes --flows\n${usage}`); process.exit(1); }
  const { generateShape, parseCount, SHAPES } = await import('./gen/flow-shape.mjs');
  if (!(shape in SHAPES)) { console.error(`unknown shape ${shape}\n${usage}`); process.exit(1); }
  const t0 = performance.now();
  const truth = generateShape(out, { shape, flows: parseCount(opt('flows', '20000')), seed: Number(opt('seed', '1')) >>> 0, format: opt('format', out.endsWith('.pcapng') ? 'pcapng' : 'pcap') });
  const s = (performance.now() - t0) / 1000;
  console.log(`${out}: ${shape}, ${truth.format}, ${truth.size} bytes, ${truth.packets} packets, ${truth.flows.tcp} TCP + ${truth.flows.udp} UDP flows, ${truth.durationS.toFixed(0)} s of traffic; written in ${s.toFixed(1)} s (${(truth.size / 1e6 / s).toFixed(0)} MB/s)`);
}
