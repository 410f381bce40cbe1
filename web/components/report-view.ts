import { LitElement } from 'lit';
import type { Report } from '../../src/schema/report';

/** Base of the components that render one property: the report (properties down). */
export class ReportView extends LitElement {
  static override properties = { report: { attribute: false } };
  declare report: Report | null;

  constructor() {
    super();
    this.report = null;
  }
}
