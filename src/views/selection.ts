import { DEFAULT_SCAN_THRESHOLDS, type Finding, type ScanThresholds } from '../schema/report';
import { classSplit, type ClassSplit } from './class-split';
import type { FlowFacts } from './flow-facts';
import { compileFilter } from './filter/match-flow';
import { parseFilter } from './filter/parse-filter';
import { hostTotals, type HostTotals } from './host-totals';
import { findings } from './intel/findings';
import { portTotals, type PortTotals } from './port-totals';
import { portRecordList, type PortRows } from './records';
import { serviceGroups, type ServiceGroups } from './service-groups';

/**
 * The flows a filter keeps (row numbers in natural order) and the aggregates over them, each
 * computed on first use and kept. The state and its facts are never modified: clearing the
 * filter is selecting again, with nothing to undo.
 */
export class Selection {
  private portsCache: PortTotals | null = null;
  private groupsCache: ServiceGroups | null = null;
  private hostsCache: HostTotals | null = null;
  private classesCache: ClassSplit | null = null;
  private findingsCache: Finding[] | null = null;
  private exposureCache: Uint32Array | null = null;
  private outerCache: Uint32Array | null = null;
  private tunnelPortsCache: Array<{ chain: number; ports: PortTotals }> | null = null;
  private portRowsCache: PortRows | null = null;
  /** Row orders by sort key, for tables that page through them. */
  readonly orders = new Map<string, Uint32Array>();

  constructor(
    readonly facts: FlowFacts,
    readonly rows: Uint32Array,
    /** The expression as given (trimmed), null without a filter. */
    readonly filter: string | null,
    readonly thresholds: ScanThresholds = DEFAULT_SCAN_THRESHOLDS,
  ) {}

  /** Apply a filter expression (FilterError when it does not parse) to every flow of the facts. */
  static of(facts: FlowFacts, filter: string | null, thresholds?: ScanThresholds): Selection {
    const text = filter?.trim() || null;
    if (text === null) return new Selection(facts, facts.order, null, thresholds);
    const keep = compileFilter(parseFilter(text), facts);
    const order = facts.order;
    const picked = new Uint32Array(order.length);
    let n = 0;
    for (let i = 0; i < order.length; i++) {
      const r = order[i]!;
      if (keep(r)) picked[n++] = r;
    }
    return new Selection(facts, picked.slice(0, n), text, thresholds);
  }

  /**
   * The kept flows of the outermost layer. A frame counts once in them; a flow inside a tunnel
   * counts the same frame again (like Wireshark's Conversations), so frame totals — packets,
   * bytes, ports, classes — sum these rows only.
   */
  outerRows(): Uint32Array {
    if (this.outerCache) return this.outerCache;
    const chain = this.facts.chain;
    let n = 0;
    for (let i = 0; i < this.rows.length; i++) if (chain[this.rows[i]!] === 0) n++;
    if (n === this.rows.length) return (this.outerCache = this.rows);
    const out = new Uint32Array(n);
    n = 0;
    for (let i = 0; i < this.rows.length; i++) if (chain[this.rows[i]!] === 0) out[n++] = this.rows[i]!;
    return (this.outerCache = out);
  }

  /** TCP and UDP flows kept, of the outermost layer (tunnelledFlows() counts the others). */
  flowCounts(): { tcp: number; udp: number } {
    const rows = this.outerRows();
    let tcp = 0;
    for (let i = 0; i < rows.length; i++) if (this.facts.l4[rows[i]!] === 6) tcp++;
    return { tcp, udp: rows.length - tcp };
  }

  /** Kept flows found inside tunnels. */
  tunnelledFlows(): number {
    return this.rows.length - this.outerRows().length;
  }

  /** Distinct addresses in the selected flows (without ordering them, unlike hosts()). */
  hostCount(): number {
    if (this.hostsCache) return this.hostsCache.order.length;
    const seen = new Uint8Array(this.facts.addresses.size);
    let n = 0;
    for (let i = 0; i < this.rows.length; i++) {
      const r = this.rows[i]!;
      const a = this.facts.addrA[r]!, b = this.facts.addrB[r]!;
      if (!seen[a]) { seen[a] = 1; n++; }
      if (!seen[b]) { seen[b] = 1; n++; }
    }
    return n;
  }

  /** Port totals of the flows inside tunnels, one set per encapsulation chain (by chain id). */
  tunnelPorts(): Array<{ chain: number; ports: PortTotals }> {
    if (this.tunnelPortsCache) return this.tunnelPortsCache;
    const chain = this.facts.chain;
    const byChain = new Map<number, number[]>();
    for (let i = 0; i < this.rows.length; i++) {
      const r = this.rows[i]!;
      const c = chain[r]!;
      if (c === 0) continue;
      let list = byChain.get(c);
      if (!list) byChain.set(c, (list = []));
      list.push(r);
    }
    return (this.tunnelPortsCache = [...byChain.keys()].sort((a, b) => a - b)
      .map((c) => ({ chain: c, ports: portTotals(this.facts, Uint32Array.from(byChain.get(c)!)) })));
  }

  /** Every port row: the outermost layer's, then those inside tunnels (see PortRows). */
  portRows(): PortRows {
    return (this.portRowsCache ??= portRecordList(this));
  }

  ports(): PortTotals {
    return (this.portsCache ??= portTotals(this.facts, this.outerRows()));
  }

  groups(): ServiceGroups {
    return (this.groupsCache ??= serviceGroups(this.facts, this.rows));
  }

  /** Service groups by host address, protocol, port. */
  exposureOrder(): Uint32Array {
    return (this.exposureCache ??= this.groups().byHostAndPort(this.facts));
  }

  hosts(): HostTotals {
    return (this.hostsCache ??= hostTotals(this.facts, this.rows, this.groups()));
  }

  classes(): ClassSplit {
    return (this.classesCache ??= classSplit(this.facts, this.outerRows()));
  }

  findings(): Finding[] {
    return (this.findingsCache ??= findings(this.facts, this.rows, this.thresholds));
  }
}
