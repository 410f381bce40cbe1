import { formatAddress } from '../net/address';
import { protoName } from '../net/protocols';
import { decodeFrame } from '../decoder/decode-frame';
import { DecodedPacket } from '../decoder/decoded-packet';
import type { PacketRecord, PacketSink } from '../decoder/packet-record';
import { formatTimestamp } from '../decoder/timestamp';
import type { TextSink } from './output';

const FRAG_NAMES = ['null', '"first"', '"nonfirst"'];

/** One NDJSON line per packet, like `tshark -T fields`: the decoder's view of each frame. */
export class PacketPrinter implements PacketSink {
  private readonly decoded = new DecodedPacket();

  constructor(private readonly out: TextSink) {}

  packet(r: PacketRecord): void {
    const d = this.decoded;
    decodeFrame(r.bytes, r.offset, r.caplen, r.linkType, d);
    let line = `{"n":${r.number},"ts":"${formatTimestamp(r.tsSec, r.tsNs, r.tsDigits)}","len":${r.origLen},"caplen":${r.caplen},"link":${r.linkType}`;
    if (d.ipVersion === 0) {
      line += ',"ip":null,"src":null,"dst":null,"proto":null,"sport":null,"dport":null,"frag":null,"tcpFlags":null}\n';
    } else {
      const proto = protoName(d.l4, d.ipVersion);
      line += `,"ip":${d.ipVersion},"src":"${formatAddress(d.ipVersion, d.addr, 0)}","dst":"${formatAddress(d.ipVersion, d.addr, 4)}"`
        + `,"proto":${typeof proto === 'string' ? `"${proto}"` : proto}`
        + `,"sport":${d.sport < 0 ? 'null' : d.sport},"dport":${d.dport < 0 ? 'null' : d.dport}`
        + `,"frag":${FRAG_NAMES[d.frag]},"tcpFlags":${d.tcpFlags < 0 ? 'null' : d.tcpFlags}}\n`;
    }
    this.out.write(line);
  }
}

