// Porthole's own rule language, one rule a line:
//
//   allow tcp 22 from 10.0.0.0/24 to 10.0.5.0/24     # a comment
//   allow tcp port 443 to host 10.0.0.5
//   allow udp port 53,123 from net 10.0.0.0/8 port 1024-65535
//   allow established                                 # replies of allowed connections
//   deny udp any
//   default deny
//
// rule    := ACTION [ip|ip6] [PROTO [PORTS]] [port PORTS | portrange A-B] [from ADDRS [port PORTS]] [to ADDRS [port PORTS]]
// ACTION  := allow | accept | deny | drop | reject;  PROTO := tcp | udp | any
// ADDRS   := any | [host|net] ADDR[,ADDR...]  (addresses or CIDR blocks, IPv4 or IPv6)
// PORTS   := N | A-B, comma-separated
// default := default (allow|deny) [ip|ip6]
// The words are the filter language's (host, net, port, portrange, tcp, udp, ip, ip6).
import { commaParts, splitWords, type Word } from './line-words';
import { PolicyError, PROTO, type DefaultPolicy, type Policy, type PolicyRule, type PortRange, type RuleAction } from './policy';
import { parseAddress, parsePortRange, versionsIn } from './rule-values';
import type { Cidr } from './cidr';

const ACTIONS: Record<string, RuleAction> = { allow: 'allow', accept: 'allow', deny: 'deny', drop: 'deny', reject: 'reject' };

export function parsePortholeRules(text: string): Policy {
  const rules: PolicyRule[] = [];
  const defaults: Policy['defaults'] = { 4: null, 6: null };
  const notes: string[] = [];
  let pendingComment: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const { words, comment, unclosedQuoteAt } = splitWords(raw);
    if (unclosedQuoteAt !== null) throw new PolicyError(line, unclosedQuoteAt, 'unclosed quote');
    if (words.length === 0) {
      // A comment line describes the rule after it; a blank line ends that.
      if (comment !== null) pendingComment.push(comment);
      else pendingComment = [];
      return;
    }
    const first = words[0]!.text.toLowerCase();
    if (first === 'default') {
      parseDefault(words, line, defaults);
      pendingComment = [];
      return;
    }
    const rule = parseRule(words, line, raw);
    rule.comment = comment ?? (pendingComment.length ? pendingComment.join(' ') : null);
    pendingComment = [];
    rules.push(rule);
  });
  if (defaults[4] === null && defaults[6] === null) {
    notes.push("no 'default' line: flows that no rule matches are allowed");
    defaults[4] = defaults[6] = { action: 'allow', at: null };
  } else {
    for (const v of [4, 6] as const) {
      if (defaults[v] === null) {
        notes.push(`no default for IPv${v}: IPv${v} flows that no rule matches are allowed`);
        defaults[v] = { action: 'allow', at: null };
      }
    }
  }
  return {
    format: 'porthole', rules, defaults, scope: 'the rules as written (client to server)', notes,
    stateful: rules.some((r) => r.state === 'established' && r.action === 'allow'),
  };
}

function parseDefault(words: Word[], line: number, defaults: Policy['defaults']): void {
  const a = words[1];
  if (!a) throw new PolicyError(line, words[0]!.column + 7, "expected 'allow' or 'deny' after 'default'");
  const action = ACTIONS[a.text.toLowerCase()];
  if (!action) throw new PolicyError(line, a.column, `expected 'allow' or 'deny' after 'default', found '${a.text}'`);
  const d: DefaultPolicy = { action: action === 'allow' ? 'allow' : 'deny', at: `line ${line}` };
  const fam = words[2];
  let versions: Array<4 | 6> = [4, 6];
  if (fam) {
    const f = fam.text.toLowerCase();
    if (f === 'ip') versions = [4];
    else if (f === 'ip6' || f === 'ipv6') versions = [6];
    else throw new PolicyError(line, fam.column, `expected 'ip', 'ip6' or the end after the default action, found '${fam.text}'`);
  }
  if (words[3]) throw new PolicyError(line, words[3].column, `unexpected '${words[3].text}' after the default policy`);
  for (const v of versions) {
    if (defaults[v] !== null) throw new PolicyError(line, words[0]!.column, `a second default for IPv${v} (the first is at ${defaults[v]!.at})`);
    defaults[v] = d;
  }
}

function parseRule(words: Word[], line: number, raw: string): PolicyRule {
  const head = words[0]!;
  const action = ACTIONS[head.text.toLowerCase()];
  if (!action) throw new PolicyError(line, head.column, `expected a rule (allow, deny, reject) or 'default', found '${head.text}'`);
  const rule: PolicyRule = {
    line, at: `line ${line}`, text: raw.replace(/#.*$/, '').trim(), action, protos: PROTO.ANY, family: null,
    src: null, dst: null, sport: null, dport: null, state: 'new', comment: null,
  };
  const seen = new Map<string, Word>();
  const once = (key: string, w: Word) => {
    const before = seen.get(key);
    if (before) throw new PolicyError(line, w.column, `'${w.text}' repeats what column ${before.column} said`);
    seen.set(key, w);
  };
  let i = 1;
  const next = (after: Word, what: string): Word => {
    const w = words[i++];
    if (!w) throw new PolicyError(line, after.column + after.text.length + 1, `expected ${what} after '${after.text}', found the end`);
    return w;
  };
  const ports = (w: Word): PortRange[] => commaParts(w).map((p) => parsePortRange(p, line, '-'));
  /** "port 80,443" or "portrange 8000-8100" at words[i], if there. */
  const portWords = (): PortRange[] | null => {
    const w = words[i];
    const k = w?.text.toLowerCase();
    if (k !== 'port' && k !== 'portrange') return null;
    i++;
    return ports(next(w!, k === 'port' ? 'a port (22, 80,443 or 8000-8100)' : 'a port range (8000-8100)'));
  };
  const addresses = (after: Word): Cidr[] | null => {
    let w = next(after, "'any', an address or a network");
    const k = w.text.toLowerCase();
    if (k === 'any') return null;
    if (k === 'host' || k === 'net') w = next(w, k === 'host' ? 'an address' : 'a network (10.0.0.0/8)');
    const out = commaParts(w).flatMap((p) => parseAddress(p, line));
    if (k === 'host' && out.some((c) => c.prefix !== (c.version === 4 ? 32 : 128))) {
      throw new PolicyError(line, w.column, `'host' takes addresses, not networks (use 'net' for ${w.text})`);
    }
    return out;
  };
  while (i < words.length) {
    const w = words[i++]!;
    const k = w.text.toLowerCase();
    if (k === 'tcp' || k === 'udp') {
      once('proto', w);
      rule.protos = k === 'tcp' ? PROTO.TCP : PROTO.UDP;
      if (words[i] && /^\d/.test(words[i]!.text)) {
        once('port', words[i]!);
        rule.dport = ports(words[i++]!);
      }
    } else if (k === 'any') {
      // "deny udp any", "allow any": no further restriction.
    } else if (k === 'ip' || k === 'ip6' || k === 'ipv6') {
      once('family', w);
      rule.family = k === 'ip' ? 4 : 6;
    } else if (k === 'established' || k === 'related' || k === 'established,related') {
      once('state', w);
      rule.state = 'established';
    } else if (k === 'port' || k === 'portrange') {
      once('port', w);
      i--;
      rule.dport = portWords();
    } else if (k === 'from' || k === 'to') {
      once(k, w);
      const set = addresses(w);
      const p = portWords();
      if (k === 'from') {
        rule.src = set;
        rule.sport = p;
      } else {
        rule.dst = set;
        if (p) {
          if (rule.dport) throw new PolicyError(line, w.column, 'the server port is given twice');
          rule.dport = p;
        }
      }
    } else if (/^\d/.test(k)) {
      throw new PolicyError(line, w.column, `a port number needs a protocol before it ('tcp ${w.text}') or the word 'port'`);
    } else {
      throw new PolicyError(line, w.column, `unknown word '${w.text}' (expected tcp, udp, any, ip, ip6, port, portrange, from, to, established)`);
    }
  }
  if (rule.state === 'established' && (rule.src || rule.dst || rule.dport || rule.sport || rule.protos !== PROTO.ANY)) {
    throw new PolicyError(line, seen.get('state')!.column, "'established' stands alone: it lets the replies of allowed connections through");
  }
  checkVersions(rule, words, line);
  return rule;
}

/** A rule whose addresses or family cannot agree would never match: say so. */
export function checkVersions(rule: PolicyRule, words: Word[], line: number): void {
  const col = words[0]!.column;
  const sv = rule.src ? versionsIn(rule.src) : null, dv = rule.dst ? versionsIn(rule.dst) : null;
  for (const [name, v] of [['from', sv], ['to', dv]] as const) {
    if (v && rule.family !== null && !v.has(rule.family)) {
      throw new PolicyError(line, col, `the '${name}' addresses are not IPv${rule.family}: the rule could never match`);
    }
  }
  if (sv && dv && ![...sv].some((v) => dv.has(v))) {
    throw new PolicyError(line, col, "the 'from' and 'to' addresses are of different IP versions: the rule could never match");
  }
}
