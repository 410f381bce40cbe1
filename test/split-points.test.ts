// Record boundaries found from arbitrary offsets are real record starts (or no answer at all).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from '../src/decoder/capture-reader';
import { pcapBoundary, pcapngBoundary, splitLayout } from '../src/workers/split-points';
import { concat, pcapHeader, pcapRecord, udpFrame } from './helpers/capture-builder';
import { listFixtures } from './helpers/fixtures';

function recordOffsets(data: Uint8Array): Set<number> {
  const offsets = new Set<number>();
  const reader = new CaptureReader({ packet: (r) => offsets.add(r.fileOffset) });
  reader.push(data);
  reader.end();
  return offsets;
}

describe('split points', () => {
  it('on every fixture, a boundary found anywhere is a true record start', () => {
    let found = 0;
    let wrong: string[] = [];
    for (const f of listFixtures().filter((x) => !x.name.endsWith('.gz') && !x.expected.tshark.damaged)) {
      const data = new Uint8Array(readFileSync(f.path));
      const layout = splitLayout(data);
      if (!layout) continue;
      const truth = recordOffsets(data);
      for (const frac of [0.2, 0.5, 0.8]) {
        const nominal = Math.floor(data.length * frac);
        if (nominal <= layout.headerLen) continue;
        const window = data.subarray(nominal, nominal + 2 * 1024 * 1024);
        const at = layout.format === 'pcap' ? pcapBoundary(window, nominal, layout) : pcapngBoundary(window, nominal, layout);
        if (at === null) continue;
        found++;
        if (!truth.has(at)) wrong.push(`${f.name} near ${nominal}: ${at}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(found).toBeGreaterThan(300);
  });

  it('finds the boundary in a large run of identical records', () => {
    const rec = pcapRecord(true, 1700000000, 0, udpFrame([10, 0, 0, 1], [10, 0, 0, 2], 50000, 443, 1400));
    const file = concat(pcapHeader(true, 1, false, 262144), ...Array(3000).fill(rec));
    const layout = splitLayout(file)!;
    const nominal = 1_000_003;
    const at = pcapBoundary(file.subarray(nominal, nominal + 2 * 1024 * 1024), nominal, layout as never);
    expect(at).not.toBeNull();
    expect((at! - 24) % rec.length).toBe(0);
  });
});
