#!/usr/bin/env node
// Regenerates manuf-oui.ts from Wireshark's manufacturer file:
//   node src/decoder/generated/make-manuf-oui.mjs [/usr/share/wireshark/manuf] > src/decoder/generated/manuf-oui.ts
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '/usr/share/wireshark/manuf';
const ouis = [...new Set(readFileSync(file, 'latin1').split('\n')
  .filter((l) => /^[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}\s/.test(l))
  .map((l) => parseInt(l.slice(0, 8).replaceAll(':', ''), 16)))].sort((a, b) => a - b);
const bytes = [];
let prev = -1;
for (const o of ouis) {
  let d = o - prev - 1;
  prev = o;
  while (d >= 0x80) { bytes.push((d & 0x7f) | 0x80); d >>>= 7; }
  bytes.push(d);
}
const b64 = Buffer.from(bytes).toString('base64');
const lines = [];
for (let i = 0; i < b64.length; i += 120) lines.push(b64.slice(i, i + 120));
process.stdout.write(`// Generated: the 24-bit OUIs Wireshark 4.0.17 knows a manufacturer for (/usr/share/wireshark/manuf of
// Debian's 4.0.17-0+deb12u3 package, the lines "XX:XX:XX<TAB>name"), ${ouis.length} entries, sorted, stored as
// base64 of LEB128 gaps (each value minus the previous minus one). Wireshark's MPLS pseudowire
// heuristic (packet-pw-eth.c, looks_like_plain_eth) asks whether both MAC addresses have a known OUI.
// Regenerate: node src/decoder/generated/make-manuf-oui.mjs > src/decoder/generated/manuf-oui.ts
export const MANUF_OUI_COUNT = ${ouis.length};
export const MANUF_OUI_GAPS =
'${lines[0]}'
${lines.slice(1).map((l) => `  + '${l}'`).join('\n')};
`);
