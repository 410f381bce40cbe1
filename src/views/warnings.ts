import type { ReadOutcome } from '../decoder/capture-info';
import type { DecodeSummary, OtherFlows } from '../schema/report';

/** What a user should know about how far to trust the numbers. */
export function warnings(d: DecodeSummary, otherFlows: OtherFlows, read: ReadOutcome, gzip = false): string[] {
  const out: string[] = [];
  for (const lt of d.linkTypes) {
    if (!lt.decoded) {
      const named = lt.name !== `link type ${lt.linkType}` ? ` (${lt.name})` : '';
      out.push(`${lt.packets} packets of link type ${lt.linkType}${named} were not decoded`);
    }
  }
  for (const r of d.noIp) {
    if (r.reason === 'link-header-truncated' || r.reason === 'ip-header-incomplete') {
      out.push(`${r.packets} packets skipped: ${r.description}`);
    }
  }
  if (d.sliced > 0) out.push(`${d.sliced} packets were cut by the capture's snap length (bytes count their full wire length)`);
  if (otherFlows) {
    out.push(`the flow table reached its cap of ${otherFlows.cap} flows: ${otherFlows.flows} more flows `
      + `(${otherFlows.packets} packets, ${otherFlows.bytes} bytes) are counted together as "other flows"`);
  }
  if (read.status !== 'complete') out.push(`reading stopped${read.offset !== null ? ` at byte ${read.offset}${gzip ? ' of the decompressed data' : ''}` : ''}: ${read.message}`);
  return out;
}
