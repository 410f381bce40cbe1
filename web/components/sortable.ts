import { html } from 'lit';

/** A sortable column: the worker sorts by its key. */
export interface Column {
  key: string;
  label: string;
  numeric?: boolean;
  /** A numeric column whose first click sorts ascending (ports, times). */
  ascending?: boolean;
  title?: string;
}

export interface SortState {
  key: string;
  descending: boolean;
}

/** A header cell whose button sorts by its column; aria-sort says how. */
export function sortHeader(col: Column, sort: SortState, onSort: (key: string) => void, role?: string) {
  const active = sort.key === col.key;
  const ariaSort = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
  return html`<th scope="col" role=${role ?? 'columnheader'} aria-sort=${ariaSort} class=${col.numeric ? 'num' : ''} title=${col.title ?? ''}>
    <button class="sort" @click=${() => onSort(col.key)}>${col.label}${active ? (sort.descending ? ' ▾' : ' ▴') : ''}</button></th>`;
}

export function nextSort(sort: SortState, key: string, numeric: boolean): SortState {
  return sort.key === key ? { key, descending: !sort.descending } : { key, descending: numeric };
}
