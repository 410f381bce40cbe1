import type { PartSpec, SplitPlan } from './analysis-api';
import { readRange } from './blob-chunks';
import { pcapBoundary, pcapngBoundary, splitLayout } from './split-points';

/** Below this size one worker is as fast as several (start-up and merge costs dominate). */
export const MIN_SPLIT_BYTES = 32 * 1024 * 1024;
const HEAD_BYTES = 1024 * 1024;
const WINDOW_BYTES = 2 * 1024 * 1024;

/**
 * Cut a file into up to `wanted` parts at record boundaries found from the bytes, or say
 * why it stays in one piece. Workers then check that each part ends exactly where the next
 * begins; if not, the caller reads the file again in one piece.
 */
export async function planSplit(file: Blob, wanted: number, minBytes = MIN_SPLIT_BYTES): Promise<SplitPlan> {
  const whole = (reason: string): SplitPlan => ({ parts: [{ start: 0, end: file.size, headerLen: 0, index: 0 }], reason });
  if (wanted <= 1) return whole('one worker requested');
  if (file.size < minBytes) return whole('small file');
  const head = await readRange(file, 0, HEAD_BYTES);
  if (head[0] === 0x1f && head[1] === 0x8b) return whole('gzip-compressed (a stream cannot be split)');
  const layout = splitLayout(head);
  if (layout === null) return whole('no splittable layout found (format, sections or interface descriptions)');
  const starts = [0];
  if (file.size <= layout.headerLen + 16) return whole('no packets to share');
  for (let k = 1; k < wanted; k++) {
    const nominal = Math.floor((file.size * k) / wanted);
    const window = await readRange(file, nominal, nominal + WINDOW_BYTES);
    const at = layout.format === 'pcap' ? pcapBoundary(window, nominal, layout) : pcapngBoundary(window, nominal, layout);
    if (at === null) return whole(`no unambiguous record boundary near byte ${nominal}`);
    if (at > starts[starts.length - 1]! + layout.headerLen) starts.push(at);
  }
  const parts: PartSpec[] = starts.map((start, index) => ({
    start, end: index + 1 < starts.length ? starts[index + 1]! : file.size, headerLen: layout.headerLen, index,
  }));
  return { parts, reason: parts.length > 1 ? null : 'one part' };
}
