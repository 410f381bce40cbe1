// The common subset of `nft list ruleset`: ip, ip6 and inet tables with filter chains hooked
// at input or forward, their policy, and rules made of ip/ip6 saddr/daddr (addresses, blocks,
// ranges, anonymous sets), tcp/udp/th dport/sport (ports, ranges, sets, service names), meta
// l4proto / ip protocol / ip6 nexthdr, ct state, iif lo, ICMP types, counter, log, comment and
// accept|drop|reject. Anything else is an error at its line and column.
import { serviceLabels } from '../net/services';
import { parseCidr, type Cidr } from './cidr';
import { PolicyError, PROTO, type DefaultPolicy, type Policy, type PolicyRule, type PortRange, type RuleAction } from './policy';
import type { ChainChoice } from './parse-iptables';
import { parseAddress, parsePortRange } from './rule-values';
import type { Word } from './line-words';

interface Token extends Word {
  kind: 'word' | 'string' | '{' | '}' | ',' | ';';
}

const LOOPBACK: Record<4 | 6, Cidr> = { 4: parseCidr('127.0.0.0/8')!, 6: parseCidr('::1/128')! };
const L4: Record<string, number> = { tcp: PROTO.TCP, udp: PROTO.UDP, icmp: PROTO.OTHER, 'ipv6-icmp': PROTO.OTHER, icmpv6: PROTO.OTHER };
const VERDICTS: Record<string, RuleAction> = { accept: 'allow', drop: 'deny', reject: 'reject' };

/** Does the text look like `nft list ruleset` output? */
export function looksLikeNft(text: string): boolean {
  return /^\s*table\s+(ip|ip6|inet|arp|bridge|netdev)\s+\S+\s*\{/m.test(text);
}

function tokenize(raw: string, line: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
    if (ch === '#') break;
    const column = i + 1;
    if (ch === '{' || ch === '}' || ch === ',' || ch === ';') {
      out.push({ kind: ch, text: ch, column, quoted: false });
      i++;
      continue;
    }
    if (ch === '"') {
      const end = raw.indexOf('"', i + 1);
      if (end < 0) throw new PolicyError(line, column, 'unclosed quote');
      out.push({ kind: 'string', text: raw.slice(i + 1, end), column, quoted: true });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < raw.length && !' \t\r{},;"#'.includes(raw[j]!)) j++;
    out.push({ kind: 'word', text: raw.slice(i, j), column, quoted: false });
    i = j;
  }
  return out;
}

interface Chain {
  name: string;
  line: number;
  type: string | null;
  hook: string | null;
  policy: DefaultPolicy | null;
  rules: PolicyRule[];
}

interface Table {
  family: string;
  name: string;
  line: number;
  chains: Chain[];
}

let serviceNames: Map<string, number> | null = null;
/** Port of an IANA service name ("ssh" → 22), as older nft versions print them. */
function servicePort(name: string, proto: 'tcp' | 'udp'): number | null {
  if (!serviceNames) {
    serviceNames = new Map();
    serviceLabels().forEach((l, k) => {
      if (!l) return;
      const key = `${k >= 65536 ? 'udp' : 'tcp'}:${l.name}`;
      if (!serviceNames!.has(key)) serviceNames!.set(key, k & 0xffff);
    });
  }
  return serviceNames.get(`${proto}:${name.toLowerCase()}`) ?? null;
}

export function parseNftRuleset(text: string, choice: ChainChoice = 'auto'): Policy {
  const tables: Table[] = [];
  let table: Table | null = null;
  let chain: Chain | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const t = tokenize(raw, line);
    if (t.length === 0) return;
    const first = t[0]!;
    if (first.kind === '}') {
      if (t.length > 1) throw new PolicyError(line, t[1]!.column, `unexpected '${t[1]!.text}' after '}'`);
      if (chain) chain = null;
      else if (table) { tables.push(table); table = null; }
      else throw new PolicyError(line, first.column, "'}' closes nothing");
      return;
    }
    if (!table) {
      if (first.text !== 'table') throw new PolicyError(line, first.column, `expected 'table FAMILY NAME {', found '${first.text}'`);
      const fam = t[1], name = t[2], open = t[3];
      if (!fam || !name || open?.kind !== '{' || t.length > 4) throw new PolicyError(line, first.column, "expected 'table FAMILY NAME {'");
      if (!['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'].includes(fam.text)) throw new PolicyError(line, fam.column, `unknown table family '${fam.text}'`);
      table = { family: fam.text, name: name.text, line, chains: [] };
      return;
    }
    const tb: Table = table;
    if (!chain) {
      if (first.text === 'chain') {
        const name = t[1], open = t[2];
        if (!name || open?.kind !== '{' || t.length > 3) throw new PolicyError(line, first.column, "expected 'chain NAME {'");
        chain = { name: name.text, line, type: null, hook: null, policy: null, rules: [] };
        tb.chains.push(chain);
        return;
      }
      if (first.text === 'comment' || first.text === 'flags') return;
      throw new PolicyError(line, first.column, `'${first.text}' in a table is not supported (only chains; named sets, maps and objects are not)`);
    }
    const ch: Chain = chain;
    if (first.text === 'type' || first.text === 'policy') {
      parseChainHeader(t, line, ch);
      return;
    }
    if (first.text === 'comment') return;
    if (!['ip', 'ip6', 'inet'].includes(tb.family)) throw new PolicyError(line, first.column, `table family ${tb.family} is not supported (ip, ip6, inet)`);
    // Rules of nat and route chains translate or mark: counted (and said), not read.
    if (ch.type !== null && ch.type !== 'filter') ch.rules.push(placeholder(line, raw));
    else ch.rules.push(parseRule(t, line, raw, tb));
  });
  if (chain) throw new PolicyError((chain as Chain).line, 1, `chain ${(chain as Chain).name} is not closed`);
  if (table) throw new PolicyError((table as Table).line, 1, `table ${(table as Table).name} is not closed`);
  return assemble(tables, choice);
}

function placeholder(line: number, raw: string): PolicyRule {
  return { line, at: `line ${line}`, text: raw.trim(), action: 'allow', protos: 0, family: null, src: null, dst: null, sport: null, dport: null, state: 'established', comment: null };
}

function parseChainHeader(t: Token[], line: number, chain: Chain): void {
  for (let i = 0; i < t.length;) {
    const w = t[i++]!;
    if (w.kind === ';') continue;
    if (w.text === 'type') {
      const type = t[i++], hookWord = t[i++], hook = t[i++];
      if (!type || hookWord?.text !== 'hook' || !hook) throw new PolicyError(line, w.column, "expected 'type filter hook input priority ...;'");
      chain.type = type.text;
      chain.hook = hook.text;
      if (t[i]?.text === 'device') i += 2;
      if (t[i]?.text !== 'priority') throw new PolicyError(line, t[i]?.column ?? w.column, "expected 'priority' after the hook");
      i++;
      while (i < t.length && t[i]!.kind !== ';') i++;
    } else if (w.text === 'policy') {
      const p = t[i++];
      if (p?.text !== 'accept' && p?.text !== 'drop') throw new PolicyError(line, p?.column ?? w.column, "expected 'policy accept' or 'policy drop'");
      chain.policy = { action: p.text === 'accept' ? 'allow' : 'deny', at: `line ${line} (chain ${chain.name} policy ${p.text})` };
    } else throw new PolicyError(line, w.column, `unexpected '${w.text}' in the chain's header`);
  }
}

function parseRule(t: Token[], line: number, raw: string, table: Table): PolicyRule {
  const rule: PolicyRule = {
    line, at: `line ${line}`, text: raw.replace(/#.*$/, '').trim(), action: 'allow', protos: PROTO.ANY,
    family: table.family === 'ip' ? 4 : table.family === 'ip6' ? 6 : null,
    src: null, dst: null, sport: null, dport: null, state: 'new', comment: null,
  };
  let verdict: Token | null = null;
  let protoAt: Token | null = null;
  let i = 0;
  const next = (after: Token, what: string): Token => {
    const v = t[i++];
    if (!v) throw new PolicyError(line, after.column + after.text.length + 1, `expected ${what} after '${after.text}'`);
    if (v.text === '!=' || v.text.startsWith('!')) throw new PolicyError(line, v.column, "negation ('!=') is not supported");
    if (['==', 'eq'].includes(v.text)) return next(v, what);
    return v;
  };
  /** One value or an anonymous set "{ a, b }". */
  const values = (after: Token, what: string): Token[] => {
    const v = next(after, what);
    if (v.text.startsWith('@')) throw new PolicyError(line, v.column, 'named sets are not supported');
    if (v.kind !== '{') {
      if (v.kind !== 'word') throw new PolicyError(line, v.column, `expected ${what}, found '${v.text}'`);
      // nft prints short lists without braces: "ct state established,related".
      const list = [v];
      while (t[i]?.kind === ',' && t[i + 1]?.kind === 'word') {
        list.push(t[i + 1]!);
        i += 2;
      }
      return list;
    }
    const out: Token[] = [];
    for (;;) {
      const x = t[i++];
      if (!x) throw new PolicyError(line, v.column, "the set has no closing '}'");
      if (x.kind === '}') break;
      if (x.kind === ',') continue;
      if (x.kind !== 'word') throw new PolicyError(line, x.column, `expected ${what} in the set, found '${x.text}'`);
      out.push(x);
    }
    if (out.length === 0) throw new PolicyError(line, v.column, 'empty set');
    return out;
  };
  const setFamily = (w: Token, fam: 4 | 6) => {
    if (rule.family !== null && rule.family !== fam) throw new PolicyError(line, w.column, `'${w.text}' is IPv${fam} but the rule is IPv${rule.family}`);
    rule.family = fam;
  };
  const setProto = (w: Token, bits: number) => {
    if (protoAt && rule.protos !== bits) throw new PolicyError(line, w.column, `the protocol is already ${protoAt.text}`);
    rule.protos = bits;
    protoAt = w;
  };
  /** A capture has no interfaces: loopback is the one we can tell, by its addresses. */
  const loopback = (w: Token) => {
    const v = next(w, 'an interface');
    if (v.text !== 'lo') throw new PolicyError(line, v.column, `interface '${v.text}' cannot be told from a capture (only lo, as the loopback addresses)`);
    if (rule.src) throw new PolicyError(line, w.column, `'${w.text} lo' together with 'saddr' is not supported`);
    rule.src = rule.family === 4 ? [LOOPBACK[4]] : rule.family === 6 ? [LOOPBACK[6]] : [LOOPBACK[4], LOOPBACK[6]];
  };
  while (i < t.length) {
    const w = t[i++]!;
    if (w.kind === ';') continue;
    if (w.kind !== 'word') throw new PolicyError(line, w.column, `unexpected '${w.text}'`);
    switch (w.text) {
      case 'ip': case 'ip6': {
        const fam = w.text === 'ip' ? 4 : 6;
        const field = next(w, "'saddr', 'daddr', 'protocol' or 'nexthdr'");
        setFamily(w, fam);
        if (field.text === 'saddr' || field.text === 'daddr') {
          const set = values(field, 'an address').flatMap((v) => parseAddress(v, line, true));
          const bad = set.find((c) => c.version !== fam);
          if (bad) throw new PolicyError(line, field.column, `${w.text} ${field.text} takes IPv${fam} addresses`);
          if ((field.text === 'saddr' ? rule.src : rule.dst) !== null) throw new PolicyError(line, field.column, `a second '${field.text}' match in one rule is not supported`);
          if (field.text === 'saddr') rule.src = set; else rule.dst = set;
        } else if ((field.text === 'protocol' && fam === 4) || (field.text === 'nexthdr' && fam === 6)) {
          setProto(field, protoBits(values(field, 'a protocol'), line));
        } else throw new PolicyError(line, field.column, `'${w.text} ${field.text}' is not supported`);
        break;
      }
      case 'meta': {
        const field = next(w, "'l4proto'");
        if (field.text === 'l4proto') setProto(field, protoBits(values(field, 'a protocol'), line));
        else if (field.text === 'iif' || field.text === 'iifname') loopback(field);
        else if (field.text === 'nfproto') {
          const v = next(field, 'ipv4 or ipv6');
          if (v.text !== 'ipv4' && v.text !== 'ipv6') throw new PolicyError(line, v.column, "expected 'ipv4' or 'ipv6'");
          setFamily(v, v.text === 'ipv4' ? 4 : 6);
        } else throw new PolicyError(line, field.column, `'meta ${field.text}' is not supported`);
        break;
      }
      case 'tcp': case 'udp': case 'th': {
        const field = next(w, "'dport' or 'sport'");
        if (field.text !== 'dport' && field.text !== 'sport') throw new PolicyError(line, field.column, `'${w.text} ${field.text}' is not supported (dport, sport)`);
        if (w.text === 'th') {
          if (!protoAt || (rule.protos & ~(PROTO.TCP | PROTO.UDP)) !== 0) throw new PolicyError(line, w.column, "'th' needs 'meta l4proto { tcp, udp }' before it");
        } else setProto(w, w.text === 'tcp' ? PROTO.TCP : PROTO.UDP);
        const protoName = w.text === 'udp' ? 'udp' : 'tcp';
        const ports = values(field, 'a port').map((v) => portValue(v, line, protoName));
        if ((field.text === 'dport' ? rule.dport : rule.sport) !== null) throw new PolicyError(line, field.column, `a second '${field.text}' match in one rule is not supported`);
        if (field.text === 'dport') rule.dport = ports; else rule.sport = ports;
        break;
      }
      case 'icmp': case 'icmpv6': {
        setFamily(w, w.text === 'icmp' ? 4 : 6);
        setProto(w, PROTO.OTHER);
        const field = next(w, "'type'");
        if (field.text !== 'type' && field.text !== 'code') throw new PolicyError(line, field.column, `'${w.text} ${field.text}' is not supported`);
        values(field, 'an ICMP type');
        break;
      }
      case 'ct': {
        const field = next(w, "'state'");
        if (field.text !== 'state') throw new PolicyError(line, field.column, `'ct ${field.text}' is not supported (ct state)`);
        const states = values(field, 'a state');
        for (const s of states) if (!['new', 'established', 'related', 'invalid'].includes(s.text)) throw new PolicyError(line, s.column, `connection state '${s.text}' is not supported (new, established, related, invalid)`);
        rule.state = states.some((s) => s.text === 'new') ? 'new' : 'established';
        break;
      }
      case 'iif': case 'iifname':
        loopback(w);
        break;
      case 'oif': case 'oifname':
        throw new PolicyError(line, w.column, 'output interfaces cannot be told from a capture');
      case 'counter':
        // Counts packets, decides nothing: "counter" or "counter packets N bytes M".
        if (t[i]?.text === 'packets') i += 4;
        break;
      case 'log':
        while (t[i] && ['prefix', 'level', 'flags', 'group'].includes(t[i]!.text)) i += 2;
        break;
      case 'comment':
        rule.comment = next(w, 'a quoted comment').text;
        break;
      case 'accept': case 'drop': case 'reject':
        if (verdict) throw new PolicyError(line, w.column, `a second verdict (the first is '${verdict.text}')`);
        verdict = w;
        rule.action = VERDICTS[w.text]!;
        // "reject with icmpx type port-unreachable" / "reject with tcp reset": how, not whether.
        if (w.text === 'reject' && t[i]?.text === 'with') while (i < t.length && t[i]!.text !== 'comment') i++;
        break;
      default:
        throw new PolicyError(line, w.column, `'${w.text}' is not supported`);
    }
  }
  if (!verdict) throw new PolicyError(line, t[0]!.column, 'the rule has no verdict (accept, drop or reject)');
  if (rule.src && rule.dst && !rule.src.some((s) => rule.dst!.some((d) => d.version === s.version))) {
    throw new PolicyError(line, t[0]!.column, 'source and destination are of different IP versions: the rule could never match');
  }
  return rule;
}

function protoBits(vals: Token[], line: number): number {
  let bits = 0;
  for (const v of vals) {
    const b = L4[v.text] ?? (v.text === '6' ? PROTO.TCP : v.text === '17' ? PROTO.UDP : v.text === '1' || v.text === '58' ? PROTO.OTHER : undefined);
    if (b === undefined) throw new PolicyError(line, v.column, `protocol '${v.text}' is not supported (tcp, udp, icmp, ipv6-icmp)`);
    bits |= b;
  }
  return bits;
}

function portValue(v: Token, line: number, proto: 'tcp' | 'udp'): PortRange {
  if (/^[a-z][a-z0-9-]*$/i.test(v.text) && !/^\d/.test(v.text)) {
    const [a, b] = v.text.split('-');
    const pa = servicePort(v.text, proto);
    if (pa !== null) return { first: pa, last: pa };
    if (a && b) {
      const x = servicePort(a, proto), y = servicePort(b, proto);
      if (x !== null && y !== null && x <= y) return { first: x, last: y };
    }
    throw new PolicyError(line, v.column, `unknown ${proto} service name '${v.text}'`);
  }
  return parsePortRange(v, line, '-');
}

function assemble(tables: Table[], choice: ChainChoice): Policy {
  const notes: string[] = [];
  const hook = choice === 'FORWARD' ? 'forward' : choice === 'INPUT' ? 'input' : null;
  const filterChains: Array<{ table: Table; chain: Chain }> = [];
  for (const tb of tables) {
    for (const c of tb.chains) {
      if (c.type === null) {
        if (c.rules.length) throw new PolicyError(c.line, 1, `chain ${c.name} has no hook: regular chains (jump targets) are not supported`);
        continue;
      }
      if (!['ip', 'ip6', 'inet'].includes(tb.family)) {
        if (c.rules.length) throw new PolicyError(c.line, 1, `table family ${tb.family} is not supported (ip, ip6, inet)`);
        continue;
      }
      if (c.type !== 'filter') {
        notes.push(`chain ${c.name} of table ${tb.family} ${tb.name} (type ${c.type}, ${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}) does not filter: not evaluated`);
        continue;
      }
      if (c.hook === 'output' || c.hook === 'postrouting') {
        if (c.rules.length) throw new PolicyError(c.rules[0]!.line, 1, `${c.hook} rules judge what the host sends; only input and forward chains (arriving connections) are supported`);
        continue;
      }
      if (c.hook !== 'input' && c.hook !== 'forward') {
        if (c.rules.length) throw new PolicyError(c.line, 1, `hook ${c.hook} is not supported (input, forward)`);
        continue;
      }
      filterChains.push({ table: tb, chain: c });
    }
  }
  let useHook = hook;
  if (useHook === null) {
    const input = filterChains.filter((x) => x.chain.hook === 'input');
    const forward = filterChains.filter((x) => x.chain.hook === 'forward');
    const inputOpen = input.every((x) => x.chain.rules.length === 0 && x.chain.policy?.action !== 'deny');
    useHook = inputOpen && forward.some((x) => x.chain.rules.length > 0) ? 'forward' : 'input';
  }
  const defaults: Policy['defaults'] = { 4: null, 6: null };
  const rules: PolicyRule[] = [];
  const used: string[] = [];
  for (const { table: tb, chain: c } of filterChains) {
    if (c.hook !== useHook) {
      notes.push(`chain ${c.name} of table ${tb.family} ${tb.name} (hook ${c.hook}, ${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}) is not evaluated: choose it with --chain ${c.hook!.toUpperCase()}`);
      continue;
    }
    const fams: Array<4 | 6> = tb.family === 'ip' ? [4] : tb.family === 'ip6' ? [6] : [4, 6];
    for (const f of fams) {
      if (defaults[f] !== null) throw new PolicyError(c.line, 1, `a second ${useHook} chain for IPv${f} (${used.join(', ')}): only one base chain per hook is supported`);
      defaults[f] = c.policy ?? { action: 'allow', at: null };
    }
    used.push(`${tb.family} ${tb.name} ${c.name}`);
    rules.push(...c.rules);
  }
  if (used.length === 0) throw new PolicyError(1, 1, `no filter chain hooked at ${useHook}`);
  return {
    format: 'nft', rules, defaults, scope: `hook ${useHook} (${used.join('; ')})`, notes,
    stateful: rules.some((r) => r.state === 'established' && r.action === 'allow' && r.protos === PROTO.ANY && !r.src && !r.dst),
  };
}
