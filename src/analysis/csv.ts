import type { FlowRecord, PortRecord } from './report-types';

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function field(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function table(header: string[], rows: Array<Array<string | number | null>>): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export function flowsCsv(flows: FlowRecord[]): string {
  return table(
    ['proto', 'a', 'aPort', 'b', 'bPort', 'packetsAB', 'bytesAB', 'packetsBA', 'bytesBA', 'packets', 'bytes',
      'start', 'end', 'duration', 'server', 'serverPort', 'clientPort', 'service', 'class', 'role', 'tcpFlagsAB', 'tcpFlagsBA'],
    flows.map((f) => [f.proto, f.a, f.aPort, f.b, f.bPort, f.packetsAB, f.bytesAB, f.packetsBA, f.bytesBA, f.packets, f.bytes,
      f.start, f.end, f.duration, f.server === 'a' ? f.a : f.b, f.serverPort, f.clientPort, f.service, f.class, f.role,
      f.tcpFlagsAB, f.tcpFlagsBA]),
  );
}

export function portsCsv(ports: PortRecord[]): string {
  return table(
    ['proto', 'port', 'service', 'description', 'class', 'packets', 'bytes', 'flows', 'sourcePackets', 'sourceBytes',
      'destinationPackets', 'destinationBytes', 'serverFlows', 'peers'],
    ports.map((p) => [p.proto, p.port, p.service, p.serviceDescription, p.class, p.packets, p.bytes, p.flows,
      p.asSource.packets, p.asSource.bytes, p.asDestination.packets, p.asDestination.bytes, p.asServer.flows, p.peers]),
  );
}
