import type { CaptureFileRecord } from '../schema/report';
import type { StateFile } from '../tap/analysis-state';

const MAX_OVERLAP_NAMES = 20;
const time = (t: number): number | null => (Number.isFinite(t) ? t : null);

/**
 * The report's `files` section from a state's file list (kept in the merged numbering's order
 * by src/many): frame ranges from the packets of the files before each, and which files'
 * time spans overlap (strictly: a shared instant at the seam of two ring-buffer files is not).
 */
export function fileRecords(files: readonly StateFile[]): CaptureFileRecord[] {
  const n = files.length;
  const counts = new Float64Array(n);
  const names: string[][] = Array.from({ length: n }, () => []);
  // Sweep in order of first time: j overlaps i while it starts before i ends.
  const byStart = Array.from({ length: n }, (_, i) => i).filter((i) => files[i]!.duplicateOf === null && files[i]!.packets > 0)
    .sort((x, y) => files[x]!.firstTs - files[y]!.firstTs || x - y);
  for (let p = 0; p < byStart.length; p++) {
    const i = byStart[p]!;
    for (let q = p + 1; q < byStart.length; q++) {
      const j = byStart[q]!;
      if (!(files[j]!.firstTs < files[i]!.lastTs)) break;
      for (const [x, y] of [[i, j], [j, i]] as const) {
        counts[x]++;
        if (names[x]!.length < MAX_OVERLAP_NAMES) names[x]!.push(files[y]!.name);
      }
    }
  }
  let before = 0;
  return files.map((f, i) => {
    const counted = f.duplicateOf === null && f.packets > 0;
    const first = counted ? before + 1 : null;
    if (counted) before += f.packets;
    return {
      name: f.name, size: f.size, fingerprint: f.fingerprint, format: f.capture.format, gzip: f.capture.gzip,
      packets: f.packets, bytes: f.bytes, firstTime: time(f.firstTs), lastTime: time(f.lastTs),
      firstFrame: first, lastFrame: counted ? before : null,
      read: f.read, warnings: f.warnings, duplicateOf: f.duplicateOf,
      overlapCount: counts[i]!, overlaps: names[i]!.sort(),
    };
  });
}
