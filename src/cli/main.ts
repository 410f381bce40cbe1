import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { CaptureReader } from '../decoder/capture-reader';
import { FILE_WORKER_ROLE, serveFileWorker } from '../many/file-worker';
import { MergeError } from '../many/merge-many';
import { StateFileError } from '../many/load-analysis';
import { ReadError } from '../many/read-pool';
import { readCaptureStream } from '../decoder/stream-reader';
import { runAnalyze } from './analyze-command';
import { runDiff } from './diff-command';
import { EXIT, reportOutcome, requireFile, UsageError } from './exit';
import { openByteSource, readPlainFileSync } from './file-source';
import { runInfo } from './info-command';
import { runFlows } from './flows-command';
import { runMerge } from './merge-command';
import { Output } from './output';
import { PacketPrinter } from './packets-command';
import { runPolicy } from './policy-command';

const USAGE = `usage: porthole <command> FILE [options]

commands:
  packets FILE            one JSON object per packet (NDJSON), in file order
  info FILE               what the file declares: format, sections, interfaces, counts, times
  analyze FILE|DIR...     flows, ports, services and classes as readable tables; several files
                          (directories read recursively) are one analysis, merged exactly
      --json              the whole report as JSON
      --csv flows|ports|hosts  CSV with raw numbers
      --filter EXPR       keep flows matching EXPR (e.g. "tcp and port 443")
      --top N             rows in the readable tables (default 20)
      --jobs N            files read at once, in worker threads (default: the number of cores)
      --state OUT         also write the analysis state to OUT (then stdout only with --json/--csv)
      --scan-window S     port-scan detection: attempts within S seconds (default 60)
      --scan-min-ports N  ... at least N ports on one host (default 15)
      --scan-min-hosts N  ... or one port on at least N hosts (default 15)
      --scan-min-failures R  ... with at least this share refused/unanswered (default 0.6)
  merge STATE...          merge analysis states exactly; prints like analyze (same options),
      --state OUT         or writes the merged state
  report STATE            print a saved analysis state like analyze (same options)
  flows FILE|DIR|STATE... one row per flow, streamed (see README "Exports")
      --format csv|ndjson|parquet|zeek|zeek-json  (default csv)
      -o FILE             write to FILE instead of standard output
      --filter EXPR, --jobs N
  policy check RULES CAPTURE|STATE...   judge a firewall policy against the flows
      --format porthole|iptables|nft|aws  (default: from the content)
      --chain INPUT|FORWARD  which chain of iptables/nft rules (default INPUT)
      --json, --filter EXPR, --limit N (blocked flows listed, 100), --top N (20)
  policy suggest CAPTURE|STATE...       a least-privilege allowlist from the answered services
      --format porthole|iptables|nft|aws, --prefix N (IPv4), --prefix6 N, --widen,
      --exclude-scanners, --filter EXPR, --json
  policy convert RULES --to FORMAT      the same policy in another format
  diff A B                what changed between two captures or states: exposed services,
                          clients of risky services, scanners, class split, top talkers
      --json, --filter EXPR, --top N

FILE may be "-" for standard input; gzip-compressed captures are read as they are.
Exit status: 0 read to the end, 2 damaged (what could be read is printed; stderr names the file,
the byte and the reason), 1 usage error, not a capture, or not a state.`;

async function runPackets(file: string): Promise<number> {
  const out = new Output();
  const reader = new CaptureReader(new PacketPrinter(out));
  // Plain files are read synchronously; gzip and standard input go through streams.
  if (readPlainFileSync(file, (chunk) => reader.push(chunk), () => out.flush())) {
    const outcome = reader.end();
    await out.close();
    return reportOutcome(file, outcome);
  }
  const source = await openByteSource(file);
  const outcome = await readCaptureStream(source.stream, reader, { onChunk: () => out.flush() });
  await out.close();
  return reportOutcome(source.name, outcome);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'packets':
        return await runPackets(requireFile(rest));
      case 'info':
        return await runInfo(requireFile(rest), rest.includes('--json'));
      case 'analyze':
        return await runAnalyze(rest, new URL(import.meta.url));
      case 'flows':
        return await runFlows(rest, new URL(import.meta.url));
      case 'merge':
      case 'report':
        return await runMerge(rest, command);
      case 'policy':
        return await runPolicy(rest);
      case 'diff':
        return await runDiff(rest);
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return EXIT.OK;
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`porthole: ${err.message}\n${USAGE}\n`);
      return EXIT.USAGE;
    }
    if (err instanceof StateFileError || err instanceof MergeError) {
      process.stderr.write(`porthole: ${err.message}\n`);
      return EXIT.USAGE;
    }
    if (err instanceof ReadError && err.code === null) {
      process.stderr.write(`porthole: ${err.path}: ${err.message}\n`);
      return EXIT.USAGE;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES')) {
      process.stderr.write(`porthole: ${e.path ?? ''}: ${e.code === 'ENOENT' ? 'no such file' : e.message}\n`);
      return EXIT.USAGE;
    }
    throw err;
  }
}

if (!isMainThread && workerData?.role === FILE_WORKER_ROLE) {
  // This bundle is also the reader thread of `analyze --jobs N` (src/many/read-pool.ts).
  serveFileWorker(parentPort!);
} else {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // A closed pipe (e.g. `| head`) is the reader's choice, not our failure.
    if (err.code === 'EPIPE') process.exit(EXIT.OK);
    throw err;
  });

  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => {
      process.stderr.write(`porthole: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 70;
    },
  );
}
