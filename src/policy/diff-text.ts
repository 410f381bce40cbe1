// `porthole diff` for people: each change with the filter that shows it (in A or in B).
import { humanBytes } from '../net/units';
import type { AnalysisDiff } from './diff';

const when = (t: number | null) => (t === null ? 'no time' : new Date(t * 1000).toISOString());
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const size = (n: number) => humanBytes(n, 1);

export function formatDiffText(d: AnalysisDiff): string {
  const out: string[] = [];
  out.push(`A: ${d.a.name}: ${plural(d.a.flows, 'flow')}, ${when(d.a.start)} .. ${when(d.a.end)}`);
  out.push(`B: ${d.b.name}: ${plural(d.b.flows, 'flow')}, ${when(d.b.start)} .. ${when(d.b.end)}`);
  if (d.filter) out.push(`filter on both: ${d.filter}`);
  if (d.empty) {
    out.push('', 'No changes: the same services answered, no new clients of risky services, no new scanners, the class split and the top talkers held.');
    return `${out.join('\n')}\n`;
  }
  const ep = (h: string, p: number, proto: string) => `${h.includes(':') ? `[${h}]` : h}:${p}/${proto}`;
  if (d.exposed.newCount) {
    out.push('', `New exposed services (answered in B, not in A): ${d.exposed.newCount}`);
    for (const s of d.exposed.new) {
      out.push(`  ${ep(s.host, s.port, s.proto)} ${s.service ?? '-'}: first answered ${when(s.firstSeen)}, ${plural(s.flows, 'flow')} from ${plural(s.clients, 'client')}${s.other ? ` (in A: ${s.other})` : ''}`);
      out.push(`      in B: --filter '${s.filter}'`);
    }
  }
  if (d.exposed.vanishedCount) {
    out.push('', `Vanished services (answered in A, not in B): ${d.exposed.vanishedCount}`);
    for (const s of d.exposed.vanished) {
      out.push(`  ${ep(s.host, s.port, s.proto)} ${s.service ?? '-'}: last seen ${when(s.lastSeen)}, ${plural(s.flows, 'flow')}${s.other ? ` (in B: ${s.other})` : ' (not tried in B)'}`);
      out.push(`      in A: --filter '${s.filter}'`);
    }
  }
  if (d.riskyClients.count) {
    out.push('', `New clients of risky services: ${d.riskyClients.count}`);
    for (const c of d.riskyClients.new) {
      out.push(`  ${c.client} -> ${ep(c.host, c.port, c.proto)} (${c.risk}): ${plural(c.flows, 'flow')}, first ${when(c.firstSeen)}`);
      out.push(`      in B: --filter '${c.filter}'`);
    }
  }
  for (const [title, list] of [['New scanners', d.scanners.new], ['Scanners gone', d.scanners.gone]] as const) {
    if (!list.length) continue;
    out.push('', `${title}: ${list.length}`);
    for (const s of list) out.push(`  ${s.title}`, `      in ${s.side.toUpperCase()}: --filter '${s.filter}'`);
  }
  const moved = d.classSplit.filter((c) => c.moved);
  if (moved.length) {
    out.push('', 'Port-class split moved (share of flows / bytes by server port, A -> B)');
    for (const c of moved) {
      out.push(`  ${c.class}: flows ${c.a.flowShare.toFixed(1)}% -> ${c.b.flowShare.toFixed(1)}%, bytes ${c.a.byteShare.toFixed(1)}% -> ${c.b.byteShare.toFixed(1)}%   --filter '${c.filter}'`);
      for (const p of c.ports) out.push(`      ${p.port}/${p.proto} ${p.service ?? '-'}: ${size(p.aBytes)} -> ${size(p.bBytes)} (${p.shift >= 0 ? '+' : ''}${p.shift.toFixed(1)} points)`);
    }
  }
  if (d.talkers.changes.length) {
    out.push('', `Top talkers that changed (top ${d.talkers.top} by bytes)`);
    for (const t of d.talkers.changes) {
      out.push(`  ${t.host}: ${t.change}, ${size(t.aBytes)} (rank ${t.aRank ?? '-'}) -> ${size(t.bBytes)} (rank ${t.bRank ?? '-'})   in ${t.side.toUpperCase()}: --filter '${t.filter}'`);
    }
  }
  return `${out.join('\n')}\n`;
}
