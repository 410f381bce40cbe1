import { formatAddress } from '../net/address';
import { protoName } from '../net/protocols';
import { decodeFrame } from '../decoder/decode-frame';
import { DecodedPacket, type IpLayer } from '../decoder/decoded-packet';
import type { PacketRecord, PacketSink } from '../decoder/packet-record';
import { formatTimestamp } from '../decoder/timestamp';
import { tunnelChainName } from '../decoder/tunnels';
import type { TextSink } from './output';

const FRAG_NAMES = ['null', '"first"', '"nonfirst"'];

/**
 * One NDJSON line per packet, like `tshark -T fields`: the decoder's view of each frame. The
 * outermost IP layer's fields as always; when tunnels were followed, the innermost layer too
 * (`tunnel` names the encapsulation chain, then `innerIp`, `innerSrc`, `innerDst`, `innerProto`,
 * `innerSport`, `innerDport`). `ts` is null for records without a timestamp (pcapng SPB).
 */
export class PacketPrinter implements PacketSink {
  private readonly decoded = new DecodedPacket();

  constructor(private readonly out: TextSink) {}

  packet(r: PacketRecord): void {
    const d = this.decoded;
    decodeFrame(r.bytes, r.offset, r.caplen, r.payloadLinkType, d);
    const ts = r.hasTime ? `"${formatTimestamp(r.tsSec, r.tsNs, r.tsDigits)}"` : 'null';
    let line = `{"n":${r.number},"ts":${ts},"len":${r.origLen},"caplen":${r.caplen},"link":${r.linkType}`;
    if (d.ipVersion === 0) {
      line += ',"ip":null,"src":null,"dst":null,"proto":null,"sport":null,"dport":null,"frag":null,"tcpFlags":null}\n';
    } else {
      line += `,"ip":${d.ipVersion},"src":"${formatAddress(d.ipVersion, d.addr, 0)}","dst":"${formatAddress(d.ipVersion, d.addr, 4)}"`
        + `,"proto":${jsonProto(d.l4, d.ipVersion)}`
        + `,"sport":${d.sport < 0 ? 'null' : d.sport},"dport":${d.dport < 0 ? 'null' : d.dport}`
        + `,"frag":${FRAG_NAMES[d.frag]},"tcpFlags":${d.tcpFlags < 0 ? 'null' : d.tcpFlags}`;
      if (d.tunnelDepth > 0) line += innerFields(d.inner[d.tunnelDepth - 1]!);
      line += '}\n';
    }
    this.out.write(line);
  }
}

function jsonProto(l4: number, ipVersion: number): string | number {
  const proto = protoName(l4, ipVersion);
  return typeof proto === 'string' ? `"${proto}"` : proto;
}

function innerFields(l: IpLayer): string {
  return `,"tunnel":"${tunnelChainName(l.chain)}","innerIp":${l.ipVersion}`
    + `,"innerSrc":"${formatAddress(l.ipVersion, l.addr, 0)}","innerDst":"${formatAddress(l.ipVersion, l.addr, 4)}"`
    + `,"innerProto":${jsonProto(l.l4, l.ipVersion)}`
    + `,"innerSport":${l.sport < 0 ? 'null' : l.sport},"innerDport":${l.dport < 0 ? 'null' : l.dport}`;
}
