import { portClassName } from '../../net/port-class';
import { PORT_KEYS, portKey } from '../../net/port-key';
import { serviceLabels } from '../../net/services';
import { ATTEMPT_STATES, type FlowFacts } from '../flow-facts';
import { APP_NAMES } from '../../net/payload-signatures';
import { chainHas } from '../tunnels';
import type { Direction, FilterNode } from './filter-ast';

/** A compiled filter: does flow row r match? */
export type RowPredicate = (row: number) => boolean;

/**
 * Compile a filter to a predicate over flow rows, once: address and service tests become
 * lookup tables over interned ids and port keys, so testing a row reads a few typed arrays.
 * Directions follow packets: "src port 53" keeps a flow when some packet in it was sent from
 * port 53.
 */
export function compileFilter(node: FilterNode, facts: FlowFacts): RowPredicate {
  const t = facts.state.flows;
  const { portA, portB, addrA, addrB, l4, ipVersion, serverIsA } = facts;
  /** Does `test` hold for the end chosen by `dir`? test(true) asks about end A. */
  const ends = (dir: Direction, test: (r: number, isA: boolean) => boolean): RowPredicate => {
    switch (dir) {
      case 'either': return (r) => test(r, true) || test(r, false);
      case 'src': return (r) => (t.packetsAB(r) > 0 && test(r, true)) || (t.packetsBA(r) > 0 && test(r, false));
      case 'dst': return (r) => (t.packetsAB(r) > 0 && test(r, false)) || (t.packetsBA(r) > 0 && test(r, true));
      case 'server': return (r) => test(r, serverIsA[r] === 1);
      case 'client': return (r) => test(r, serverIsA[r] !== 1);
    }
  };
  const portTest = (proto: 'tcp' | 'udp' | null, ok: (port: number) => boolean, dir: Direction): RowPredicate => {
    const want = proto === 'tcp' ? 6 : proto === 'udp' ? 17 : 0;
    const inner = ends(dir, (r, isA) => ok(isA ? portA[r]! : portB[r]!));
    return want === 0 ? inner : (r) => l4[r] === want && inner(r);
  };
  const compile = (n: FilterNode): RowPredicate => {
    switch (n.kind) {
      case 'true': return () => true;
      case 'and': { const l = compile(n.left), r = compile(n.right); return (x) => l(x) && r(x); }
      case 'or': { const l = compile(n.left), r = compile(n.right); return (x) => l(x) || r(x); }
      case 'not': { const o = compile(n.operand); return (x) => !o(x); }
      case 'proto': { const want = n.proto === 'tcp' ? 6 : 17; return (r) => l4[r] === want; }
      case 'ipVersion': return (r) => ipVersion[r] === n.version;
      case 'class': return (r) => portClassName(portA[r]!) === n.cls || portClassName(portB[r]!) === n.cls;
      case 'service': {
        const labels = serviceLabels();
        const hit = new Uint8Array(PORT_KEYS);
        for (let k = 0; k < PORT_KEYS; k++) if (labels[k]?.name === n.name) hit[k] = 1;
        return (r) => hit[portKey(l4[r]!, portA[r]!)] === 1 || hit[portKey(l4[r]!, portB[r]!)] === 1;
      }
      case 'portRange': return portTest(n.proto, (p) => p >= n.first && p <= n.last, n.dir);
      case 'portCompare': {
        const v = n.value;
        const ok = n.op === '>' ? (p: number) => p > v : n.op === '<' ? (p: number) => p < v
          : n.op === '>=' ? (p: number) => p >= v : n.op === '<=' ? (p: number) => p <= v : (p: number) => p !== v;
        return portTest(n.proto, ok, n.dir);
      }
      case 'answer': {
        const want = ATTEMPT_STATES.indexOf(n.state);
        return (r) => facts.attempt[r] === want;
      }
      case 'payload': {
        const want = APP_NAMES.indexOf(n.app as never);
        return (r) => facts.app[r] === want;
      }
      case 'tunnel': {
        const chain = facts.chain;
        if (n.name === null) return (r) => chain[r] !== 0;
        const word = n.name;
        const memo = new Map<number, boolean>();
        return (r) => {
          const c = chain[r]!;
          if (c === 0) return false;
          let hit = memo.get(c);
          if (hit === undefined) memo.set(c, (hit = chainHas(c, word)));
          return hit;
        };
      }
      case 'time': {
        const { from, to } = n;
        return n.mode === 'during' ? (r) => t.firstTs(r) <= to && t.lastTs(r) >= from : (r) => t.firstTs(r) >= from && t.firstTs(r) <= to;
      }
      case 'net': {
        const inNet = addressesInNet(facts, n.version, n.words, n.prefix);
        return ends(n.dir, (r, isA) => inNet[isA ? addrA[r]! : addrB[r]!] === 1);
      }
    }
  };
  return compile(node);
}

/** 1 for each interned address inside the network. */
function addressesInNet(facts: FlowFacts, version: 4 | 6, net: number[], prefix: number): Uint8Array {
  const book = facts.addresses;
  const out = new Uint8Array(book.size);
  for (let id = 0; id < book.size; id++) {
    if (book.version(id) !== version) continue;
    let inside = true;
    for (let i = 0; i < net.length && inside; i++) {
      const bits = Math.min(32, Math.max(0, prefix - i * 32));
      if (bits === 0) break;
      const mask = bits === 32 ? 0xffffffff : (~(0xffffffff >>> bits)) >>> 0;
      inside = ((book.word(id, i) & mask) >>> 0) === ((net[i]! & mask) >>> 0);
    }
    if (inside) out[id] = 1;
  }
  return out;
}
