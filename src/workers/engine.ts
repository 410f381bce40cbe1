import { serviceLabels } from '../net/services';
import type { ScanThresholds } from '../schema/report';
import type { LibrarySummary } from '../storage/schema';
import { DEFAULT_SCAN_THRESHOLDS } from '../schema/report';
import type { AnalysisState } from '../tap/analysis-state';
import { encodeState } from '../tap/state-codec';
import { AnalysisView } from '../views/analysis-view';
import { csvPieces, type CsvKind } from '../views/csv';
import { FilterError } from '../views/filter/parse-filter';
import { ioSeries, type IoSeries, type IoSeriesOptions } from '../views/io-series';
import { reportJson } from '../views/report-document';
import type { Selection } from '../views/selection';
import { summarize, type AnalysisSummary } from '../views/summary';
import type { ChainChoice } from '../policy/parse-policy';
import type { PolicyFormat } from '../policy/policy';
import { checkRules, suggestRules, type PolicyCheckAnswer, type PolicySuggestAnswer, type SuggestRequest } from './policy-answers';
import { tableRows, type RowsResult, type TableName, type TableRows, type TableSort } from '../views/table-query';

/** A filter that did not parse: where and why, as the filter bar shows it. */
export interface FilterProblem {
  filter: string;
  column: number;
  message: string;
}

export type SummaryResult = { ok: true; summary: AnalysisSummary } | { ok: false; problem: FilterProblem };
export type SeriesAnswer = { ok: true; series: IoSeries } | { ok: false; problem: FilterProblem };
export type RowsAnswer<T extends TableName> = { ok: true; result: RowsResult<TableRows[T]> } | { ok: false; problem: FilterProblem };

/**
 * One analysis as the page uses it: the state and its view, asked for summaries, rows and
 * exports under a filter. Lives in the worker; the page only ever sees what it asks for.
 */
export class Engine {
  readonly view: AnalysisView;

  constructor(readonly state: AnalysisState, thresholds: ScanThresholds = DEFAULT_SCAN_THRESHOLDS) {
    this.view = new AnalysisView(state, thresholds);
  }

  summary(filter: string | null): SummaryResult {
    const sel = this.select(filter);
    return 'problem' in sel ? { ok: false, problem: sel.problem } : { ok: true, summary: summarize(sel, this.view.select(null)) };
  }

  rows<T extends TableName>(filter: string | null, table: T, sort: TableSort, from: number, to: number): RowsAnswer<T> {
    const sel = this.select(filter);
    return 'problem' in sel ? { ok: false, problem: sel.problem } : { ok: true, result: tableRows(sel, table, sort, from, to) };
  }

  /** The I/O graph's series under a filter: per interval, stacked by port class or top services. */
  series(filter: string | null, options: IoSeriesOptions): SeriesAnswer {
    const sel = this.select(filter);
    return 'problem' in sel ? { ok: false, problem: sel.problem } : { ok: true, series: ioSeries(sel, options) };
  }

  /** The report as JSON, in pieces (for a Blob or a stream). */
  json(filter: string | null): Iterable<string> {
    return reportJson(this.selectOrThrow(filter));
  }

  csv(filter: string | null, kind: CsvKind): Iterable<string> {
    return csvPieces(this.selectOrThrow(filter), kind);
  }

  /** The selection under a filter (an Error naming the filter when it does not parse): for exports. */
  selection(filter: string | null): Selection {
    return this.selectOrThrow(filter);
  }

  /** Headline numbers, services and server ports: what the library lists and searches. */
  catalog(): LibrarySummary {
    const sel = this.view.select(null);
    const groups = sel.groups();
    const labels = serviceLabels();
    const bytesByService = new Map<string, number>();
    const ports = new Set<number>();
    for (let g = 0; g < groups.size; g++) {
      const k = groups.portKey[g]!;
      ports.add(k & 0xffff);
      const name = labels[k]?.name;
      if (name) bytesByService.set(name, (bytesByService.get(name) ?? 0) + groups.bytes[g]!);
    }
    return {
      packets: this.state.stats.packets,
      bytes: this.state.stats.bytes,
      flows: sel.outerRows().length,
      topServices: [...bytesByService.entries()].sort((a, b) => b[1] - a[1]).slice(0, 200).map(([name]) => name),
      ports: [...ports].sort((a, b) => a - b).slice(0, 1000),
    };
  }

  /** A firewall policy judged against every flow: counts with their filters, not the flows. */
  checkPolicy(text: string, format: PolicyFormat | null, chain: ChainChoice = 'auto'): PolicyCheckAnswer {
    return checkRules(this.view, text, format, chain);
  }

  /** A least-privilege policy from the answered services, as text in the chosen format. */
  suggestPolicy(request: SuggestRequest): PolicySuggestAnswer {
    return suggestRules(this.view, this.state.source.name, request);
  }

  encode(): ArrayBuffer {
    return encodeState(this.state);
  }

  private selectOrThrow(filter: string | null): Selection {
    const sel = this.select(filter);
    if ('problem' in sel) throw new Error(`filter ${sel.problem.filter}: column ${sel.problem.column}: ${sel.problem.message}`);
    return sel;
  }

  private select(filter: string | null): Selection | { problem: FilterProblem } {
    try {
      return this.view.select(filter);
    } catch (err) {
      if (err instanceof FilterError) return { problem: { filter: filter ?? '', column: err.column, message: err.detail } };
      throw err;
    }
  }
}
