const FLAG_LETTERS: Array<[number, string]> = [[0x02, 'S'], [0x10, 'A'], [0x08, 'P'], [0x01, 'F'], [0x04, 'R'], [0x20, 'U'], [0x40, 'E'], [0x80, 'C']];

/** TCP flags as letters (S A P F R U E C), or "" when none. */
export function tcpFlagLetters(flags: number | null): string {
  if (flags === null) return '';
  return FLAG_LETTERS.filter(([bit]) => flags & bit).map(([, l]) => l).join('');
}
