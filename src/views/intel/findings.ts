import type { Finding, ScanThresholds } from '../../schema/report';
import type { FlowFacts } from '../flow-facts';
import { riskyServices } from './risky';
import { detectScans } from './scans';
import { unexpectedProtocols } from './unexpected';

const SEVERITY_RANK: Record<Finding['severity'], number> = { high: 0, medium: 1, low: 2 };

/** Everything port intelligence says about a selection of flows, most severe first (stable within a severity). */
export function findings(facts: FlowFacts, rows: Uint32Array, thresholds: ScanThresholds): Finding[] {
  const all = [...detectScans(facts, rows, thresholds), ...riskyServices(facts, rows), ...unexpectedProtocols(facts, rows)];
  return all.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}
