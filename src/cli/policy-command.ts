// porthole policy check RULES CAPTURE|STATE...   judge a firewall policy against real traffic
// porthole policy suggest CAPTURE|STATE...       a least-privilege policy from what was served
// porthole policy convert RULES --to FORMAT      the same policy in another format
import { readFileSync } from 'node:fs';
import { checkPolicy, DEFAULT_CHECK_OPTIONS } from '../policy/check-policy';
import { evaluatePolicy } from '../policy/evaluate-policy';
import { formatCheckText } from '../policy/check-text';
import { parsePolicy, sniffFormat, type ChainChoice } from '../policy/parse-policy';
import { POLICY_FORMATS, PolicyError, type PolicyFormat } from '../policy/policy';
import { renderPolicy, RenderError } from '../policy/render-rules';
import { DEFAULT_SUGGEST_OPTIONS, suggestPolicy } from '../policy/suggest-policy';
import { AnalysisView } from '../views/analysis-view';
import { FilterError, parseFilter } from '../views/filter/parse-filter';
import { EXIT, UsageError } from './exit';
import { Output } from './output';
import { readInputs } from './read-inputs';

interface Args {
  positional: string[];
  json: boolean;
  format: PolicyFormat | null;
  to: PolicyFormat | null;
  chain: ChainChoice;
  filter: string | null;
  limit: number;
  top: number;
  prefix4: number;
  prefix6: number;
  widen: boolean;
  excludeScanners: boolean;
  /** Phase times on stderr (for measuring). */
  timings: boolean;
}

const VALUED = new Set(['--format', '--to', '--chain', '--filter', '--limit', '--top', '--prefix', '--prefix6']);

function parseArgs(argv: string[]): Args {
  const a: Args = {
    positional: [], json: false, format: null, to: null, chain: 'auto', filter: null, limit: DEFAULT_CHECK_OPTIONS.limit,
    top: DEFAULT_CHECK_OPTIONS.top, prefix4: DEFAULT_SUGGEST_OPTIONS.prefix4, prefix6: DEFAULT_SUGGEST_OPTIONS.prefix6, widen: false, excludeScanners: false, timings: false,
  };
  const format = (opt: string, v: string | undefined): PolicyFormat => {
    if (!POLICY_FORMATS.includes(v as PolicyFormat)) throw new UsageError(`${opt} takes ${POLICY_FORMATS.join(', ')}`);
    return v as PolicyFormat;
  };
  const int = (opt: string, v: string | undefined, lo: number, hi: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < lo || n > hi) throw new UsageError(`${opt} takes a whole number ${lo}-${hi}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '-') {
      a.positional.push(arg);
      continue;
    }
    const v = VALUED.has(arg) ? argv[++i] : undefined;
    switch (arg) {
      case '--json': a.json = true; break;
      case '--widen': a.widen = true; break;
      case '--exclude-scanners': a.excludeScanners = true; break;
      case '--timings': a.timings = true; break;
      case '--format': a.format = format(arg, v); break;
      case '--to': a.to = format(arg, v); break;
      case '--chain':
        if (v !== 'INPUT' && v !== 'FORWARD') throw new UsageError('--chain takes INPUT or FORWARD');
        a.chain = v;
        break;
      case '--filter':
        if (v === undefined) throw new UsageError('--filter needs an expression');
        try { parseFilter(v); } catch (err) { if (err instanceof FilterError) throw new UsageError(`--filter: ${err.message}`); throw err; }
        a.filter = v;
        break;
      case '--limit': a.limit = int(arg, v, 0, 1_000_000); break;
      case '--top': a.top = int(arg, v, 1, 100_000); break;
      case '--prefix': a.prefix4 = int(arg, v, 0, 32); break;
      case '--prefix6': a.prefix6 = int(arg, v, 0, 128); break;
      default: throw new UsageError(`unknown option ${arg}`);
    }
  }
  return a;
}

export async function runPolicy(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const args = parseArgs(rest);
  switch (sub) {
    case 'check': return check(args);
    case 'suggest': return suggest(args);
    case 'convert': return convert(args);
    default: throw new UsageError(sub ? `unknown policy command "${sub}" (check, suggest, convert)` : 'policy needs a command: check, suggest or convert');
  }
}

/** Read and parse the rules file; a policy error is printed with the file name and exit 1. */
function readPolicy(file: string | undefined, args: Args) {
  if (file === undefined) throw new UsageError('no RULES file given');
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  try {
    return { policy: parsePolicy(text, args.format, args.chain) };
  } catch (err) {
    if (err instanceof PolicyError) {
      process.stderr.write(`porthole: ${file}: ${args.format ?? sniffFormat(text)} rules: ${err.message}\n`);
      return { policy: null };
    }
    throw err;
  }
}

async function check(args: Args): Promise<number> {
  const [rulesFile, ...captures] = args.positional;
  const { policy } = readPolicy(rulesFile, args);
  if (!policy) return EXIT.USAGE;
  const t0 = performance.now();
  const input = await readInputs(captures);
  if (input.status === EXIT.USAGE) return input.status;
  const t1 = performance.now();
  const sel = new AnalysisView(input.state).select(args.filter);
  const t2 = performance.now();
  // Measured alone when asked (checkPolicy evaluates again, with everything else it reports).
  if (args.timings) evaluatePolicy(policy, sel.facts, sel.rows);
  const t3 = performance.now();
  const result = checkPolicy(policy, sel, { limit: args.limit, top: args.top });
  const t4 = performance.now();
  const out = new Output();
  out.write(args.json ? `${JSON.stringify({ source: input.name, filter: sel.filter, ...result }, null, 1)}\n` : formatCheckText(result, input.name + (sel.filter ? ` (filter: ${sel.filter})` : '')));
  await out.close();
  if (args.timings) {
    const ms = (x: number) => Math.round(x * 10) / 10;
    process.stderr.write(`timings ${JSON.stringify({ readMs: ms(t1 - t0), viewMs: ms(t2 - t1), evaluateMs: ms(t3 - t2), checkMs: ms(t4 - t3), outputMs: ms(performance.now() - t4), flows: sel.rows.length, rules: policy.rules.length })}\n`);
  }
  return input.status;
}

async function suggest(args: Args): Promise<number> {
  const input = await readInputs(args.positional);
  if (input.status === EXIT.USAGE) return input.status;
  const sel = new AnalysisView(input.state).select(args.filter);
  const s = suggestPolicy(sel, { prefix4: args.prefix4, prefix6: args.prefix6, widen: args.widen, excludeScanners: args.excludeScanners });
  const format = args.format ?? 'porthole';
  const header = [
    `porthole policy suggest ${input.name}${sel.filter ? ` --filter '${sel.filter}'` : ''}: least privilege from ${sel.rows.length} flows`,
    `one rule per answered service (server host, protocol, port) allowing the clients seen${args.widen ? ` widened to /${args.prefix4} (IPv6 /${args.prefix6})` : args.prefix4 < 32 || args.prefix6 < 128 ? ` grouped by /${args.prefix4} (IPv6 /${args.prefix6})` : ''}`,
  ];
  const out = new Output();
  if (args.json) {
    out.write(`${JSON.stringify({ source: input.name, filter: sel.filter, format, services: s.services, rules: renderPolicy(s.policy, format, header) }, null, 1)}\n`);
  } else out.write(renderPolicy(s.policy, format, header));
  await out.close();
  return input.status;
}

async function convert(args: Args): Promise<number> {
  const { policy } = readPolicy(args.positional[0], args);
  if (!policy) return EXIT.USAGE;
  if (!args.to) throw new UsageError('convert needs --to porthole|iptables|nft|aws');
  try {
    process.stdout.write(renderPolicy(policy, args.to, [`converted by porthole from ${args.positional[0]} (${policy.format}, ${policy.scope})`, ...policy.notes.map((n) => `note: ${n}`)]));
  } catch (err) {
    if (err instanceof RenderError) {
      process.stderr.write(`porthole: cannot write as ${args.to}: ${err.message}\n`);
      return EXIT.USAGE;
    }
    throw err;
  }
  return EXIT.OK;
}
