import { portClass } from '../net/port-class';
import { PORT_KEYS } from '../net/port-key';
import { serviceLabels } from '../net/services';
import type { ExposedService, FlowRecord, HostRecord, PortRecord } from '../schema/report';
import type { FlowFacts } from './flow-facts';
import { exposedRecord, flowRecord, hostRecord } from './records';
import type { PortTotals } from './port-totals';
import type { Selection } from './selection';
import { identity, sortPermutation } from './sort';

/** The tables the page pages through. */
export type TableName = 'flows' | 'ports' | 'exposure' | 'hosts';

export interface TableSort {
  key: string;
  descending: boolean;
}

export interface RowsResult<T> {
  /** Rows in the table under the filter. */
  total: number;
  /** Position of the first row returned. */
  from: number;
  rows: T[];
}

export interface TableRows {
  flows: FlowRecord;
  ports: PortRecord;
  exposure: ExposedService;
  hosts: HostRecord;
}

/** Sortable columns per table (keys the page uses). */
export const SORT_KEYS: Record<TableName, readonly string[]> = {
  flows: ['client', 'server', 'proto', 'service', 'class', 'role', 'pcs', 'bcs', 'psc', 'bsc', 'packets', 'bytes', 'start', 'date', 'duration', 'bpsCs', 'bpsSc', 'flags', 'payload'],
  ports: ['port', 'proto', 'service', 'class', 'packets', 'bytes', 'flows', 'server', 'src', 'dst', 'peers'],
  exposure: ['host', 'port', 'service', 'state', 'flows', 'clients', 'packets', 'bytes', 'first', 'last'],
  hosts: ['address', 'psent', 'sent', 'preceived', 'received', 'bytes', 'flows', 'role', 'peers', 'services'],
};

/** Rank of each port key's service name in alphabetical order (no name: after all names). */
let serviceRanks: Float64Array | null = null;
function serviceRank(): Float64Array {
  if (serviceRanks) return serviceRanks;
  const labels = serviceLabels();
  const names = [...new Set(labels.filter((l) => l !== null).map((l) => l!.name))].sort((a, b) => a.localeCompare(b, 'en'));
  const rankOf = new Map(names.map((n, i) => [n, i]));
  serviceRanks = new Float64Array(PORT_KEYS);
  for (let k = 0; k < PORT_KEYS; k++) serviceRanks[k] = labels[k] ? rankOf.get(labels[k]!.name)! : names.length;
  return serviceRanks;
}

/** Sort key of flow row r for a column. */
function flowKey(facts: FlowFacts, key: string): (r: number) => number {
  const t = facts.state.flows;
  const ranks = facts.addresses.ranks();
  const toServer = (r: number, bytes: boolean) => (facts.serverIsA[r] ? (bytes ? t.bytesBA(r) : t.packetsBA(r)) : (bytes ? t.bytesAB(r) : t.packetsAB(r)));
  const toClient = (r: number, bytes: boolean) => (facts.serverIsA[r] ? (bytes ? t.bytesAB(r) : t.packetsAB(r)) : (bytes ? t.bytesBA(r) : t.packetsBA(r)));
  switch (key) {
    case 'client': return (r) => ranks[facts.clientAddr(r)]! * 65536 + facts.clientPort(r);
    case 'server': return (r) => ranks[facts.serverAddr(r)]! * 65536 + facts.serverPort(r);
    case 'proto': return (r) => facts.l4[r]!;
    case 'service': { const s = serviceRank(); return (r) => s[facts.serverKey(r)]!; }
    case 'class': return (r) => portClass(facts.serverPort(r));
    case 'role': return (r) => facts.role[r]!;
    case 'pcs': return (r) => toServer(r, false);
    case 'bcs': return (r) => toServer(r, true);
    case 'psc': return (r) => toClient(r, false);
    case 'bsc': return (r) => toClient(r, true);
    case 'packets': return (r) => t.packetsAB(r) + t.packetsBA(r);
    case 'start': case 'date': return (r) => t.firstTs(r);
    case 'bytes': return (r) => t.bytes(r);
    case 'bpsCs': return (r) => { const d = t.lastTs(r) - t.firstTs(r); return d > 0 ? toServer(r, true) / d : -1; };
    case 'bpsSc': return (r) => { const d = t.lastTs(r) - t.firstTs(r); return d > 0 ? toClient(r, true) / d : -1; };
    case 'duration': return (r) => { const d = t.lastTs(r) - t.firstTs(r); return Number.isFinite(d) ? d : 0; };
    case 'flags': return (r) => (facts.serverIsA[r] ? t.tcpFlagsBA(r) * 256 + t.tcpFlagsAB(r) : t.tcpFlagsAB(r) * 256 + t.tcpFlagsBA(r));
    case 'payload': return (r) => facts.verdict[r]! * 16 + facts.app[r]!;
    default: return (r) => t.bytesAB(r) + t.bytesBA(r);
  }
}

/** The order of a table's rows (flow rows, port positions, group ids or address ids) under a sort. */
export function tableOrder(sel: Selection, table: TableName, sort: TableSort): Uint32Array {
  const id = `${table}:${sort.key}:${sort.descending ? 'd' : 'a'}`;
  const hit = sel.orders.get(id);
  if (hit) return hit;
  const facts = sel.facts;
  let base: Uint32Array;
  let key: (x: number) => number;
  switch (table) {
    case 'flows':
      base = sel.rows;
      key = flowKey(facts, sort.key);
      break;
    case 'ports': {
      // Rows of the outermost layer, then those inside tunnels (PortRows): column c of row x.
      const rows = sel.portRows();
      base = identity(rows.length);
      const s = serviceRank();
      const at = (c: (p: PortTotals, j: number) => number) => (x: number) => c(rows.sets[rows.set[x]!]!, rows.index[x]!);
      const col: Record<string, (x: number) => number> = {
        port: at((p, i) => p.keys[i]! & 0xffff), proto: at((p, i) => (p.keys[i]! >= 65536 ? 1 : 0)), service: at((p, i) => s[p.keys[i]!]!),
        class: at((p, i) => portClass(p.keys[i]! & 0xffff)), packets: at((p, i) => p.packets[i]!), bytes: at((p, i) => p.bytes[i]!),
        flows: at((p, i) => p.flows[i]!), server: at((p, i) => p.serverFlows[i]!), src: at((p, i) => p.srcBytes[i]!),
        dst: at((p, i) => p.dstBytes[i]!), peers: at((p, i) => p.peers[i]!),
      };
      key = col[sort.key] ?? col.bytes!;
      break;
    }
    case 'exposure': {
      const g = sel.groups();
      base = sel.exposureOrder();
      const ranks = facts.addresses.ranks();
      const s = serviceRank();
      const col: Record<string, (i: number) => number> = {
        host: (i) => ranks[g.host[i]!]!, port: (i) => g.portKey[i]! & 0xffff, service: (i) => s[g.portKey[i]!]!, state: (i) => g.state[i]!,
        flows: (i) => g.flows[i]!, clients: (i) => g.clients[i]!, packets: (i) => g.packets[i]!, bytes: (i) => g.bytes[i]!,
        first: (i) => g.firstSeen[i]!, last: (i) => g.lastSeen[i]!,
      };
      key = col[sort.key] ?? col.host!;
      break;
    }
    case 'hosts': {
      const h = sel.hosts();
      base = h.order;
      const ranks = facts.addresses.ranks();
      const col: Record<string, (i: number) => number> = {
        address: (i) => ranks[i]!, sent: (i) => h.bytesSent[i]!, received: (i) => h.bytesReceived[i]!,
        bytes: (i) => h.bytesSent[i]! + h.bytesReceived[i]!, flows: (i) => h.flows[i]!,
        psent: (i) => h.packetsSent[i]!, preceived: (i) => h.packetsReceived[i]!, peers: (i) => h.peers[i]!,
        role: (i) => (h.serverFlows[i]! > 0 ? 2 : 0) + (h.clientFlows[i]! > 0 ? 1 : 0),
        services: (i) => { let n = 0; for (let g = h.firstGroup[i]!; g >= 0; g = h.nextGroup[g]!) n++; return n; },
      };
      key = col[sort.key] ?? col.bytes!;
      break;
    }
  }
  const keys = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) keys[i] = key(base[i]!);
  const order = sortPermutation(base, keys, sort.descending);
  sel.orders.set(id, order);
  return order;
}

/** Rows [from, to) of a table under the selection's filter and a sort, as records. */
export function tableRows<T extends TableName>(sel: Selection, table: T, sort: TableSort, from: number, to: number): RowsResult<TableRows[T]> {
  const order = tableOrder(sel, table, sort);
  const start = Math.max(0, Math.min(from, order.length));
  const end = Math.max(start, Math.min(to, order.length));
  const facts = sel.facts;
  const rows: unknown[] = [];
  for (let i = start; i < end; i++) {
    const x = order[i]!;
    switch (table) {
      case 'flows': rows.push(flowRecord(facts, x)); break;
      case 'ports': rows.push(sel.portRows().at(x)); break;
      case 'exposure': rows.push(exposedRecord(facts, sel.groups(), x)); break;
      case 'hosts': rows.push(hostRecord(facts.addresses, sel.hosts(), sel.groups(), x)); break;
    }
  }
  return { total: order.length, from: start, rows: rows as TableRows[T][] };
}

