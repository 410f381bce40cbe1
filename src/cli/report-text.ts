import { ROLE_RULE_TEXT, type RoleRule } from '../schema/report';
import { SERVICE_SOURCE } from '../net/services';
import { tcpFlagLetters } from '../net/tcp-flags';
import { humanBytes } from '../net/units';
import { ATTEMPT } from '../views/flow-facts';
import { exposedRecord, flowRecord, portRecord } from '../views/records';
import { otherFlowsOf, totalsOf } from '../views/report-document';
import { decodeSummary } from '../views/decode-summary';
import { fileRecords } from '../views/file-records';
import type { Selection } from '../views/selection';
import { topN } from '../views/top-n';
import { warnings } from '../views/warnings';

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

/** The readable `porthole analyze` output: tables of the top rows, made from the views. */
export function formatReportText(sel: Selection, top: number): string {
  const facts = sel.facts;
  const state = facts.state;
  const flowsTable = state.flows;
  const decode = decodeSummary(state.stats);
  const t = totalsOf(state, sel.flowCounts());
  const out: string[] = [];
  out.push(`${state.source.name}: ${state.capture.format ?? 'unknown format'}${state.capture.gzip ? ' (gzip)' : ''}, `
    + `${t.packets} packets, ${bytes(t.bytes)} bytes, ${t.duration.toFixed(6)} s`);
  const tunnelled = sel.tunnelledFlows();
  out.push(`flows: ${t.flows.tcp} TCP, ${t.flows.udp} UDP${tunnelled ? ` (+ ${tunnelled} inside tunnels)` : ''}; IP packets without ports: ${t.ipPackets - decode.withPorts.packets}`
    + `${sel.filter ? `; filter: ${sel.filter}` : ''}`);
  out.push('');
  out.push('Traffic by port class (IANA: well-known 0-1023, registered 1024-49151, ephemeral 49152-65535)');
  const classes = sel.classes();
  const cls = [['class', 'by server port: flows', 'packets', 'bytes', 'by any port: flows', 'packets', 'bytes']];
  for (const c of ['well-known', 'registered', 'ephemeral'] as const) {
    const s = classes.byServerPort[c], p = classes.byPort[c];
    cls.push([c, `${s.flows}`, `${s.packets}`, bytes(s.bytes), `${p.flows}`, `${p.packets}`, bytes(p.bytes)]);
  }
  out.push(pad(cls, new Set([1, 2, 3, 4, 5, 6])));
  out.push('');
  out.push(`Top ports by bytes (service names: ${SERVICE_SOURCE})`);
  const totals = sel.ports();
  const byBytes = Array.from(totals.keys, (_, i) => i)
    .sort((a, b) => totals.bytes[b]! - totals.bytes[a]! || (totals.keys[a]! & 0xffff) - (totals.keys[b]! & 0xffff));
  const pr = [['port', 'proto', 'service', 'class', 'packets', 'bytes', 'flows', 'server in', 'peers']];
  for (const i of byBytes.slice(0, top)) {
    const p = portRecord(totals, i);
    pr.push([`${p.port}`, p.proto, p.service ?? '-', p.class, `${p.packets}`, bytes(p.bytes), `${p.flows}`, `${p.asServer.flows}`, `${p.peers}`]);
  }
  out.push(byBytes.length ? pad(pr, new Set([0, 4, 5, 6, 7, 8])) : '(no TCP or UDP traffic)');
  out.push('');
  out.push('Top flows by bytes (client -> server)');
  const flows = topN(sel.rows, top, (r) => flowsTable.bytesAB(r) + flowsTable.bytesBA(r)).map((r) => flowRecord(facts, r));
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
    out.push('server by: ' + [...new Set(flows.map((f) => f.role))].map((k: RoleRule) => `${k} = ${ROLE_RULE_TEXT[k]}`).join('; '));
  }
  const other = otherFlowsOf(state);
  if (other) out.push(`other flows (beyond the cap of ${other.cap}): ${other.flows} flows, ${other.packets} packets, ${other.bytes} bytes`);
  const found = sel.findings();
  if (found.length) {
    out.push('');
    out.push('Findings');
    for (const f of found) {
      out.push(`  [${f.severity}] ${f.title}`);
      out.push(`      ${f.why}`);
      out.push(`      evidence: porthole analyze FILE --filter '${f.filter}'`);
    }
  }
  const groups = sel.groups();
  if (groups.size) {
    const order = sel.exposureOrder();
    const stateCount = [0, 0, 0];
    for (let g = 0; g < groups.size; g++) stateCount[groups.state[g]!]++;
    out.push('');
    out.push(`Exposed services (server ports that accepted: ${stateCount[ATTEMPT.OPEN]}; refused: ${stateCount[ATTEMPT.REFUSED]}; unanswered: ${stateCount[ATTEMPT.UNANSWERED]})`);
    const shown: number[] = [];
    for (const want of [true, false]) {
      for (let i = 0; i < order.length && shown.length < top; i++) {
        if ((groups.state[order[i]!] === ATTEMPT.OPEN) === want) shown.push(order[i]!);
      }
    }
    const rows = [['host', 'port', 'service', 'class', 'state', 'flows', 'clients', 'payload']];
    for (const g of shown) {
      const e = exposedRecord(facts, groups, g);
      rows.push([e.host, `${e.port}/${e.proto}`, e.service ?? '-', e.class, e.state, `${e.flows}`, `${e.clients}`, e.apps.join(',') || '-']);
    }
    out.push(pad(rows, new Set([5, 6])));
  }
  if (state.files.length > 1) {
    out.push('');
    out.push(`Files (${state.files.length}, in the order their frames are numbered)`);
    const rows = [['file', 'format', 'packets', 'bytes', 'first packet', 'last packet', 'frames', 'notes']];
    const iso = (t: number | null) => (t === null ? '-' : new Date(t * 1000).toISOString());
    for (const f of fileRecords(state.files)) {
      const notes: string[] = [];
      if (f.duplicateOf !== null) notes.push(`repeats ${f.duplicateOf} (counted once)`);
      if (f.overlapCount > 0) notes.push(`overlaps ${f.overlapCount} other file${f.overlapCount > 1 ? 's' : ''} in time`);
      if (f.read.status === 'damaged') notes.push(`damaged at byte ${f.read.offset}: ${f.read.message}`);
      else if (f.read.status !== 'complete') notes.push(f.read.message ?? f.read.status);
      if (f.warnings.length) notes.push(`${f.warnings.length} decode warning${f.warnings.length > 1 ? 's' : ''}`);
      rows.push([f.name, `${f.format ?? '-'}${f.gzip ? '.gz' : ''}`, `${f.packets}`, bytes(f.bytes), iso(f.firstTime), iso(f.lastTime),
        f.firstFrame === null ? '-' : `${f.firstFrame}-${f.lastFrame}`, notes.join('; ') || '-']);
    }
    out.push(pad(rows, new Set([2, 3])));
  }
  const warned = warnings(decode, other, state.read, state.capture.gzip);
  if (warned.length) {
    out.push('');
    out.push('Decode warnings');
    for (const w of warned) out.push(`  - ${w}`);
  }
  return `${out.join('\n')}\n`;
}
