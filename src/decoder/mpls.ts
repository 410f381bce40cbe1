import { u16be } from './bytes';
import type { IpLayer } from './decoded-packet';
import { decodeEthertype, NEXT_ETHERNET } from './ethertype';
import { MANUF_OUI_COUNT, MANUF_OUI_GAPS } from './generated/manuf-oui';
import { decodeNetwork, NET } from './network';
import { DETAIL, nest, notIp, STOP_TABLE, truncated } from './stop';

/** RFC 3032 label stack entry: label (20 bits), TC, S (bottom of stack), TTL. */
const LSE = { LEN: 4, BOS_BYTE: 2, BOS_BIT: 1 } as const;
/**
 * Labels Wireshark's mpls.label table maps to a non-IP dissector by default
 * (`tshark -G decodes`): 14 OAM alert (Y.1711), 628871 iTDM.
 */
const LABEL_Y1711 = 14;
const LABEL_ITDM = 628871;
export const MPLS_LABEL_STOP = 0x100000;
/** First nibble of the payload after the bottom label (packet-mpls.c, 4.0). */
const NIBBLE = { PW_ETH: 0, PW_ACH: 1, IPV4: 4, IPV6: 6 } as const;
/** RFC 4385 PW associated channel header: 0001, version, reserved, channel type. */
const PWACH = { CHANNEL: 2, LEN: 4 } as const;
/** pwach.channel_type values carrying IP (they are PPP protocol numbers). */
const PWACH_CHANNEL = { IPV4: 0x0021, IPV6: 0x0057 } as const;
/** RFC 4448 Ethernet pseudowire control word. */
const PW_CW_LEN = 4;

/**
 * MPLS label stack, then what Wireshark 4.0 puts after it by default: IPv4/IPv6 by the first
 * nibble, the PW associated channel (nibble 1), or an Ethernet pseudowire (nibble 0) with or
 * without a control word, decided like Wireshark's CW heuristic.
 */
export function decodeMpls(b: Uint8Array, off: number, end: number, p: IpLayer): void {
  let label = 0;
  for (;;) {
    if (off + LSE.LEN > end) return truncated(p, STOP_TABLE.ETHERTYPE, 0x8847);
    const bottom = b[off + LSE.BOS_BYTE]! & LSE.BOS_BIT;
    label = (b[off]! << 12) | (b[off + 1]! << 4) | (b[off + 2]! >> 4);
    off += LSE.LEN;
    if (bottom) break;
    if (!nest(p)) return;
  }
  if (label === LABEL_Y1711 || label === LABEL_ITDM) return notIp(p, STOP_TABLE.MPLS, MPLS_LABEL_STOP + label);
  if (off >= end) return truncated(p, STOP_TABLE.MPLS, -1);
  const nibble = b[off]! >> 4;
  switch (nibble) {
    case NIBBLE.IPV4:
      decodeNetwork(b, off, end, NET.IPV4, p);
      return;
    case NIBBLE.IPV6:
      decodeNetwork(b, off, end, NET.IPV6, p);
      return;
    case NIBBLE.PW_ACH: {
      if (off + PWACH.LEN > end) return truncated(p, STOP_TABLE.MPLS, nibble);
      const channel = u16be(b, off + PWACH.CHANNEL);
      if (channel === PWACH_CHANNEL.IPV4) decodeNetwork(b, off + PWACH.LEN, end, NET.IPV4, p);
      else if (channel === PWACH_CHANNEL.IPV6) decodeNetwork(b, off + PWACH.LEN, end, NET.IPV6, p);
      else notIp(p, STOP_TABLE.DETAIL, DETAIL.PWACH_CHANNEL);
      return;
    }
    case NIBBLE.PW_ETH:
      // packet-pw-eth.c: plain Ethernet when both MAC addresses have a known OUI, else a control word.
      if (!(off + 14 <= end && knownOui(b, off) && knownOui(b, off + 6))) off += PW_CW_LEN;
      decodeEthertype(b, off, end, NEXT_ETHERNET, p);
      return;
    default:
      notIp(p, STOP_TABLE.MPLS, nibble);
  }
}

let ouis: Uint32Array | null = null;

/** Built on first use (once per process), from the generated gap list. */
function ouiTable(): Uint32Array {
  if (ouis !== null) return ouis;
  const bin = atob(MANUF_OUI_GAPS);
  const table = new Uint32Array(MANUF_OUI_COUNT);
  let prev = -1;
  let n = 0;
  for (let i = 0; i < bin.length && n < table.length;) {
    let gap = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bin.charCodeAt(i++);
      gap += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    prev = prev + 1 + gap;
    table[n++] = prev;
  }
  ouis = table;
  return table;
}

/** Does Wireshark know a manufacturer for the OUI of the MAC address at `off`? */
function knownOui(b: Uint8Array, off: number): boolean {
  const oui = ((b[off]! << 16) | (b[off + 1]! << 8) | b[off + 2]!) >>> 0;
  const t = ouiTable();
  let lo = 0;
  let hi = t.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = t[mid]!;
    if (v === oui) return true;
    if (v < oui) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
