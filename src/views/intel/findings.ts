import type { Finding, ScanThresholds } from '../../schema/report';
import type { FlowFacts } from '../flow-facts';
import { riskyServices } from './risky';
import { detectScans } from './scans';
import { unexpectedProtocols } from './unexpected';

/** Everything port intelligence says about a selection of flows. */
export function findings(facts: FlowFacts, rows: Uint32Array, thresholds: ScanThresholds): Finding[] {
  return [...detectScans(facts, rows, thresholds), ...riskyServices(facts, rows), ...unexpectedProtocols(facts, rows)];
}
