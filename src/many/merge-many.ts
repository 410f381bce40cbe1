// Exact merge of states of different capture files. `AnalysisState.absorb` merges parts whose
// frame numbers are already absolute; here each state's frames are first renumbered into the
// numbering of the merged file set (files in order of their first packet, see compareFiles),
// so the result does not depend on the order or grouping of the merges.
import { emptyCaptureInfo, type CaptureInfo, type ReadOutcome } from '../decoder/capture-info';
import { COMPLETE, mergeCapture, type AnalysisState, type StateFile } from '../tap/analysis-state';
import { NUM, type FlowTable } from '../tap/flow-table';
import { PACKETS_INSPECTED } from '../tap/payload-table';
import { compareFiles, counted, filesOf } from './file-entry';

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/** Identity of a file across states: its fingerprint, or (without one) the entry itself. */
type FileKey = string | StateFile;
const keyOf = (f: StateFile): FileKey => f.fingerprint ?? f;

/**
 * Merge two states (exact; associative and commutative): returns one of them, changed; the
 * other is not to be used again. Files with the same
 * fingerprint are one capture: a state whose counted files all repeat files of the other
 * adds only their names (as duplicates). States sharing some files but not all cannot be
 * merged exactly (the shared packets would count twice): a MergeError names the file.
 */
export function mergeMany(a: AnalysisState, b: AnalysisState): AnalysisState {
  const fa = filesOf(a), fb = filesOf(b);
  const inA = new Set(fa.filter(counted).map(keyOf));
  const inB = new Set(fb.filter(counted).map(keyOf));
  const sharedB = fb.filter((f) => counted(f) && inA.has(keyOf(f)));
  const all = normalize([...fa, ...fb]);
  const newStart = startsOf(all);
  let out = a;
  if (sharedB.length === 0) {
    // Files of one state all before the other's (ring buffers, mostly): the capture information
    // folds in that order without going over every file again.
    const capture = follows(fa, fb) ? mergeCapture(a.capture, b.capture) : follows(fb, fa) ? mergeCapture(b.capture, a.capture) : null;
    renumber(a, fa, newStart);
    renumber(b, fb, newStart);
    a.absorb(b);
    a.files = all;
    settle(a, capture);
    return a;
  } else if (sharedB.length === inB.size) {
    renumber(a, fa, newStart); // b repeats files of a: keep a's packets only
  } else if (fa.filter(counted).every((f) => inB.has(keyOf(f)))) {
    renumber(b, fb, newStart);
    out = b;
  } else {
    const f = sharedB[0]!;
    const g = fa.find((x) => counted(x) && keyOf(x) === keyOf(f))!;
    throw new MergeError(`${f.name} repeats ${g.name} (same fingerprint), but both states hold other files too: `
      + 'merge states of disjoint sets of files, or merge the repeated file\'s state first');
  }
  out.files = all;
  settle(out);
  return out;
}

/** Whether every counted file of `first` comes before every counted file of `then` in the merged order. */
function follows(first: StateFile[], then: StateFile[]): boolean {
  let last: StateFile | null = null, head: StateFile | null = null;
  for (const f of first) if (counted(f) && (last === null || compareFiles(f, last) > 0)) last = f;
  for (const f of then) if (counted(f) && (head === null || compareFiles(f, head) < 0)) head = f;
  return last !== null && head !== null && compareFiles(last, head) < 0;
}

/**
 * A state's source, capture information and read outcome, as its file list says (one file: its
 * own). `capture`, when given, is the fold of the counted files' capture information already.
 */
export function settle(s: AnalysisState, capture: CaptureInfo | null = null): void {
  const files = s.files;
  const live = files.filter(counted);
  if (files.length === 1) {
    s.source = { name: files[0]!.name, size: files[0]!.size };
  } else {
    s.source = { name: `${files.length} files`, size: live.every((f) => f.size !== null) ? live.reduce((t, f) => t + f.size!, 0) : null };
  }
  if (capture === null) {
    capture = emptyCaptureInfo();
    for (const f of live) capture = mergeCapture(capture, f.capture);
  }
  s.capture = capture;
  s.read = readOf(live, files.length === 1);
}

/** The first problem in file order (naming its file when there are several); complete when none. */
function readOf(live: StateFile[], single: boolean): ReadOutcome {
  if (single) return { ...live[0]!.read };
  const bad = live.find((f) => f.read.status === 'damaged' || f.read.status === 'cancelled');
  if (bad) return { ...bad.read, message: `${bad.name}: ${bad.read.message}` };
  if (live.length > 0 && live.every((f) => f.read.status === 'not-a-capture' || f.read.status === 'empty')) return { ...live[0]!.read };
  return { ...COMPLETE };
}

/** Sort by the merged order; of files with one fingerprint the first (by name) counts, the others repeat it. */
function normalize(files: StateFile[]): StateFile[] {
  const groups = new Map<string, StateFile[]>();
  for (const f of files) {
    if (f.fingerprint === null) continue;
    const g = groups.get(f.fingerprint);
    if (g) g.push(f);
    else groups.set(f.fingerprint, [f]);
  }
  const out = files.map((f) => {
    const g = f.fingerprint === null ? undefined : groups.get(f.fingerprint);
    if (!g || g.length === 1) return f.duplicateOf === null ? f : { ...f, duplicateOf: null };
    const first = g.reduce((m, x) => (compareFiles(x, m) < 0 ? x : m));
    return { ...f, duplicateOf: f === first ? null : first.name };
  });
  return out.sort(compareFiles);
}

/** First frame (minus one) of every counted file in the merged numbering, by file identity. */
function startsOf(files: StateFile[]): Map<FileKey, number> {
  const out = new Map<FileKey, number>();
  let before = 0;
  for (const f of files) {
    if (!counted(f)) continue;
    out.set(keyOf(f), before);
    before += f.packets;
  }
  return out;
}

/**
 * Move a state's frame numbers from its own numbering (its counted files in its list's order)
 * to the merged one: a frame of file i moves by (new start - old start) of file i. Monotone
 * within each file, so the minima, maxima and payload order that `absorb` compares stay exact.
 */
function renumber(s: AnalysisState, files: StateFile[], newStart: Map<FileKey, number>): void {
  const live = files.filter(counted);
  const n = live.length;
  const oldEnd = new Float64Array(n);
  const delta = new Float64Array(n);
  let before = 0, firstMoved = -1;
  for (let i = 0; i < n; i++) {
    const start = newStart.get(keyOf(live[i]!));
    if (start === undefined) throw new Error(`file ${live[i]!.name} is missing from the merged list`);
    delta[i] = start - before;
    if (delta[i] !== 0 && firstMoved < 0) firstMoved = i;
    before += live[i]!.packets;
    oldEnd[i] = before;
  }
  if (firstMoved < 0) return;
  const low = firstMoved === 0 ? 0 : oldEnd[firstMoved - 1]!;
  const move = (v: number): number => {
    if (!(v > low && v <= before)) return v; // earlier files keep their numbers; unused slots are 0
    let lo = firstMoved, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (oldEnd[mid]! >= v) hi = mid;
      else lo = mid + 1;
    }
    return v + delta[lo]!;
  };
  const table = (t: FlowTable) => {
    for (let r = 0; r < t.size; r++) {
      const o = r * NUM.STRIDE;
      t.num[o + NUM.FIRST_FRAME] = move(t.num[o + NUM.FIRST_FRAME]!);
      t.num[o + NUM.LAST_FRAME] = move(t.num[o + NUM.LAST_FRAME]!);
    }
  };
  table(s.flows);
  table(s.ipPairs);
  const p = s.payloads;
  for (let e = 0; e < p.slots * PACKETS_INSPECTED; e++) p.frames[e] = move(p.frames[e]!);
}
