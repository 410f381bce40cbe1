import { parseIpv4, parseIpv6 } from '../../net/address';
import { APP_NAMES } from '../../net/payload-signatures';
import { TUNNEL_WORDS } from '../tunnels';
import type { Direction, FilterNode } from './filter-ast';
import { FilterError, tokenize, type Token } from './tokens';

export { FilterError };

const CLASSES = new Set(['well-known', 'registered', 'ephemeral']);

/** Wireshark field names we accept: [protocol, direction] for ports, [version, direction] for addresses. */
const WS_PORT_FIELDS: Record<string, ['tcp' | 'udp', Direction]> = {
  'tcp.port': ['tcp', 'either'], 'tcp.srcport': ['tcp', 'src'], 'tcp.dstport': ['tcp', 'dst'],
  'udp.port': ['udp', 'either'], 'udp.srcport': ['udp', 'src'], 'udp.dstport': ['udp', 'dst'],
};
const WS_ADDR_FIELDS: Record<string, [4 | 6, Direction]> = {
  'ip.addr': [4, 'either'], 'ip.src': [4, 'src'], 'ip.dst': [4, 'dst'],
  'ipv6.addr': [6, 'either'], 'ipv6.src': [6, 'src'], 'ipv6.dst': [6, 'dst'],
};

/**
 * Parse a flow filter: tcpdump's pcap-filter words for ports, hosts and nets, Porthole's own
 * words (well-known, registered, ephemeral, server port, service), the boolean operators, and
 * the Wireshark spellings tcp.port == 443 / udp.srcport == 53 / tcp.dstport in {80 443}.
 * Throws FilterError naming the column and what was expected.
 */
export function parseFilter(text: string): FilterNode {
  const p = new Parser(tokenize(text));
  if (p.peek().kind === 'end') return { kind: 'true' };
  const node = p.parseOr();
  const t = p.peek();
  if (t.kind !== 'end') {
    throw new FilterError(t.column, t.kind === 'rparen' ? "unmatched ')'" : `expected 'and', 'or' or the end, found '${t.text}'`);
  }
  return node;
}

class Parser {
  private pos = 0;
  /** For pcap-filter shorthand: "port 80 or 443" repeats the last primitive with a new value. */
  private lastPrimitive: ((t: Token) => FilterNode) | null = null;

  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  private isWord(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text.toLowerCase());
  }

  parseOr(): FilterNode {
    let left = this.parseAnd();
    for (;;) {
      const t = this.peek();
      if (!(this.isWord(t, 'or') || (t.kind === 'op' && t.text === '||'))) return left;
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
  }

  private parseAnd(): FilterNode {
    let left = this.parseNot();
    for (;;) {
      const t = this.peek();
      if (!(this.isWord(t, 'and') || (t.kind === 'op' && t.text === '&&'))) return left;
      this.next();
      left = { kind: 'and', left, right: this.parseNot() };
    }
  }

  private parseNot(): FilterNode {
    const t = this.peek();
    if (this.isWord(t, 'not') || (t.kind === 'op' && t.text === '!')) {
      this.next();
      return { kind: 'not', operand: this.parseNot() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const t = this.peek();
    if (t.kind === 'lparen') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== 'rparen') throw new FilterError(close.column, `expected ')' to close the '(' at column ${t.column}`);
      return inner;
    }
    if ((t.kind === 'number' || t.kind === 'word') && this.lastPrimitive && !this.isKeyword(t)) {
      this.next();
      return this.lastPrimitive(t);
    }
    if (t.kind !== 'word') {
      throw new FilterError(t.column, t.kind === 'end' ? 'expected a filter expression, found the end' : `expected a filter word such as 'port', 'host' or 'tcp', found '${t.text}'`);
    }
    return this.parsePrimitive();
  }

  private isKeyword(t: Token): boolean {
    return t.kind === 'word' && /^(and|or|not|tcp|udp|ip|ip6|ipv6|port|portrange|host|net|src|dst|server|client|service|well-known|registered|ephemeral|during|started|open|refused|unanswered|payload|tunnel)$/i.test(t.text)
      || (t.kind === 'word' && t.text.includes('.') && (t.text in WS_PORT_FIELDS || t.text in WS_ADDR_FIELDS));
  }

  private parsePrimitive(): FilterNode {
    const t = this.next();
    const word = t.text.toLowerCase();
    if (word in WS_PORT_FIELDS) return this.wiresharkPort(t, ...WS_PORT_FIELDS[word]!);
    if (word in WS_ADDR_FIELDS) return this.wiresharkAddr(t, ...WS_ADDR_FIELDS[word]!);
    if (CLASSES.has(word)) return { kind: 'class', cls: word as 'well-known' | 'registered' | 'ephemeral' };
    if (word === 'ip') return { kind: 'ipVersion', version: 4 };
    if (word === 'ip6' || word === 'ipv6') return { kind: 'ipVersion', version: 6 };
    if (word === 'open' || word === 'refused' || word === 'unanswered') return { kind: 'answer', state: word };
    if (word === 'payload') {
      const v = this.next();
      const app = v.text.toLowerCase();
      if (!APP_NAMES.includes(app as never) || app === '') {
        throw new FilterError(v.column, `expected a payload protocol after 'payload' (${APP_NAMES.slice(1).join(', ')})${v.kind === 'end' ? ', found the end' : `, found '${v.text}'`}`);
      }
      return { kind: 'payload', app };
    }
    if (word === 'tunnel') {
      // An optional name: `tunnel` alone is any tunnel; `tunnel vxlan` one kind, at any depth.
      const v = this.peek();
      if (v.kind === 'word' && TUNNEL_WORDS.includes(v.text.toLowerCase())) {
        this.next();
        return { kind: 'tunnel', name: v.text.toLowerCase() };
      }
      if (v.kind === 'word' && !this.isKeyword(v)) {
        throw new FilterError(v.column, `unknown tunnel '${v.text}' (${TUNNEL_WORDS.join(', ')})`);
      }
      return { kind: 'tunnel', name: null };
    }
    if (word === 'during' || word === 'started') {
      const v = this.next();
      const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(v.text);
      if (!m || Number(m[1]) > Number(m[2])) {
        throw new FilterError(v.column, `expected a time range in epoch seconds like 1700000000-1700000060.5 after '${t.text}'${v.kind === 'end' ? ', found the end' : `, found '${v.text}'`}`);
      }
      return { kind: 'time', mode: word, from: Number(m[1]), to: Number(m[2]) };
    }
    if (word === 'service') {
      const name = this.next();
      if (name.kind !== 'word' && name.kind !== 'number') throw new FilterError(name.column, "expected a service name after 'service' (e.g. https)");
      return { kind: 'service', name: name.text.toLowerCase() };
    }
    if (word === 'tcp' || word === 'udp') {
      // pcap-filter lets a protocol qualify what follows: "tcp port 80", "udp src port 53".
      const n = this.peek();
      if (this.isWord(n, 'port', 'portrange', 'src', 'dst', 'server', 'client')) {
        return { kind: 'and', left: { kind: 'proto', proto: word }, right: this.parseQualified(this.next(), word) };
      }
      return { kind: 'proto', proto: word };
    }
    return this.parseQualified(t, null);
  }

  /** [src|dst|server|client] (port N | portrange A-B | host ADDR | net CIDR). */
  private parseQualified(t: Token, proto: 'tcp' | 'udp' | null): FilterNode {
    let word = t.text.toLowerCase();
    let dir: Direction = 'either';
    let kwTok = t;
    if (word === 'src' || word === 'dst' || word === 'server' || word === 'client') {
      dir = word;
      kwTok = this.next();
      word = kwTok.text.toLowerCase();
      if (kwTok.kind !== 'word' || !['port', 'portrange', 'host', 'net'].includes(word)) {
        throw new FilterError(kwTok.column, `expected 'port', 'portrange', 'host' or 'net' after '${t.text}'${kwTok.kind === 'end' ? ', found the end' : `, found '${kwTok.text}'`}`);
      }
    }
    const valueAfter = (kw: Token) => {
      const v = this.next();
      if (v.kind === 'end') throw new FilterError(v.column, `expected a value after '${kw.text}', found the end`);
      return v;
    };
    switch (word) {
      case 'port': {
        const make = (v: Token): FilterNode => {
          const port = parsePort(v, `a port number after '${kwTok.text}'`);
          return { kind: 'portRange', dir, first: port, last: port, proto };
        };
        this.lastPrimitive = make;
        return make(valueAfter(kwTok));
      }
      case 'portrange': {
        const make = (v: Token): FilterNode => {
          const m = /^(\d+)-(\d+)$/.exec(v.text);
          if (!m) throw new FilterError(v.column, `expected a port range like 8000-8100 after '${kwTok.text}', found '${v.text}'`);
          const first = Number(m[1]), last = Number(m[2]);
          if (first > 65535 || last > 65535 || first > last) throw new FilterError(v.column, `port range '${v.text}' must be two ports 0-65535, lower first`);
          return { kind: 'portRange', dir, first, last, proto };
        };
        this.lastPrimitive = make;
        return make(valueAfter(kwTok));
      }
      case 'host':
      case 'net': {
        const make = (v: Token): FilterNode => parseNet(v, dir, word === 'host');
        this.lastPrimitive = make;
        return make(valueAfter(kwTok));
      }
      default:
        throw new FilterError(t.column, `unknown filter word '${t.text}' (try port, portrange, host, net, tcp, udp, well-known, registered, ephemeral, service, open, refused, unanswered, payload, tunnel, during, started)`);
    }
  }

  private wiresharkPort(field: Token, proto: 'tcp' | 'udp', dir: Direction): FilterNode {
    const op = this.next();
    const scoped = (n: FilterNode): FilterNode => ({ kind: 'and', left: { kind: 'proto', proto }, right: n });
    if (op.kind === 'word' && op.text.toLowerCase() === 'in') {
      const open = this.next();
      if (open.kind !== 'lbrace') throw new FilterError(open.column, `expected '{' after 'in'`);
      let node: FilterNode | null = null;
      for (;;) {
        const v = this.next();
        if (v.kind === 'rbrace') break;
        let range: FilterNode;
        const m = /^(\d+)(?:-|\.\.)(\d+)$/.exec(v.text);
        if (m) range = { kind: 'portRange', dir, first: Number(m[1]), last: Number(m[2]), proto };
        else {
          const port = parsePort(v, "a port number or '}'");
          range = { kind: 'portRange', dir, first: port, last: port, proto };
        }
        node = node ? { kind: 'or', left: node, right: range } : range;
      }
      if (!node) throw new FilterError(open.column, 'expected at least one port inside { }');
      return scoped(node);
    }
    if (op.kind !== 'op' || op.text === '!' || op.text === '&&' || op.text === '||') {
      throw new FilterError(op.column, `expected ==, !=, <, >, <=, >= or 'in' after '${field.text}'`);
    }
    const port = parsePort(this.next(), `a port number after '${op.text}'`);
    if (op.text === '==' || op.text === '=') return scoped({ kind: 'portRange', dir, first: port, last: port, proto });
    if (op.text === '!=') return scoped({ kind: 'not', operand: { kind: 'portRange', dir, first: port, last: port, proto } });
    return scoped({ kind: 'portCompare', dir, op: op.text as '>' | '<' | '>=' | '<=', value: port, proto });
  }

  private wiresharkAddr(field: Token, version: 4 | 6, dir: Direction): FilterNode {
    const op = this.next();
    if (op.kind !== 'op' || (op.text !== '==' && op.text !== '=' && op.text !== '!=')) {
      throw new FilterError(op.column, `expected == or != after '${field.text}'`);
    }
    const v = this.next();
    const node = parseNet(v, dir, false);
    if (node.kind === 'net' && node.version !== version) {
      throw new FilterError(v.column, `'${field.text}' takes an IPv${version} address, found '${v.text}'`);
    }
    return op.text === '!=' ? { kind: 'not', operand: node } : node;
  }
}

function parsePort(t: Token, expected: string): number {
  if (t.kind !== 'number') throw new FilterError(t.column, `expected ${expected}${t.kind === 'end' ? ', found the end' : `, found '${t.text}'`}`);
  const n = Number(t.text);
  if (n > 65535) throw new FilterError(t.column, `port ${t.text} is out of range 0-65535`);
  return n;
}

function parseNet(t: Token, dir: Direction, host: boolean): FilterNode {
  const [addr, prefixText] = t.text.split('/');
  if (host && prefixText !== undefined) throw new FilterError(t.column, `expected an address after 'host' (use 'net' for ${t.text})`);
  const v4 = parseIpv4(addr ?? '');
  if (v4 !== null) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new FilterError(t.column, `prefix length in '${t.text}' must be 0-32`);
    return { kind: 'net', dir, version: 4, words: [v4], prefix };
  }
  const v6 = parseIpv6(addr ?? '');
  if (v6 !== null) {
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) throw new FilterError(t.column, `prefix length in '${t.text}' must be 0-128`);
    return { kind: 'net', dir, version: 6, words: v6, prefix };
  }
  throw new FilterError(t.column, `expected an IPv4 or IPv6 address${host ? '' : ' or network (10.0.0.0/8)'}, found '${t.text || 'the end'}'`);
}
