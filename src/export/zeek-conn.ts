// Zeek conn.log of the flows (TSV with Zeek's header lines, or JSON lines): what Porthole
// knows goes in, what it does not know is unset ("-" in TSV, absent in JSON), never guessed.
// Each field's source is documented in the README ("Exports").
import { APP } from '../net/payload-signatures';
import { FLOW_KEY, HANDSHAKE } from '../tap/flow-table';
import { ATTEMPT_STATES, ROLE_RULES, type FlowFacts } from '../views/flow-facts';
import type { Selection } from '../views/selection';
import { tunnelName } from '../views/tunnels';
import { BATCH_ROWS } from './flow-columns';

type Value = string | number | null;

interface ZeekField {
  name: string;
  type: string;
  value(f: FlowFacts, r: number): Value;
}

const TCP_FIN = 0x01;

/** Zeek's service names for what the payload showed (Zeek names TLS "ssl"). */
const SERVICE: Record<number, string> = {
  [APP.TLS]: 'ssl', [APP.HTTP]: 'http', [APP.SSH]: 'ssh', [APP.DNS]: 'dns', [APP.SMTP]: 'smtp', [APP.FTP]: 'ftp',
  [APP.POP3]: 'pop3', [APP.IMAP]: 'imap', [APP.QUIC]: 'quic',
};

const sA = (f: FlowFacts, r: number) => f.serverIsA[r] === 1;
const tbl = (f: FlowFacts) => f.state.flows;

/**
 * Zeek's conn_state where the handshake bits and flags decide it without knowing the order of
 * packets (Porthole keeps ORs of flags, not a history); null (unset) where they do not.
 */
export function connState(f: FlowFacts, r: number): string | null {
  const t = tbl(f);
  const serverA = sA(f, r);
  const origPkts = serverA ? t.packetsBA(r) : t.packetsAB(r);
  const respPkts = serverA ? t.packetsAB(r) : t.packetsBA(r);
  if (f.l4[r] !== 6) return respPkts > 0 ? 'SF' : origPkts > 0 ? 'S0' : null;
  const hs = f.handshake[r]!;
  const bit = (a: number, b: number, ofServer: boolean) => (hs & (ofServer === serverA ? a : b)) !== 0;
  const syn = bit(HANDSHAKE.A_SYN, HANDSHAKE.B_SYN, false);
  const synAck = bit(HANDSHAKE.A_SYNACK, HANDSHAKE.B_SYNACK, true);
  const rstOrig = bit(HANDSHAKE.A_RST, HANDSHAKE.B_RST, false);
  const rstResp = bit(HANDSHAKE.A_RST, HANDSHAKE.B_RST, true);
  const finOrig = ((serverA ? t.tcpFlagsBA(r) : t.tcpFlagsAB(r)) & TCP_FIN) !== 0;
  const finResp = ((serverA ? t.tcpFlagsAB(r) : t.tcpFlagsBA(r)) & TCP_FIN) !== 0;
  if (!syn) return synAck || rstOrig || rstResp || finOrig || finResp ? null : 'OTH';
  if (respPkts === 0) {
    if (rstOrig || finOrig) return rstOrig && !finOrig ? null : finOrig && !rstOrig ? 'SH' : null;
    return 'S0';
  }
  if (!synAck) return rstResp && !rstOrig && !finOrig && !finResp && respPkts > 0 ? 'REJ' : null;
  if (rstOrig || rstResp) return rstOrig !== rstResp && !finOrig && !finResp ? (rstOrig ? 'RSTO' : 'RSTR') : null;
  if (finOrig && finResp) return 'SF';
  if (finOrig) return 'S2';
  if (finResp) return 'S3';
  return 'S1';
}

/** A stable connection id: the flow key and first frame hashed (Zeek's are random; these repeat run to run). */
function uid(f: FlowFacts, r: number): string {
  const keys = f.state.flows.index.keys;
  // Two FNV-1a style 32-bit hashes with different seeds: 64 bits, pure JS (also for the page).
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ 0x5bd1e995;
  const mix = (w: number) => {
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(h2 ^ w, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  };
  for (let i = 0; i < FLOW_KEY.WIDTH; i++) mix(keys[r * FLOW_KEY.WIDTH + i]!);
  const frame = tbl(f).firstFrame(r);
  mix(frame >>> 0);
  mix(Math.floor(frame / 2 ** 32));
  const abc = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let s = 'C';
  for (let lane of [h1 >>> 0, h2 >>> 0, Math.imul(h1 ^ (h2 >>> 7), 0x9e3779b1) >>> 0]) {
    for (let i = 0; i < 6 && s.length < 18; i++) {
      s += abc[lane % 62];
      lane = Math.floor(lane / 62);
    }
  }
  return s;
}

const time = (v: number) => (Number.isFinite(v) ? v : null);

export const ZEEK_FIELDS: readonly ZeekField[] = [
  { name: 'ts', type: 'time', value: (f, r) => time(tbl(f).firstTs(r)) },
  { name: 'uid', type: 'string', value: uid },
  { name: 'id.orig_h', type: 'addr', value: (f, r) => f.addresses.text(f.clientAddr(r)) },
  { name: 'id.orig_p', type: 'port', value: (f, r) => f.clientPort(r) },
  { name: 'id.resp_h', type: 'addr', value: (f, r) => f.addresses.text(f.serverAddr(r)) },
  { name: 'id.resp_p', type: 'port', value: (f, r) => f.serverPort(r) },
  { name: 'proto', type: 'enum', value: (f, r) => (f.l4[r] === 6 ? 'tcp' : 'udp') },
  { name: 'service', type: 'string', value: (f, r) => SERVICE[f.app[r]!] ?? null },
  { name: 'duration', type: 'interval', value: (f, r) => { const d = tbl(f).lastTs(r) - tbl(f).firstTs(r); return Number.isFinite(d) ? d : null; } },
  { name: 'orig_bytes', type: 'count', value: () => null },
  { name: 'resp_bytes', type: 'count', value: () => null },
  { name: 'conn_state', type: 'string', value: connState },
  { name: 'local_orig', type: 'bool', value: () => null },
  { name: 'local_resp', type: 'bool', value: () => null },
  { name: 'missed_bytes', type: 'count', value: () => null },
  { name: 'history', type: 'string', value: () => null },
  { name: 'orig_pkts', type: 'count', value: (f, r) => (sA(f, r) ? tbl(f).packetsBA(r) : tbl(f).packetsAB(r)) },
  { name: 'orig_ip_bytes', type: 'count', value: () => null },
  { name: 'resp_pkts', type: 'count', value: (f, r) => (sA(f, r) ? tbl(f).packetsAB(r) : tbl(f).packetsBA(r)) },
  { name: 'resp_ip_bytes', type: 'count', value: () => null },
  { name: 'tunnel_parents', type: 'set[string]', value: () => null },
  // Porthole's own fields (Zeek readers take extra columns as they take script-added ones).
  { name: 'orig_wire_bytes', type: 'count', value: (f, r) => (sA(f, r) ? tbl(f).bytesBA(r) : tbl(f).bytesAB(r)) },
  { name: 'resp_wire_bytes', type: 'count', value: (f, r) => (sA(f, r) ? tbl(f).bytesAB(r) : tbl(f).bytesBA(r)) },
  { name: 'server_rule', type: 'string', value: (f, r) => ROLE_RULES[f.role[r]!]! },
  { name: 'attempt', type: 'string', value: (f, r) => ATTEMPT_STATES[f.attempt[r]!]! },
  { name: 'tunnel', type: 'string', value: (f, r) => (f.chain[r] ? tunnelName(f.chain[r]!) : null) },
];

/** Zeek's TSV escaping: the separator, backslash and non-printable bytes as \xHH; "-" and "(empty)" escaped when literal. */
function tsv(v: Value, type: string): string {
  if (v === null) return '-';
  if (typeof v === 'number') return type === 'time' || type === 'interval' ? v.toFixed(6) : String(v);
  if (v === '') return '(empty)';
  if (v === '-') return '\\x2d';
  return v.replace(/[\\\t\n\r\x00-\x1f\x7f,]/g, (c) => (c === ',' && type !== 'set[string]' ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

function zeekTime(s: number | null): string {
  const d = new Date((s ?? 0) * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}`;
}

/** conn.log as Zeek writes it (#open/#close: the first and last packet's times, so the output repeats). */
export function* zeekConnTsv(sel: Selection, batch = BATCH_ROWS): Generator<string> {
  const st = sel.facts.state.stats;
  const first = Number.isFinite(st.firstTs) ? st.firstTs : null, last = Number.isFinite(st.lastTs) ? st.lastTs : null;
  yield ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', `#open\t${zeekTime(first)}`,
    `#fields\t${ZEEK_FIELDS.map((z) => z.name).join('\t')}`, `#types\t${ZEEK_FIELDS.map((z) => z.type).join('\t')}`, ''].join('\n');
  yield* rows(sel, batch, (f, r) => `${ZEEK_FIELDS.map((z) => tsv(z.value(f, r), z.type)).join('\t')}\n`);
  yield `#close\t${zeekTime(last)}\n`;
}

/** conn.log as Zeek's JSON writer makes it: one object per line, unset fields left out. */
export function* zeekConnJson(sel: Selection, batch = BATCH_ROWS): Generator<string> {
  const names = ZEEK_FIELDS.map((z) => JSON.stringify(z.name));
  yield* rows(sel, batch, (f, r) => {
    let s = '{';
    let first = true;
    for (let i = 0; i < ZEEK_FIELDS.length; i++) {
      const v = ZEEK_FIELDS[i]!.value(f, r);
      if (v === null) continue;
      s += `${first ? '' : ','}${names[i]}:${JSON.stringify(v)}`;
      first = false;
    }
    return `${s}}\n`;
  });
}

function* rows(sel: Selection, batch: number, line: (f: FlowFacts, r: number) => string): Generator<string> {
  for (let i = 0; i < sel.rows.length; i += batch) {
    let s = '';
    for (let j = i; j < Math.min(sel.rows.length, i + batch); j++) s += line(sel.facts, sel.rows[j]!);
    yield s;
  }
}
