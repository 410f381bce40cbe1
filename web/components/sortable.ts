import { html } from 'lit';

export interface Column<T> {
  key: string;
  label: string;
  numeric?: boolean;
  value: (row: T) => number | string;
  title?: string;
}

export interface SortState {
  key: string;
  descending: boolean;
}

/** Rows sorted by a column; ties keep their order. */
export function sortRows<T>(rows: T[], columns: Column<T>[], sort: SortState): T[] {
  const col = columns.find((c) => c.key === sort.key);
  if (!col) return rows;
  const dir = sort.descending ? -1 : 1;
  return rows.map((r, i) => [r, i] as const).sort(([a, i], [b, j]) => {
    const x = col.value(a), y = col.value(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { numeric: true });
    return c !== 0 ? c * dir : i - j;
  }).map(([r]) => r);
}

/** A header cell whose button sorts by its column; aria-sort says how. */
export function sortHeader<T>(col: Column<T>, sort: SortState, onSort: (key: string) => void, role?: string) {
  const active = sort.key === col.key;
  const ariaSort = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
  return html`<th scope="col" role=${role ?? 'columnheader'} aria-sort=${ariaSort} class=${col.numeric ? 'num' : ''} title=${col.title ?? ''}>
    <button class="sort" @click=${() => onSort(col.key)}>${col.label}${active ? (sort.descending ? ' ▾' : ' ▴') : ''}</button></th>`;
}

export function nextSort(sort: SortState, key: string, numeric: boolean): SortState {
  return sort.key === key ? { key, descending: !sort.descending } : { key, descending: numeric };
}
