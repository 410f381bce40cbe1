import { PORT_KEYS } from '../net/port-key';
import { hashKey } from '../tap/row-index';
import type { AddressBook } from '../views/address-book';
import type { FlowFacts } from '../views/flow-facts';
import { isHost, membership, type Cidr } from './cidr';
import { decides, isBlocking, PROTO, type Policy, type PolicyRule } from './policy';

/** What decided a flow, besides a rule index (>= 0). */
export const DECIDED = {
  /** No rule matched: the default of the flow's IP version. */
  DEFAULT: -1,
  /** The policy does not cover the flow's IP version (e.g. an iptables-save of IPv4 and an IPv6 flow). */
  OUTSIDE: -2,
  /** The row is not in the evaluated selection. */
  NOT_EVALUATED: -3,
} as const;

/** Verdicts per flow row. */
export const VERDICT = { NONE: 0, ALLOWED: 1, BLOCKED: 2 } as const;

export interface PolicyDecisions {
  /** Per flow row of the facts: the index of the rule that decided it, or a DECIDED value. */
  decidedBy: Int32Array;
  /** Per flow row: a VERDICT value. */
  verdict: Uint8Array;
}

export const EVALUATION_LIMITS = {
  /** Candidate lists longer than this are split by server host. */
  splitAt: 16,
  /** Address lookup tables (a byte per interned address and distinct block list) up to this many bytes; beyond, blocks are tested word by word. */
  tableBudget: 64 << 20,
};
const NONE = new Int32Array(0);

/**
 * Judge every flow of `rows` by the first packet its client sent (client address and port to
 * server address and port, as the server decision oriented it): the first rule that matches
 * decides, else the default of the flow's IP version. Rules are compiled once: each port key
 * (protocol and server port) maps to the few rules that can match it — split further by server
 * host when many rules name hosts, as suggested policies do — and address blocks become lookup
 * tables over the view's interned addresses, so a flow costs a few array reads per candidate.
 */
export function evaluatePolicy(policy: Policy, facts: FlowFacts, rows: Uint32Array): PolicyDecisions {
  const c = compilePolicy(policy, facts);
  const decidedBy = new Int32Array(facts.size).fill(DECIDED.NOT_EVALUATED);
  const verdict = new Uint8Array(facts.size);
  const { ipVersion, l4, serverIsA, portA, portB, addrA, addrB } = facts;
  const keys = facts.addresses.index.keys;
  const { intervalOf, candidates, byHost, wide, family, src, srcBlocks, dst, dstBlocks, sport, blocking } = c;
  const default4 = policy.defaults[4], default6 = policy.defaults[6];
  /** Does rule j match? (Port key already matched.) */
  const matches = (j: number, v: number, client: number, server: number, clientPort: number): boolean => {
    const f = family[j]!;
    if (f !== 0 && f !== v) return false;
    const s = src[j];
    if (s ? s[client] !== 1 : srcBlocks[j] && !inBlocks(srcBlocks[j]!, keys, client)) return false;
    const d = dst[j];
    if (d ? d[server] !== 1 : dstBlocks[j] && !inBlocks(dstBlocks[j]!, keys, server)) return false;
    const sp = sport[j];
    return !sp || inRanges(sp, clientPort);
  };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const v = ipVersion[r]!;
    const dflt = v === 4 ? default4 : default6;
    if (dflt === null) {
      decidedBy[r] = DECIDED.OUTSIDE;
      continue;
    }
    const sA = serverIsA[r] === 1;
    const serverPort = sA ? portA[r]! : portB[r]!;
    const clientPort = sA ? portB[r]! : portA[r]!;
    const server = sA ? addrA[r]! : addrB[r]!;
    const client = sA ? addrB[r]! : addrA[r]!;
    const interval = intervalOf[(l4[r] === 17 ? 65536 : 0) + serverPort]!;
    let by: number = DECIDED.DEFAULT;
    const hosts = byHost[interval];
    if (!hosts) {
      const cands = candidates[interval]!;
      for (let k = 0; k < cands.length; k++) {
        if (matches(cands[k]!, v, client, server, clientPort)) { by = cands[k]!; break; }
      }
    } else {
      // The rules for this server host and the rules for any host, merged in rule order.
      const a = hosts.get(server) ?? NONE, b = wide[interval]!;
      for (let x = 0, y = 0; x < a.length || y < b.length;) {
        const j = y >= b.length || (x < a.length && a[x]! < b[y]!) ? a[x++]! : b[y++]!;
        if (matches(j, v, client, server, clientPort)) { by = j; break; }
      }
    }
    decidedBy[r] = by;
    verdict[r] = (by >= 0 ? blocking[by] === 1 : dflt.action === 'deny') ? VERDICT.BLOCKED : VERDICT.ALLOWED;
  }
  return { decidedBy, verdict };
}

function inRanges(flat: Int32Array, port: number): boolean {
  for (let i = 0; i < flat.length; i += 2) if (port >= flat[i]! && port <= flat[i + 1]!) return true;
  return false;
}

/** Blocks as [version, mask0..3, word0..3] × n, tested against an interned address's words. */
function blockTest(set: Cidr[]): Uint32Array {
  const out = new Uint32Array(set.length * 9);
  set.forEach((c, i) => {
    out[i * 9] = c.version;
    for (let w = 0; w < 4; w++) {
      const bits = Math.min(32, Math.max(0, c.prefix - w * 32));
      const m = bits === 0 ? 0 : bits === 32 ? 0xffffffff : (~(0xffffffff >>> bits)) >>> 0;
      out[i * 9 + 1 + w] = m;
      out[i * 9 + 5 + w] = (c.words[w]! & m) >>> 0;
    }
  });
  return out;
}

/** Is address `id` (AddressBook keys: version, four words) in the blocks? */
function inBlocks(t: Uint32Array, keys: Uint32Array, id: number): boolean {
  const k = id * 5;
  for (let i = 0; i < t.length; i += 9) {
    if (t[i] !== keys[k]) continue;
    if (((keys[k + 1]! & t[i + 1]!) >>> 0) === t[i + 5] && ((keys[k + 2]! & t[i + 2]!) >>> 0) === t[i + 6]
      && ((keys[k + 3]! & t[i + 3]!) >>> 0) === t[i + 7] && ((keys[k + 4]! & t[i + 4]!) >>> 0) === t[i + 8]) return true;
  }
  return false;
}

interface CompiledPolicy {
  /** Port key → interval of port keys with the same candidate rules. */
  intervalOf: Uint32Array;
  /** Per interval: indices of the rules that can match it, in rule order. */
  candidates: Int32Array[];
  /** Per interval with many candidates: its rules limited to server hosts, by host address id (else null). */
  byHost: Array<Map<number, Int32Array> | null>;
  /** Per split interval: its rules for other server addresses. */
  wide: Array<Int32Array | null>;
  family: Uint8Array;
  /** Per rule: a lookup table over address ids, or blocks to test (both null: any address). */
  src: Array<Uint8Array | null>;
  srcBlocks: Array<Uint32Array | null>;
  dst: Array<Uint8Array | null>;
  dstBlocks: Array<Uint32Array | null>;
  /** Client port ranges, flat [first, last, ...]. */
  sport: Array<Int32Array | null>;
  blocking: Uint8Array;
}

/** Port keys [from, to) a rule's protocol and server ports cover. */
export function keyRanges(rule: PolicyRule): Array<[number, number]> {
  if (!decides(rule)) return [];
  const ports = rule.dport ?? [{ first: 0, last: 65535 }];
  const out: Array<[number, number]> = [];
  if (rule.protos & PROTO.TCP) for (const p of ports) out.push([p.first, p.last + 1]);
  if (rule.protos & PROTO.UDP) for (const p of ports) out.push([65536 + p.first, 65536 + p.last + 1]);
  return out;
}

/** Interned ids of a rule's server hosts (hosts the view never saw are left out); null when not all are hosts. */
function hostIds(book: AddressBook, set: Cidr[] | null): number[] | null {
  if (set === null || !set.every(isHost)) return null;
  const key = new Uint32Array(5);
  const out: number[] = [];
  for (const c of set) {
    key[0] = c.version;
    for (let w = 0; w < 4; w++) key[w + 1] = c.version === 4 && w > 0 ? 0 : c.words[w]!;
    const id = book.index.find(key, hashKey(key, 5));
    if (id >= 0) out.push(id);
  }
  return out;
}

function compilePolicy(policy: Policy, facts: FlowFacts): CompiledPolicy {
  const rules = policy.rules;
  const book = facts.addresses;
  const ranges = rules.map(keyRanges);
  const cuts = new Set<number>([0, PORT_KEYS]);
  for (const rs of ranges) for (const [a, b] of rs) { cuts.add(a); cuts.add(b); }
  const bounds = [...cuts].sort((a, b) => a - b);
  const intervals = bounds.length - 1;
  const index = new Map<number, number>();
  bounds.forEach((b, i) => index.set(b, i));
  // Each rule joins the lists of the intervals it covers (in rule order), so the work is the
  // sum of what the rules cover, not rules x intervals.
  const lists: number[][] = Array.from({ length: intervals }, () => []);
  ranges.forEach((rs, j) => {
    for (const [a, b] of rs) for (let i = index.get(a)!; i < index.get(b)!; i++) if (lists[i]!.at(-1) !== j) lists[i]!.push(j);
  });
  const intervalOf = new Uint32Array(PORT_KEYS);
  const candidates: Int32Array[] = [];
  const byHost: Array<Map<number, Int32Array> | null> = [];
  const wide: Array<Int32Array | null> = [];
  const shared = new Map<string, Int32Array>();
  const hosts = rules.map((r) => hostIds(book, r.dst));
  for (let i = 0; i < intervals; i++) {
    intervalOf.fill(i, bounds[i]!, bounds[i + 1]!);
    const list = lists[i]!;
    const key = list.join(',');
    let arr = shared.get(key);
    if (!arr) shared.set(key, (arr = Int32Array.from(list)));
    candidates.push(arr);
    if (list.length <= EVALUATION_LIMITS.splitAt) {
      byHost.push(null);
      wide.push(null);
      continue;
    }
    const map = new Map<number, number[]>();
    const rest: number[] = [];
    for (const j of list) {
      const h = hosts[j];
      if (!h) rest.push(j);
      else for (const id of h) { const l = map.get(id); if (l) l.push(j); else map.set(id, [j]); }
    }
    byHost.push(new Map([...map].map(([id, l]) => [id, Int32Array.from(l)])));
    wide.push(Int32Array.from(rest));
  }
  // Address tables, one per distinct block list, while they fit the budget; then word tests.
  const tables = new Map<string, Uint8Array>();
  const perTable = Math.max(1, book.size);
  const lookup = (set: Cidr[] | null): [Uint8Array | null, Uint32Array | null] => {
    if (set === null) return [null, null];
    const key = set.map((x) => `${x.version}:${x.words.join('.')}/${x.prefix}`).join(',');
    let t = tables.get(key);
    if (!t && (tables.size + 1) * perTable <= EVALUATION_LIMITS.tableBudget) tables.set(key, (t = membership(book, set)));
    return t ? [t, null] : [null, blockTest(set)];
  };
  const srcs = rules.map((r) => lookup(r.src)), dsts = rules.map((r) => lookup(r.dst));
  return {
    intervalOf, candidates, byHost, wide,
    family: Uint8Array.from(rules, (r) => r.family ?? 0),
    src: srcs.map((x) => x[0]), srcBlocks: srcs.map((x) => x[1]),
    dst: dsts.map((x) => x[0]), dstBlocks: dsts.map((x) => x[1]),
    sport: rules.map((r) => (r.sport ? Int32Array.from(r.sport.flatMap((p) => [p.first, p.last])) : null)),
    blocking: Uint8Array.from(rules, (r) => (isBlocking(r.action) ? 1 : 0)),
  };
}
