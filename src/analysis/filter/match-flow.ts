import { parseIpv4, parseIpv6 } from '../address';
import { portClassName } from '../port-class';
import type { FlowRecord } from '../report-types';
import { serviceFor } from '../services';
import type { Direction, FilterNode } from './filter-ast';

export type FlowPredicate = (f: FlowRecord) => boolean;

/**
 * Compile a filter to a predicate over flows. Directions follow packets: "src port 53" keeps
 * a flow when some packet in it was sent from port 53.
 */
export function compileFilter(node: FilterNode): FlowPredicate {
  const words = new Map<string, number[] | null>();
  const addrWords = (a: string): number[] | null => {
    let w = words.get(a);
    if (w === undefined) {
      const v4 = parseIpv4(a);
      w = v4 !== null ? [v4] : parseIpv6(a);
      words.set(a, w);
    }
    return w;
  };
  const compile = (n: FilterNode): FlowPredicate => {
    switch (n.kind) {
      case 'true': return () => true;
      case 'and': { const l = compile(n.left), r = compile(n.right); return (f) => l(f) && r(f); }
      case 'or': { const l = compile(n.left), r = compile(n.right); return (f) => l(f) || r(f); }
      case 'not': { const o = compile(n.operand); return (f) => !o(f); }
      case 'proto': return (f) => f.proto === n.proto;
      case 'ipVersion': return (f) => f.ipVersion === n.version;
      case 'class': return (f) => portClassName(f.aPort) === n.cls || portClassName(f.bPort) === n.cls;
      case 'service': return (f) => f.service === n.name || serviceFor(f.proto, f.aPort)?.name === n.name || serviceFor(f.proto, f.bPort)?.name === n.name;
      case 'portRange': {
        const test = (p: number) => p >= n.first && p <= n.last;
        return (f) => (n.proto === null || f.proto === n.proto) && ends(f, n.dir, (a) => test(a ? f.aPort : f.bPort));
      }
      case 'portCompare': {
        const v = n.value;
        const test = n.op === '>' ? (p: number) => p > v : n.op === '<' ? (p: number) => p < v
          : n.op === '>=' ? (p: number) => p >= v : n.op === '<=' ? (p: number) => p <= v : (p: number) => p !== v;
        return (f) => (n.proto === null || f.proto === n.proto) && ends(f, n.dir, (a) => test(a ? f.aPort : f.bPort));
      }
      case 'net':
        return (f) => f.ipVersion === n.version && ends(f, n.dir, (a) => inNet(addrWords(a ? f.a : f.b), n.words, n.prefix));
    }
  };
  return compile(node);
}

/** Does `test` hold for an end of the flow chosen by `dir`? test(true) asks about end a. */
function ends(f: FlowRecord, dir: Direction, test: (isA: boolean) => boolean): boolean {
  switch (dir) {
    case 'either': return test(true) || test(false);
    case 'src': return (f.packetsAB > 0 && test(true)) || (f.packetsBA > 0 && test(false));
    case 'dst': return (f.packetsAB > 0 && test(false)) || (f.packetsBA > 0 && test(true));
    case 'server': return test(f.server === 'a');
    case 'client': return test(f.server !== 'a');
  }
}

function inNet(addr: number[] | null, net: number[], prefix: number): boolean {
  if (addr === null || addr.length !== net.length) return false;
  for (let i = 0; i < net.length; i++) {
    const bits = Math.min(32, Math.max(0, prefix - i * 32));
    if (bits === 0) return true;
    const mask = bits === 32 ? 0xffffffff : (~(0xffffffff >>> bits)) >>> 0;
    if (((addr[i]! & mask) >>> 0) !== ((net[i]! & mask) >>> 0)) return false;
  }
  return true;
}
