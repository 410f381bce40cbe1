import { tcpFlagLetters } from '../net/tcp-flags';
import type { FlowRecord, HostRecord, PortRecord } from '../schema/report';

/** TCP flags as letters (S A P F R U E C), empty for UDP; "-" when a TCP direction sent none. */
const flagLetters = (flags: number | null) => (flags === null ? null : tcpFlagLetters(flags) || '-');
import { flowRecord, hostRecord } from './records';
import type { Selection } from './selection';

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function field(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (cells: Array<string | number | null | undefined>) => `${cells.map(field).join(',')}\r\n`;

interface CsvTable<T> {
  header: string[];
  cells: (row: T) => Array<string | number | null | undefined>;
}

export const FLOW_CSV: CsvTable<FlowRecord> = {
  header: ['proto', 'a', 'aPort', 'b', 'bPort', 'packetsAB', 'bytesAB', 'packetsBA', 'bytesBA', 'packets', 'bytes',
    'start', 'end', 'duration', 'server', 'serverPort', 'clientPort', 'service', 'class', 'role', 'tcpFlagsAB', 'tcpFlagsBA', 'tunnel'],
  cells: (f) => [f.proto, f.a, f.aPort, f.b, f.bPort, f.packetsAB, f.bytesAB, f.packetsBA, f.bytesBA, f.packets, f.bytes,
    f.start, f.end, f.duration, f.server === 'a' ? f.a : f.b, f.serverPort, f.clientPort, f.service, f.class, f.role,
    flagLetters(f.tcpFlagsAB), flagLetters(f.tcpFlagsBA), f.tunnel],
};

export const PORT_CSV: CsvTable<PortRecord> = {
  header: ['proto', 'port', 'service', 'description', 'class', 'packets', 'bytes', 'flows', 'sourcePackets', 'sourceBytes',
    'destinationPackets', 'destinationBytes', 'serverFlows', 'peers', 'tunnel'],
  cells: (p) => [p.proto, p.port, p.service, p.serviceDescription, p.class, p.packets, p.bytes, p.flows,
    p.asSource.packets, p.asSource.bytes, p.asDestination.packets, p.asDestination.bytes, p.asServer.flows, p.peers, p.tunnel],
};

export const HOST_CSV: CsvTable<HostRecord> = {
  header: ['address', 'ipVersion', 'packetsSent', 'bytesSent', 'packetsReceived', 'bytesReceived', 'flows', 'services'],
  cells: (h) => [h.address, h.ipVersion, h.packetsSent, h.bytesSent, h.packetsReceived, h.bytesReceived, h.flows,
    h.services.map((s) => `${s.port}/${s.proto}`).join(' ')],
};

export type CsvKind = 'flows' | 'ports' | 'hosts';

/** A table of the selection as CSV, a batch of rows per piece (never one giant string). */
export function* csvPieces(sel: Selection, kind: CsvKind, batch = 500): Generator<string> {
  const facts = sel.facts;
  if (kind === 'flows') yield* pieces(FLOW_CSV, sel.rows.length, (i) => flowRecord(facts, sel.rows[i]!), batch);
  else if (kind === 'ports') {
    const p = sel.portRows();
    yield* pieces(PORT_CSV, p.length, p.at, batch);
  } else {
    const h = sel.hosts();
    const g = sel.groups();
    yield* pieces(HOST_CSV, h.order.length, (i) => hostRecord(facts.addresses, h, g, h.order[i]!), batch);
  }
}

function* pieces<T>(table: CsvTable<T>, n: number, at: (i: number) => T, batch: number): Generator<string> {
  yield line(table.header);
  for (let i = 0; i < n; i += batch) {
    let s = '';
    for (let j = i; j < Math.min(n, i + batch); j++) s += line(table.cells(at(j)));
    yield s;
  }
}
