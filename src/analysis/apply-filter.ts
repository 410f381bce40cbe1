import { deriveAggregates } from './derive-report';
import { compileFilter } from './filter/match-flow';
import { parseFilter } from './filter/parse-filter';
import type { Report } from './report-types';

/**
 * The report under a flow filter: flows that match, and ports, classes and hosts recomputed
 * from them. Totals, decode statistics and the time series still describe the whole capture.
 * Roles are kept from the whole capture (a filter must not change who is the server).
 */
export function applyFilter(report: Report, expression: string): Report {
  const keep = compileFilter(parseFilter(expression));
  const filtered: Report = { ...report, flows: report.flows.filter(keep), filter: expression.trim() || null };
  return deriveAggregates(filtered);
}
