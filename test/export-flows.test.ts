// porthole flows: the same rows and sums whether read as CSV, NDJSON, Parquet (by DuckDB) or a
// Zeek conn.log (its #fields header, and DuckDB's CSV reader with a tab separator).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { FLOW_COLUMNS } from '../src/export/flow-columns';
import { flowParquetParts, parquetBlobParts } from '../src/export/parquet';
import { flowCsv } from '../src/export/text-formats';
import { connState, ZEEK_FIELDS } from '../src/export/zeek-conn';
import { AnalysisView } from '../src/views/analysis-view';
import { analyzeFile } from './helpers/analyze';
import { CAPTURES, SCANS } from './helpers/fixtures';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'porthole-export-'));

function run(args: string[]): Promise<{ code: number | null; out: Buffer; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args]);
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out), err: Buffer.concat(err).toString() }));
  });
}

async function query(sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const rows = (await c.runAndReadAll(sql)).getRows();
  return rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
}

const DUCK_TYPE = { STRING: 'VARCHAR', INT32: 'INTEGER', INT64: 'BIGINT', DOUBLE: 'DOUBLE' } as const;
const csvColumns = `{${FLOW_COLUMNS.map((c) => `'${c.name}': '${DUCK_TYPE[c.type]}'`).join(', ')}}`;
const SUMS = 'count(*), sum(packets), sum(bytes), sum(packets_c2s), sum(bytes_s2c), sum(first_frame), count(app), count(service)';

const inputs = [join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'), join(CAPTURES, 'tcpdump', 'afs.pcap'), join(SCANS, 'nmap-sS.pcapng'), join(SCANS, 'nmap-sU.pcapng')];

describe('porthole flows', () => {
  it('Parquet read by DuckDB has the same rows and sums as --format csv', async () => {
    const csv = join(dir, 'flows.csv'), pq = join(dir, 'flows.parquet');
    expect((await run(['flows', ...inputs, '--format', 'csv', '-o', csv])).code).toBe(0);
    expect((await run(['flows', ...inputs, '--format', 'parquet', '-o', pq])).code).toBe(0);
    const c = `read_csv('${csv}', header = true, columns = ${csvColumns})`;
    const p = `read_parquet('${pq}')`;
    const [sumsCsv] = await query(`select ${SUMS} from ${c}`);
    const [sumsPq] = await query(`select ${SUMS} from ${p}`);
    expect(sumsCsv![0]).toBeGreaterThan(250);
    expect(sumsPq).toEqual(sumsCsv);
    expect(await query(`select count(*) from (select * from ${p} except all select * from ${c})`)).toEqual([[0]]);
    expect(await query(`select count(*) from (select * from ${c} except all select * from ${p})`)).toEqual([[0]]);
    // Client/server orientation and raw numbers as documented.
    const [row] = await query(`select server_port, server_rule, attempt, class from ${p} where server_port = 8080 and proto = 'tcp' limit 1`);
    expect(row).toEqual([8080, 'syn', 'open', 'registered']);
  });

  it('Parquet is written in row groups (bounded memory) and the page gets the same bytes as Blob parts', async () => {
    const { state } = await analyzeFile(join(SCANS, 'nmap-sS.pcapng'));
    const sel = new AnalysisView(state).select(null);
    expect(sel.rows.length).toBeGreaterThan(150);
    const parts = [...flowParquetParts(sel, 50)];
    expect(parts.length).toBeGreaterThanOrEqual(4);
    const file = join(dir, 'groups.parquet');
    writeFileSync(file, Buffer.concat(parts));
    expect(await query(`select count(distinct row_group_id) from parquet_metadata('${file}')`)).toEqual([[Math.ceil(sel.rows.length / 50)]]);
    expect(await query(`select count(*) from read_parquet('${file}')`)).toEqual([[sel.rows.length]]);
    const whole = join(dir, 'whole.parquet');
    writeFileSync(whole, Buffer.concat(parquetBlobParts(sel)));
    expect(await query(`select count(*) from (select * from read_parquet('${whole}') except all select * from read_parquet('${file}'))`)).toEqual([[0]]);
    const csv = join(dir, 'inproc.csv');
    writeFileSync(csv, [...flowCsv(sel, 7)].join(''));
    expect(await query(`select ${SUMS} from read_csv('${csv}', header = true, columns = ${csvColumns})`))
      .toEqual(await query(`select ${SUMS} from read_parquet('${whole}')`));
  });

  it('NDJSON holds the CSV rows', async () => {
    const csv = (await run(['flows', ...inputs])).out.toString().trimEnd().split('\r\n');
    const nd = (await run(['flows', ...inputs, '--format', 'ndjson'])).out.toString().trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(nd.length).toBe(csv.length - 1);
    expect(Object.keys(nd[0])).toEqual(FLOW_COLUMNS.map((c) => c.name));
    expect(nd.reduce((t, r) => t + r.bytes, 0)).toBeGreaterThan(0);
    const i = csv[0]!.split(',').indexOf('bytes');
    expect(nd.reduce((t, r) => t + r.bytes, 0)).toBe(csv.slice(1).reduce((t, l) => t + Number(l.split(',')[i]), 0));
  });

  it('Zeek conn.log: the #fields header names every column, DuckDB reads it tab-separated, the JSON variant matches', async () => {
    const log = join(dir, 'conn.log');
    expect((await run(['flows', ...inputs, '--format', 'zeek', '-o', log])).code).toBe(0);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('#separator \\x09');
    const fields = lines.find((l) => l.startsWith('#fields\t'))!.split('\t').slice(1);
    const types = lines.find((l) => l.startsWith('#types\t'))!.split('\t').slice(1);
    expect(fields.slice(0, 21)).toEqual(['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration',
      'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes',
      'resp_pkts', 'resp_ip_bytes', 'tunnel_parents']);
    expect(types).toHaveLength(fields.length);
    const data = lines.filter((l) => !l.startsWith('#'));
    expect(data.length).toBeGreaterThan(250);
    // The #fields round trip: every row has every field, by name.
    const rows = data.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [fields[i], v])));
    expect(data.every((l) => l.split('\t').length === fields.length)).toBe(true);
    expect(new Set(rows.map((r) => r.uid)).size).toBe(rows.length);
    const csvPath = join(dir, 'for-zeek.csv');
    expect((await run(['flows', ...inputs, '-o', csvPath])).code).toBe(0);
    const [[packets, count]] = await query(`select sum(packets), count(*) from read_csv('${csvPath}', header = true, columns = ${csvColumns})`) as [[number, number]];
    expect(rows.reduce((t, r) => t + Number(r.orig_pkts) + Number(r.resp_pkts), 0)).toBe(packets);
    const names = `[${fields.map((f) => `'${f}'`).join(', ')}]`;
    const [[n, pk, wire, states]] = await query(`select count(*), sum(orig_pkts + resp_pkts), sum(orig_wire_bytes + resp_wire_bytes), count(conn_state) from read_csv('${log}', delim = '\t', comment = '#', header = false, names = ${names}, nullstr = '-', auto_detect = true)`) as [[number, number, number, number]];
    expect([n, pk]).toEqual([count, packets]);
    expect(wire).toBe((await query(`select sum(bytes) from read_csv('${csvPath}', header = true, columns = ${csvColumns})`))[0]![0]);
    expect(states).toBeGreaterThan(100);
    const json = (await run(['flows', ...inputs, '--format', 'zeek-json'])).out.toString().trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(json.length).toBe(count);
    expect(json.every((o) => Object.keys(o).every((k) => fields.includes(k)))).toBe(true);
    expect(json.map((o) => o.uid)).toEqual(rows.map((r) => r.uid));
    expect(json.some((o) => 'history' in o || 'orig_ip_bytes' in o)).toBe(false);
  });

  it('the README documents every column and every Zeek field', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const documented = (name: string) => new RegExp(`^\\| [^|]*\`${name.replace('.', '\\.')}\``, 'm').test(readme);
    expect(FLOW_COLUMNS.length).toBeGreaterThan(20);
    expect(FLOW_COLUMNS.filter((c) => !documented(c.name)).map((c) => c.name)).toEqual([]);
    expect(ZEEK_FIELDS.filter((f) => !documented(f.name)).map((f) => f.name)).toEqual([]);
  });

  it('conn_state follows the handshake: refused SYNs are REJ, a UDP scan without answers S0, full sessions SF', async () => {
    const states = async (file: string) => {
      const { state } = await analyzeFile(file);
      const sel = new AnalysisView(state).select(null);
      const out = new Map<string | null, number>();
      for (const r of sel.rows) out.set(connState(sel.facts, r), (out.get(connState(sel.facts, r)) ?? 0) + 1);
      return out;
    };
    expect((await states(join(SCANS, 'nmap-sS.pcapng'))).get('REJ')).toBeGreaterThan(150);
    expect((await states(join(SCANS, 'nmap-sU.pcapng'))).get('S0')).toBeGreaterThan(10);
    expect((await states(join(CAPTURES, 'local', 'a-lo-dumpcap.pcapng'))).get('SF')).toBeGreaterThan(3);
    expect(ZEEK_FIELDS.map((f) => f.name)).toContain('conn_state');
  });
});
