// The flow export's columns (one row per flow, client/server orientation): their names, types
// and meaning in one table, used by every export format and by the README.
import { APP_NAMES } from '../net/payload-signatures';
import { portClassName } from '../net/port-class';
import { serviceLabels } from '../net/services';
import type { FlowFacts } from '../views/flow-facts';
import { ATTEMPT_STATES, ROLE_RULES, VERDICTS } from '../views/flow-facts';
import { tunnelName } from '../views/tunnels';

export type ColumnType = 'STRING' | 'INT32' | 'INT64' | 'DOUBLE';
export type Cell = string | number | null;

export interface FlowColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** What the column holds (the README's table is made from these). */
  doc: string;
  value(f: FlowFacts, r: number): Cell;
}

const serverIsA = (f: FlowFacts, r: number) => f.serverIsA[r] === 1;
const t = (f: FlowFacts) => f.state.flows;
const time = (v: number): number | null => (Number.isFinite(v) ? v : null);

export const FLOW_COLUMNS: readonly FlowColumn[] = [
  { name: 'proto', type: 'STRING', nullable: false, doc: '`tcp` or `udp`', value: (f, r) => (f.l4[r] === 6 ? 'tcp' : 'udp') },
  { name: 'ip_version', type: 'INT32', nullable: false, doc: '4 or 6', value: (f, r) => f.ipVersion[r]! },
  { name: 'client', type: 'STRING', nullable: false, doc: 'client address (the end that is not the server)', value: (f, r) => f.addresses.text(f.clientAddr(r)) },
  { name: 'client_port', type: 'INT32', nullable: false, doc: 'client port', value: (f, r) => f.clientPort(r) },
  { name: 'server', type: 'STRING', nullable: false, doc: 'server address', value: (f, r) => f.addresses.text(f.serverAddr(r)) },
  { name: 'server_port', type: 'INT32', nullable: false, doc: 'server port', value: (f, r) => f.serverPort(r) },
  { name: 'server_rule', type: 'STRING', nullable: false, doc: 'the rule that decided the server end: `syn`, `syn-ack`, `service-name`, `port-class`, `peer-count`, `lower-port` (README "Flows, ports and roles")', value: (f, r) => ROLE_RULES[f.role[r]!]! },
  { name: 'first_from', type: 'STRING', nullable: false, doc: 'who sent the first packet: `client` or `server`', value: (f, r) => ((t(f).firstFromA(r) === 1) === !serverIsA(f, r) ? 'client' : 'server') },
  { name: 'packets_c2s', type: 'INT64', nullable: false, doc: 'packets client to server', value: (f, r) => (serverIsA(f, r) ? t(f).packetsBA(r) : t(f).packetsAB(r)) },
  { name: 'bytes_c2s', type: 'INT64', nullable: false, doc: 'bytes client to server (wire length of the frames, as tshark counts them)', value: (f, r) => (serverIsA(f, r) ? t(f).bytesBA(r) : t(f).bytesAB(r)) },
  { name: 'packets_s2c', type: 'INT64', nullable: false, doc: 'packets server to client', value: (f, r) => (serverIsA(f, r) ? t(f).packetsAB(r) : t(f).packetsBA(r)) },
  { name: 'bytes_s2c', type: 'INT64', nullable: false, doc: 'bytes server to client', value: (f, r) => (serverIsA(f, r) ? t(f).bytesAB(r) : t(f).bytesBA(r)) },
  { name: 'packets', type: 'INT64', nullable: false, doc: 'packets both ways', value: (f, r) => t(f).packets(r) },
  { name: 'bytes', type: 'INT64', nullable: false, doc: 'bytes both ways', value: (f, r) => t(f).bytes(r) },
  { name: 'start', type: 'DOUBLE', nullable: true, doc: 'first packet, epoch seconds (null when the capture has no times)', value: (f, r) => time(t(f).firstTs(r)) },
  { name: 'end', type: 'DOUBLE', nullable: true, doc: 'last packet, epoch seconds', value: (f, r) => time(t(f).lastTs(r)) },
  { name: 'duration', type: 'DOUBLE', nullable: false, doc: 'end - start in seconds (0 without times)', value: (f, r) => { const d = t(f).lastTs(r) - t(f).firstTs(r); return Number.isFinite(d) ? d : 0; } },
  { name: 'first_frame', type: 'INT64', nullable: false, doc: 'frame number of the first packet (in the merged numbering of many files)', value: (f, r) => t(f).firstFrame(r) },
  { name: 'last_frame', type: 'INT64', nullable: false, doc: 'frame number of the last packet', value: (f, r) => t(f).lastFrame(r) },
  { name: 'tcp_flags_c2s', type: 'INT32', nullable: true, doc: 'OR of the TCP flags the client sent (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128); null for UDP', value: (f, r) => (f.l4[r] === 6 ? (serverIsA(f, r) ? t(f).tcpFlagsBA(r) : t(f).tcpFlagsAB(r)) : null) },
  { name: 'tcp_flags_s2c', type: 'INT32', nullable: true, doc: 'OR of the TCP flags the server sent; null for UDP', value: (f, r) => (f.l4[r] === 6 ? (serverIsA(f, r) ? t(f).tcpFlagsAB(r) : t(f).tcpFlagsBA(r)) : null) },
  { name: 'attempt', type: 'STRING', nullable: false, doc: 'how the server port answered: `open`, `refused` (RST, ICMP port unreachable) or `unanswered`', value: (f, r) => ATTEMPT_STATES[f.attempt[r]!]! },
  { name: 'service', type: 'STRING', nullable: true, doc: 'IANA service name of the server port (by number, never from payload)', value: (f, r) => serviceLabels()[f.serverKey(r)]?.name ?? null },
  { name: 'class', type: 'STRING', nullable: false, doc: 'IANA class of the server port: `well-known`, `registered`, `ephemeral`', value: (f, r) => portClassName(f.serverPort(r)) },
  { name: 'client_port_class', type: 'STRING', nullable: false, doc: 'IANA class of the client port', value: (f, r) => portClassName(f.clientPort(r)) },
  { name: 'app', type: 'STRING', nullable: true, doc: 'what the first payload bytes showed: `tls`, `http`, `ssh`, `dns`, `smtp`, `ftp`, `pop3`, `imap`, `quic`, or null', value: (f, r) => (f.app[r] ? APP_NAMES[f.app[r]!]! : null) },
  { name: 'app_name', type: 'STRING', nullable: true, doc: 'the name the payload carried: TLS SNI, HTTP Host, SSH banner', value: (f, r) => (f.app[r] ? f.state.payloads.name(r) : null) },
  { name: 'app_verdict', type: 'STRING', nullable: false, doc: 'payload against the server port\'s service: `confirmed`, `different`, `unknown`', value: (f, r) => VERDICTS[f.verdict[r]!]! },
  { name: 'tunnel', type: 'STRING', nullable: true, doc: 'the encapsulation the flow was found in (e.g. `vxlan`), null for outermost flows', value: (f, r) => (f.chain[r] ? tunnelName(f.chain[r]!) : null) },
];

/** Rows exported per batch (the unit of streaming and of Parquet row groups). */
export const BATCH_ROWS = 65_536;

/** Cells of rows[from, to) column by column. */
export function columnBatch(facts: FlowFacts, rows: Uint32Array, from: number, to: number, columns = FLOW_COLUMNS): Cell[][] {
  return columns.map((c) => {
    const out: Cell[] = new Array(to - from);
    for (let i = from; i < to; i++) out[i - from] = c.value(facts, rows[i]!);
    return out;
  });
}
