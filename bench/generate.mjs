#!/usr/bin/env node
// Deterministic generator of realistic captures for the benchmark (seeded):
//   node bench/generate.mjs OUT.pcap|OUT.pcapng --size 1GiB --flows 20000 [--seed 1] [--format pcap|pcapng]
// Writes OUT.truth.json with the totals Porthole must find. The default shape, `mix`, is every
// kind of traffic at once (bench/gen/mix.mjs); it is the file the packet-rate benchmark reads.
import { generateMix } from './gen/mix.mjs';

const args = process.argv.slice(2);
const out = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
if (!out) {
  console.error('usage: node bench/generate.mjs OUT --size 256MiB --flows 20000 [--seed 1] [--format pcap|pcapng]');
  process.exit(1);
}
generateMix(out, opt);
