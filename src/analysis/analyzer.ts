import { decodeFrame } from '../decoder/decode-frame';
import { DecodedPacket } from '../decoder/decoded-packet';
import type { PacketRecord, PacketSink } from '../decoder/packet-record';
import { DecodeStats } from './decode-stats';
import { DEFAULT_MAX_FLOWS, FlowTable } from './flow-table';
import { PayloadInspector } from './payload-inspector';
import { portClass } from './port-class';
import { TimeSeries } from './time-series';

export interface AnalyzerOptions {
  /** Cap on distinct flows (and on distinct non-port IP conversations). */
  maxFlows?: number;
  /** Recognize services from the first payload bytes of each flow (default true). */
  inspectPayloads?: boolean;
}

/**
 * The per-packet "tap": decode the frame into one reused scratch and add it to the counters,
 * the flow table and the time series. Everything expensive (names, labels, sorting) waits
 * for buildReport().
 */
export class Analyzer implements PacketSink {
  readonly decoded = new DecodedPacket();
  readonly stats = new DecodeStats();
  readonly flows: FlowTable;
  /** IP traffic without ports (ICMP, GRE, ESP, non-first fragments, ...) per protocol and address pair. */
  readonly ipPairs: FlowTable;
  readonly series = new TimeSeries();
  readonly payloads = new PayloadInspector();
  private readonly inspectPayloads: boolean;

  constructor(options: AnalyzerOptions = {}) {
    this.flows = new FlowTable(options.maxFlows ?? DEFAULT_MAX_FLOWS);
    this.ipPairs = new FlowTable(options.maxFlows ?? DEFAULT_MAX_FLOWS);
    this.inspectPayloads = options.inspectPayloads ?? true;
  }

  packet(r: PacketRecord): void {
    const d = this.decoded;
    decodeFrame(r.bytes, r.offset, r.caplen, r.linkType, d);
    const ts = r.tsSec + r.tsNs * 1e-9;
    const len = r.origLen;
    this.stats.add(d, r.linkType, len, r.caplen, ts);
    if (d.ipVersion === 0) return;
    if (d.sport >= 0) {
      const row = this.flows.add(d, len, ts, r.number);
      if (this.inspectPayloads && row >= 0 && d.payloadOffset >= 0) {
        this.payloads.inspect(row, r.bytes, d.payloadOffset, d.l4Offset + d.l4Len, d.l4 === 17);
      }
      this.series.add(ts, len, d.l4, likelyServicePort(d.sport, d.dport));
    } else {
      this.ipPairs.add(d, len, ts, r.number);
      this.series.add(ts, len, d.l4, -1);
    }
  }
}

/** Per-packet guess of the service end for the time series: lower IANA class, then lower port. */
function likelyServicePort(sport: number, dport: number): number {
  const cs = portClass(sport);
  const cd = portClass(dport);
  if (cs !== cd) return cs < cd ? sport : dport;
  return sport < dport ? sport : dport;
}
