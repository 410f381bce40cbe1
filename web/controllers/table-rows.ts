import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AnalysisSession } from '../../src/workers/analysis-client';
import type { TableName, TableRows as RowTypes, TableSort } from '../../src/views/table-query';

/** Where a table's rows come from: an analysis in a worker, under a filter. */
export interface RowSource {
  session: AnalysisSession;
  filter: string | null;
}

const PAGE = 200;
/** Pages kept; older ones are dropped (a million-row table never lives on this thread). */
const KEPT_PAGES = 40;

/**
 * Rows of one table, asked of the worker a page at a time as the view needs them, and kept
 * in a small cache. The host renders `row(i)` (undefined while its page is on its way) and is
 * updated when pages arrive; a change of source or sort starts over.
 */
export class TableRowsController<T extends TableName> implements ReactiveController {
  total = 0;
  /** Set when the first page answered; until then `total` is not known. */
  ready = false;
  error: string | null = null;
  private source: RowSource | null = null;
  private sort: TableSort;
  private pages = new Map<number, Array<RowTypes[T]>>();
  private pending = new Set<number>();
  private generation = 0;

  constructor(private readonly host: ReactiveControllerHost, private readonly table: T, sort: TableSort) {
    host.addController(this);
    this.sort = sort;
  }

  hostConnected(): void {}

  get currentSort(): TableSort {
    return this.sort;
  }

  /** Point at a source and sort; nothing happens when both are unchanged. */
  set(source: RowSource | null, sort: TableSort = this.sort): void {
    const same = source?.session === this.source?.session && source?.filter === this.source?.filter
      && sort.key === this.sort.key && sort.descending === this.sort.descending;
    if (same) return;
    this.source = source;
    this.sort = sort;
    this.generation++;
    this.pages.clear();
    this.pending.clear();
    this.ready = false;
    this.error = null;
    if (source) this.fetch(0);
  }

  /** Row i, or undefined while it is being fetched. */
  row(i: number): RowTypes[T] | undefined {
    const page = Math.floor(i / PAGE);
    const rows = this.pages.get(page);
    if (!rows) {
      this.fetch(page);
      return undefined;
    }
    // Touch: recently used pages stay.
    this.pages.delete(page);
    this.pages.set(page, rows);
    return rows[i - page * PAGE];
  }

  /** Rows [0, n) as far as fetched (for plain tables). */
  firstRows(n: number): Array<RowTypes[T]> {
    const out: Array<RowTypes[T]> = [];
    for (let i = 0; i < Math.min(n, this.total); i++) {
      const r = this.row(i);
      if (r === undefined) break;
      out.push(r);
    }
    return out;
  }

  private fetch(page: number): void {
    const source = this.source;
    if (!source || this.pending.has(page) || source.session.isClosed) return;
    this.pending.add(page);
    const generation = this.generation;
    source.session.rows(source.filter, this.table, this.sort, page * PAGE, (page + 1) * PAGE).then((answer) => {
      if (generation !== this.generation) return;
      this.pending.delete(page);
      if (!answer.ok) {
        this.error = `column ${answer.problem.column}: ${answer.problem.message}`;
      } else {
        this.total = answer.result.total;
        this.pages.set(page, answer.result.rows as Array<RowTypes[T]>);
        while (this.pages.size > KEPT_PAGES) this.pages.delete(this.pages.keys().next().value!);
      }
      this.ready = true;
      this.host.requestUpdate();
    }, (err: unknown) => {
      if (generation !== this.generation) return;
      this.pending.delete(page);
      this.error = err instanceof Error ? err.message : String(err);
      this.host.requestUpdate();
    });
  }
}
