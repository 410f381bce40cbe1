import type { ReadOutcome } from '../decoder/capture-info';

export const EXIT = { OK: 0, USAGE: 1, DAMAGED: 2 } as const;

export class UsageError extends Error {}

/** Exit status and stderr message for how reading ended. */
export function reportOutcome(file: string, outcome: ReadOutcome, gzip = false): number {
  switch (outcome.status) {
    case 'complete':
      return EXIT.OK;
    case 'empty':
      process.stderr.write(`porthole: ${file}: the file is empty, not a capture\n`);
      return EXIT.USAGE;
    case 'not-a-capture':
      process.stderr.write(`porthole: ${file}: not a capture file: ${outcome.message}\n`);
      return EXIT.USAGE;
    default:
      process.stderr.write(`porthole: ${file}: damaged at byte ${outcome.offset}${gzip ? ' of the decompressed data' : ''}`
        + `${outcome.record !== null ? ` (record ${outcome.record})` : ''}: ${outcome.message}; `
        + `the packets before it were read\n`);
      return EXIT.DAMAGED;
  }
}

export function requireFile(args: string[]): string {
  const file = args.find((a, i) => !a.startsWith('--') || a === '-' ? !isOptionValue(args, i) : false);
  if (file === undefined) throw new UsageError('no FILE given');
  return file;
}

const OPTIONS_WITH_VALUE = new Set(['--filter', '--csv', '--top', '--scan-window', '--scan-min-ports', '--scan-min-hosts', '--scan-min-failures']);

function isOptionValue(args: string[], i: number): boolean {
  return i > 0 && OPTIONS_WITH_VALUE.has(args[i - 1]!);
}

