#!/usr/bin/env node
// Compare Porthole with your own tshark on every capture in a folder:
//   npm run check:tshark -- DIR [--verbose]
// For each packet: wire and captured length, outermost IP version and addresses, and the
// TCP/UDP ports right after that IP header. Reassembly is switched off in tshark, as in
// Porthole's contract (fixtures/captures/README.md).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const verbose = args.includes('--verbose');
if (!dir) {
  console.error('usage: npm run check:tshark -- DIR [--verbose]');
  process.exit(1);
}
const tshark = spawnSync('tshark', ['--version']);
if (tshark.error) {
  console.error('tshark not found: install Wireshark\'s command-line tools (Debian: apt-get install tshark)');
  process.exit(1);
}
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const PREFS = ['ip.defragment:FALSE', 'ipv6.defragment:FALSE', 'tcp.desegment_tcp_streams:FALSE', 'tcp.analyze_sequence_numbers:FALSE',
  'udp.try_heuristic_first:FALSE'].flatMap((p) => ['-o', p]);
const FIELDS = ['frame.number', 'frame.len', 'frame.cap_len', 'frame.protocols', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport'];
const SKIP_AFTER_IP = new Set(['ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts', 'ah']);

function tsharkPackets(file) {
  const r = spawnSync('tshark', ['-n', '-r', file, ...PREFS, '-T', 'fields', '-E', 'occurrence=f', '-E', 'separator=\t', ...FIELDS.flatMap((f) => ['-e', f])],
    { maxBuffer: 1 << 30, encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map((line) => {
    const v = line.split('\t');
    const [n, len, caplen, protocols] = v;
    const tokens = protocols.split(':');
    const ipAt = tokens.findIndex((t) => t === 'ip' || t === 'ipv6');
    const ip = ipAt < 0 ? null : tokens[ipAt] === 'ip' ? 4 : 6;
    let next = ipAt + 1;
    while (ip && SKIP_AFTER_IP.has(tokens[next])) next++;
    const l4 = ip ? tokens[next] : undefined;
    const ports = l4 === 'tcp' ? [v[8], v[9]] : l4 === 'udp' ? [v[10], v[11]] : [null, null];
    return {
      n: Number(n), len: Number(len), caplen: Number(caplen), ip,
      src: ip === 4 ? v[4] : ip === 6 ? v[6] : null, dst: ip === 4 ? v[5] : ip === 6 ? v[7] : null,
      sport: ports[0] ? Number(ports[0]) : null, dport: ports[1] ? Number(ports[1]) : null,
    };
  });
}

function portholePackets(file) {
  const r = spawnSync(process.execPath, [cli, 'packets', file], { maxBuffer: 1 << 30, encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map((l) => {
    const o = JSON.parse(l);
    return { n: o.n, len: o.len, caplen: o.caplen, ip: o.ip, src: o.src, dst: o.dst, sport: o.sport, dport: o.dport };
  });
}

const files = readdirSync(dir).filter((f) => /\.(pcap|pcapng|cap|gz)$/i.test(f) && statSync(join(dir, f)).isFile()).sort();
let agree = 0;
let total = 0;
for (const f of files) {
  const path = join(dir, f);
  const want = tsharkPackets(path);
  const got = portholePackets(path);
  let ok = 0;
  const diffs = [];
  for (const w of want) {
    const g = got[w.n - 1];
    if (g && JSON.stringify(g) === JSON.stringify(w)) ok++;
    else if (diffs.length < 3) diffs.push(`packet ${w.n}: porthole ${JSON.stringify(g)} tshark ${JSON.stringify(w)}`);
  }
  agree += ok;
  total += Math.max(want.length, got.length);
  if (ok !== want.length || got.length !== want.length || verbose) {
    console.log(`${ok === want.length && got.length === want.length ? 'ok      ' : 'MISMATCH'} ${f}: ${ok}/${want.length} packets agree${got.length !== want.length ? `, porthole read ${got.length}` : ''}`);
    for (const d of diffs) console.log(`    ${d}`);
  }
}
console.log(`${files.length} files, packets agreeing ${agree}/${total} (${total ? ((100 * agree) / total).toFixed(2) : '100.00'}%)`);
