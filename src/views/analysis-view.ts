import { DEFAULT_SCAN_THRESHOLDS, type ScanThresholds } from '../schema/report';
import type { AnalysisState } from '../tap/analysis-state';
import { FlowFacts } from './flow-facts';
import { Selection } from './selection';

/** Selections kept for quick switching back (e.g. a filter and no filter). */
const KEPT_SELECTIONS = 4;

/**
 * A state with its facts computed once, and the selections asked of it (the last few are
 * kept). The state is read, never written: every filter starts again from all flows.
 */
export class AnalysisView {
  readonly facts: FlowFacts;
  private readonly selections = new Map<string, Selection>();

  constructor(readonly state: AnalysisState, readonly thresholds: ScanThresholds = DEFAULT_SCAN_THRESHOLDS) {
    this.facts = new FlowFacts(state);
  }

  /** The flows a filter keeps (FilterError when it does not parse); null or blank keeps all. */
  select(filter: string | null): Selection {
    const key = filter?.trim() ?? '';
    const hit = this.selections.get(key);
    if (hit) {
      this.selections.delete(key);
      this.selections.set(key, hit);
      return hit;
    }
    const sel = Selection.of(this.facts, key, this.thresholds);
    this.selections.set(key, sel);
    if (this.selections.size > KEPT_SELECTIONS) this.selections.delete(this.selections.keys().next().value!);
    return sel;
  }
}
