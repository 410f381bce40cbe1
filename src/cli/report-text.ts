import type { Report } from '../analysis/report-types';
import { ROLE_RULE_TEXT } from '../analysis/report-types';
import { SERVICE_SOURCE } from '../analysis/services';
import { tcpFlagLetters } from '../analysis/tcp-flags';
import { humanBytes } from '../analysis/units';

/** Exact number, with a human unit beside it when large. */
function bytes(n: number): string {
  return n < 10_000 ? `${n}` : `${n} (${humanBytes(n, 1)})`;
}

function pad(rows: string[][], rightAlign: Set<number>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (rightAlign.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function endpoint(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** The readable `porthole analyze` output. */
export function formatReportText(r: Report, top: number): string {
  const out: string[] = [];
  const t = r.totals;
  out.push(`${r.source.name}: ${r.capture.format ?? 'unknown format'}${r.capture.gzip ? ' (gzip)' : ''}, `
    + `${t.packets} packets, ${bytes(t.bytes)} bytes, ${t.duration.toFixed(6)} s`);
  out.push(`flows: ${t.flows.tcp} TCP, ${t.flows.udp} UDP; IP packets without ports: ${t.ipPackets - r.decode.withPorts.packets}`
    + `${r.filter ? `; filter: ${r.filter}` : ''}`);
  out.push('');
  out.push('Traffic by port class (IANA: well-known 0-1023, registered 1024-49151, ephemeral 49152-65535)');
  const cls = [['class', 'by server port: flows', 'packets', 'bytes', 'by any port: flows', 'packets', 'bytes']];
  for (const c of ['well-known', 'registered', 'ephemeral'] as const) {
    const s = r.classes.byServerPort[c], p = r.classes.byPort[c];
    cls.push([c, `${s.flows}`, `${s.packets}`, bytes(s.bytes), `${p.flows}`, `${p.packets}`, bytes(p.bytes)]);
  }
  out.push(pad(cls, new Set([1, 2, 3, 4, 5, 6])));
  out.push('');
  out.push(`Top ports by bytes (service names: ${SERVICE_SOURCE})`);
  const ports = [...r.ports].sort((a, b) => b.bytes - a.bytes || a.port - b.port).slice(0, top);
  const pr = [['port', 'proto', 'service', 'class', 'packets', 'bytes', 'flows', 'server in', 'peers']];
  for (const p of ports) {
    pr.push([`${p.port}`, p.proto, p.service ?? '-', p.class, `${p.packets}`, bytes(p.bytes), `${p.flows}`, `${p.asServer.flows}`, `${p.peers}`]);
  }
  out.push(ports.length ? pad(pr, new Set([0, 4, 5, 6, 7, 8])) : '(no TCP or UDP traffic)');
  out.push('');
  out.push('Top flows by bytes (client -> server)');
  const flows = [...r.flows].sort((a, b) => b.bytes - a.bytes || a.firstPacket - b.firstPacket).slice(0, top);
  const fr = [['proto', 'client', 'server', 'service', 'pkts c->s', 'bytes c->s', 'pkts s->c', 'bytes s->c', 'duration', 'flags', 'server by']];
  for (const f of flows) {
    const aIsServer = f.server === 'a';
    const client = aIsServer ? endpoint(f.b, f.bPort) : endpoint(f.a, f.aPort);
    const server = aIsServer ? endpoint(f.a, f.aPort) : endpoint(f.b, f.bPort);
    const cs = aIsServer ? [f.packetsBA, f.bytesBA] : [f.packetsAB, f.bytesAB];
    const sc = aIsServer ? [f.packetsAB, f.bytesAB] : [f.packetsBA, f.bytesBA];
    const flags = f.proto === 'tcp' ? `${tcpFlagLetters(aIsServer ? f.tcpFlagsBA : f.tcpFlagsAB)}/${tcpFlagLetters(aIsServer ? f.tcpFlagsAB : f.tcpFlagsBA)}` : '';
    fr.push([f.proto, client, server, f.service ?? '-', `${cs[0]}`, `${cs[1]}`, `${sc[0]}`, `${sc[1]}`, `${f.duration.toFixed(3)} s`, flags, f.role]);
  }
  out.push(flows.length ? pad(fr, new Set([4, 5, 6, 7, 8])) : '(no flows)');
  if (flows.length) {
    out.push('');
    out.push('server by: ' + [...new Set(flows.map((f) => f.role))].map((k) => `${k} = ${ROLE_RULE_TEXT[k]}`).join('; '));
  }
  if (r.otherFlows) out.push(`other flows (beyond the cap of ${r.otherFlows.cap}): ${r.otherFlows.flows} flows, ${r.otherFlows.packets} packets, ${r.otherFlows.bytes} bytes`);
  const intel = r.intel;
  if (intel.findings.length) {
    out.push('');
    out.push('Findings');
    for (const f of intel.findings) {
      out.push(`  [${f.severity}] ${f.title}`);
      out.push(`      ${f.why}`);
      out.push(`      evidence: porthole analyze FILE --filter '${f.filter}'`);
    }
  }
  const open = intel.exposed.filter((e) => e.state === 'open');
  if (intel.exposed.length) {
    out.push('');
    out.push(`Exposed services (server ports that accepted: ${open.length}; refused: ${intel.exposed.filter((e) => e.state === 'refused').length}; unanswered: ${intel.exposed.filter((e) => e.state === 'unanswered').length})`);
    const rows = [['host', 'port', 'service', 'class', 'state', 'flows', 'clients', 'payload']];
    for (const e of [...open, ...intel.exposed.filter((x) => x.state !== 'open')].slice(0, top)) {
      rows.push([e.host, `${e.port}/${e.proto}`, e.service ?? '-', e.class, e.state, `${e.flows}`, `${e.clients}`, e.apps.join(',') || '-']);
    }
    out.push(pad(rows, new Set([5, 6])));
  }
  if (r.warnings.length) {
    out.push('');
    out.push('Decode warnings');
    for (const w of r.warnings) out.push(`  - ${w}`);
  }
  return `${out.join('\n')}\n`;
}
