import { LitElement } from 'lit';
import type { AnalysisSummary } from '../../src/views/summary';

/** Base of the components that render one property: the analysis summary (properties down). */
export class SummaryView extends LitElement {
  static override properties = { summary: { attribute: false } };
  declare summary: AnalysisSummary | null;

  constructor() {
    super();
    this.summary = null;
  }
}
