// The progress line of porthole analyze over many files (drawn only on a terminal).
import { describe, expect, it } from 'vitest';
import { formatSeconds, Progress } from '../src/many/progress';

function fakeStream(tty: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY: tty, write: (s: string) => { written.push(s); return true; } } as unknown as NodeJS.WriteStream };
}

describe('progress on stderr', () => {
  it('says files done, bytes, rate and time left, and clears its line at the end', () => {
    const { written, stream } = fakeStream(true);
    const p = new Progress(4, 4_000_000, stream);
    p.bytesOf(0, 500_000);
    p.fileDone(0, 1_000_000);
    p.bytesOf(1, 1_000_000);
    const line = p.line(performance.now() + 2000);
    expect(line).toMatch(/^1\/4 files, 2\.0 MB of 4\.0 MB, [\d.]+ (kB|MB)\/s, about \d+ s left$/);
    expect(written.length).toBeGreaterThan(0);
    expect(written[0]).toMatch(/^\r\x1b\[K0\/4 files/);
    p.done();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('writes nothing when stderr is not a terminal', () => {
    const { written, stream } = fakeStream(false);
    const p = new Progress(2, 100, stream);
    p.fileDone(0, 50);
    p.fileDone(1, 50);
    p.done();
    expect(written).toEqual([]);
  });

  it('formats times left', () => {
    expect(formatSeconds(4.2)).toBe('5 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(7300)).toBe('2 h 2 min');
  });
});
