import type { AnalysisState, StateFile } from '../tap/analysis-state';
import { decodeSummary } from '../views/decode-summary';
import { otherFlowsOf } from '../views/report-document';
import { warnings } from '../views/warnings';

/** The file-list entry of a state read from one capture file. */
export function fileEntryOf(state: AnalysisState, name: string, size: number | null, fingerprint: string | null): StateFile {
  const st = state.stats;
  return {
    name, size, fingerprint, capture: structuredClone(state.capture), read: { ...state.read },
    packets: st.packets, bytes: st.bytes, firstTs: st.firstTs, lastTs: st.lastTs,
    warnings: warnings(decodeSummary(st), otherFlowsOf(state), state.read, state.capture.gzip), duplicateOf: null,
  };
}

/**
 * The files of a state: its own list, or, for a state of one capture that has none (saved
 * by the page, or by a version-1 writer), one entry made from what the state knows.
 */
export function filesOf(state: AnalysisState): StateFile[] {
  if (state.files.length > 0) return state.files;
  return [fileEntryOf(state, state.source.name, state.source.size, null)];
}

/** Files whose packets are counted (not a repeat of another). */
export const counted = (f: StateFile): boolean => f.duplicateOf === null;

/** The merged numbering's order: earliest first packet, then name, then fingerprint. */
export function compareFiles(a: StateFile, b: StateFile): number {
  if (a.firstTs !== b.firstTs) return a.firstTs < b.firstTs ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const fa = a.fingerprint ?? '', fb = b.fingerprint ?? '';
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}
