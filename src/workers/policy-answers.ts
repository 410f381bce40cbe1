// What the page's policy panel asks the analysis worker: a policy checked against every flow of
// the analysis, a suggested policy, a diff of two states. The rules text goes in; only the small
// result comes back (counts with their filters, the top entries, the rendered policy text).
import { checkPolicy, type PolicyCheckResult } from '../policy/check-policy';
import { diffAnalyses, DEFAULT_DIFF_OPTIONS, type AnalysisDiff } from '../policy/diff';
import { formatDiffText } from '../policy/diff-text';
import { parsePolicy, sniffFormat, type ChainChoice } from '../policy/parse-policy';
import { PolicyError, type PolicyFormat } from '../policy/policy';
import { renderPolicy, RenderError } from '../policy/render-rules';
import { DEFAULT_SUGGEST_OPTIONS, suggestPolicy, type SuggestOptions } from '../policy/suggest-policy';
import { decodeState } from '../tap/state-codec';
import { AnalysisView } from '../views/analysis-view';

/** Rules that could not be read: where (line and column, or a JSON path) and why. */
export interface PolicyProblem {
  format: PolicyFormat;
  /** 1-based; 0 for JSON input. */
  line: number;
  /** 1-based; 0 when not known. */
  column: number;
  path: string | null;
  /** Why, without the position. */
  detail: string;
  /** Position and why, as the command line prints it. */
  message: string;
}

export type PolicyCheckAnswer = { ok: true; format: PolicyFormat; result: PolicyCheckResult } | { ok: false; problem: PolicyProblem };

export interface SuggestRequest {
  format: PolicyFormat;
  excludeScanners: boolean;
  /** Client blocks of at most this prefix (IPv4); 32 = the hosts seen. */
  prefix4: number;
}

export type PolicySuggestAnswer = { ok: true; format: PolicyFormat; text: string; rules: number; services: number } | { ok: false; message: string };

export type DiffAnswer = { ok: true; diff: AnalysisDiff; text: string } | { ok: false; message: string };

/** Entries per breakdown on the page (the filters of the totals still select every flow). */
export const PAGE_CHECK_OPTIONS = { limit: 0, top: 10 };

/** Judge the rules against every flow of the analysis (not the page filter: clicking a count sets that). */
export function checkRules(view: AnalysisView, text: string, format: PolicyFormat | null, chain: ChainChoice = 'auto'): PolicyCheckAnswer {
  const used = format ?? sniffFormat(text);
  try {
    const policy = parsePolicy(text, used, chain);
    return { ok: true, format: used, result: checkPolicy(policy, view.select(null), PAGE_CHECK_OPTIONS) };
  } catch (err) {
    if (err instanceof PolicyError) {
      return { ok: false, problem: { format: used, line: err.line, column: err.column, path: err.path, detail: err.detail, message: err.message } };
    }
    throw err;
  }
}

export function suggestRules(view: AnalysisView, name: string, request: SuggestRequest): PolicySuggestAnswer {
  const sel = view.select(null);
  const options: SuggestOptions = { ...DEFAULT_SUGGEST_OPTIONS, excludeScanners: request.excludeScanners, prefix4: request.prefix4 };
  const s = suggestPolicy(sel, options);
  const header = [
    `porthole policy suggest ${name}: least privilege from ${sel.rows.length} flows`,
    `one rule per answered service (server host, protocol, port) allowing the clients seen${options.prefix4 < 32 ? ` grouped by /${options.prefix4}` : ''}`,
  ];
  try {
    return { ok: true, format: request.format, text: renderPolicy(s.policy, request.format, header), rules: s.policy.rules.length, services: s.services.length };
  } catch (err) {
    if (err instanceof RenderError) return { ok: false, message: `cannot write as ${request.format}: ${err.message}` };
    throw err;
  }
}

/** Two saved states (A before B) decoded and compared; `names` (library titles) replace the file names. */
export function diffStates(a: ArrayBuffer, b: ArrayBuffer, names: [string, string]): DiffAnswer {
  let va: AnalysisView, vb: AnalysisView;
  try {
    va = new AnalysisView(decodeState(a));
    vb = new AnalysisView(decodeState(b));
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  const diff = diffAnalyses(va, vb, DEFAULT_DIFF_OPTIONS);
  diff.a.name = names[0];
  diff.b.name = names[1];
  return { ok: true, diff, text: formatDiffText(diff) };
}
