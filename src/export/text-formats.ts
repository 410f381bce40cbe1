// CSV (RFC 4180) and NDJSON of the flow columns, a batch of rows per string piece.
import type { Selection } from '../views/selection';
import { BATCH_ROWS, columnBatch, FLOW_COLUMNS, type Cell } from './flow-columns';

function csvField(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function* flowCsv(sel: Selection, batch = BATCH_ROWS): Generator<string> {
  yield `${FLOW_COLUMNS.map((c) => c.name).join(',')}\r\n`;
  for (let i = 0; i < sel.rows.length; i += batch) {
    const to = Math.min(sel.rows.length, i + batch);
    const cols = columnBatch(sel.facts, sel.rows, i, to);
    let s = '';
    for (let j = 0; j < to - i; j++) {
      for (let c = 0; c < cols.length; c++) s += (c ? ',' : '') + csvField(cols[c]![j]!);
      s += '\r\n';
    }
    yield s;
  }
}

export function* flowNdjson(sel: Selection, batch = BATCH_ROWS): Generator<string> {
  const names = FLOW_COLUMNS.map((c) => JSON.stringify(c.name));
  for (let i = 0; i < sel.rows.length; i += batch) {
    const to = Math.min(sel.rows.length, i + batch);
    const cols = columnBatch(sel.facts, sel.rows, i, to);
    let s = '';
    for (let j = 0; j < to - i; j++) {
      s += '{';
      for (let c = 0; c < cols.length; c++) s += `${c ? ',' : ''}${names[c]}:${JSON.stringify(cols[c]![j]!)}`;
      s += '}\n';
    }
    yield s;
  }
}
