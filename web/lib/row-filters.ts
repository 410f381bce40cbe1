// Filters for one row of a table, in Porthole's language (to filter the page) and in
// Wireshark's display-filter language (to jump into Wireshark for packet detail).
import type { FlowRecord, HostRecord, PortRecord } from '../../src/schema/report';

export interface RowFilter {
  /** Porthole's filter language. */
  porthole: string;
  /** A Wireshark display filter. */
  wireshark: string;
}

const ipField = (addr: string) => (addr.includes(':') ? 'ipv6.addr' : 'ip.addr');

/** One conversation: both addresses and both ports, as Wireshark's conversation filter does. */
export function flowFilter(f: FlowRecord): RowFilter {
  const ports = f.aPort === f.bPort ? `port ${f.aPort}` : `port ${f.aPort} and port ${f.bPort}`;
  const hosts = f.a === f.b ? `host ${f.a}` : `host ${f.a} and host ${f.b}`;
  const wsPorts = f.aPort === f.bPort ? `${f.proto}.port==${f.aPort}` : `${f.proto}.port==${f.aPort} && ${f.proto}.port==${f.bPort}`;
  const wsHosts = f.a === f.b ? `${ipField(f.a)}==${f.a}` : `${ipField(f.a)}==${f.a} && ${ipField(f.b)}==${f.b}`;
  return { porthole: `${f.proto} and ${hosts} and ${ports}`, wireshark: `${wsHosts} && ${wsPorts}` };
}

export function portFilter(p: Pick<PortRecord, 'proto' | 'port'>): RowFilter {
  return { porthole: `${p.proto} port ${p.port}`, wireshark: `${p.proto}.port==${p.port}` };
}

export function hostFilter(h: Pick<HostRecord, 'address'>): RowFilter {
  return { porthole: `host ${h.address}`, wireshark: `${ipField(h.address)}==${h.address}` };
}

/** A host's service (address and port), as the exposure table lists them. */
export function serviceFilter(host: string, proto: 'tcp' | 'udp', port: number): RowFilter {
  return { porthole: `${proto} and server port ${port} and host ${host}`, wireshark: `${ipField(host)}==${host} && ${proto}.port==${port}` };
}

/** How a row's clause joins the current filter (Wireshark's "Apply as Filter" choices). */
export type CombineMode = 'only' | 'and' | 'or' | 'exclude';

export function combine(current: string | null, clause: string, mode: CombineMode): string {
  const c = current?.trim() ?? '';
  if (mode === 'only' || !c) return mode === 'exclude' ? `not (${clause})` : clause;
  if (mode === 'exclude') return `(${c}) and not (${clause})`;
  return `(${c}) ${mode} (${clause})`;
}

/** Cells as one CSV (RFC 4180) or TSV line. */
export function rowText(cells: Array<string | number | null>, separator: ',' | '\t'): string {
  return cells.map((v) => {
    const s = v === null ? '' : String(v);
    if (separator === '\t') return s.replace(/[\t\r\n]/g, ' ');
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(separator);
}
