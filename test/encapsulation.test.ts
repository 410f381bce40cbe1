// Every decoded entry of the encapsulation table (src/decoder/encapsulations.ts), proved against
// Wireshark: each case is hex written here, turned into a capture by Wireshark's own tools
// (text2pcap -l / -e / -i, editcap -T, mergecap), dissected by tshark 4.0.17, and every IP layer
// of every frame (tunnels included) must agree. Negative cases (things tshark does not follow by
// default) must agree too: no IP where tshark shows none. All cases are also read in 1- and 7-byte
// chunks and whole, as pcap and as one merged pcapng.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DECODED_LINKTYPES, encapsulationInfo, encapsulationTable } from '../src/decoder/encapsulations';
import { STOP_TABLE } from '../src/decoder/stop';
import { concat, ethHex, h16, h8, ipv4Hex, ipv6Hex, pcapHeader, pcapRecord, tcpHex, udpHex } from './helpers/capture-builder';
import { decodeChunked, hasTshark, portholeLayers, runTshark, tsharkLayers, type LayerView } from './helpers/decode';
import { decodeFrame } from '../src/decoder/decode-frame';
import { DecodedPacket } from '../src/decoder/decoded-packet';

// ---- inner packets every case carries ----
/** TCP SYN 10.1.1.1:40000 -> 10.2.2.2:80. */
const TCP4 = ipv4Hex(6, tcpHex(40000, 80));
/** UDP 10.3.3.3:5353 -> 10.4.4.4:53. */
const UDP4 = ipv4Hex(17, udpHex(5353, 53, 'aabbccdd'), '10.3.3.3', '10.4.4.4');
/** TCP SYN 2001:db8::1:40001 -> 2001:db8::2:443. */
const TCP6 = ipv6Hex(6, tcpHex(40001, 443));
/** Ethernet frames carrying them. */
const ETH_TCP4 = ethHex(0x0800, TCP4);
const ETH_TCP6 = ethHex(0x86dd, TCP6);
/** Outer addresses of tunnels. */
const O_SRC = '192.0.2.1', O_DST = '192.0.2.2';
const outer4 = (proto: number, payload: string) => ipv4Hex(proto, payload, O_SRC, O_DST);
const outer6 = (next: number, payload: string) => ipv6Hex(next, payload, '20010db8ffff00000000000000000001', '20010db8ffff00000000000000000002');
const overUdp = (sport: number, dport: number, payload: string) => ethHex(0x0800, outer4(17, udpHex(sport, dport, payload)));
const zeros = (n: number) => '00'.repeat(n);

interface Case {
  /** What the bytes are. */
  name: string;
  /** LINKTYPE given to text2pcap -l (or the encapsulation editcap -T sets, see `editcap`). */
  link: number;
  hex: string;
  /** IP layers tshark must show (outer + tunnels): proves the layout reaches IP in Wireshark. */
  layers: number;
  /** text2pcap options that prepend headers (-e, -i, -4 ...). */
  t2p?: string[];
  /** Re-encapsulate with editcap -T (Wireshark encapsulation name). */
  editcap?: string;
}

const CASES: Case[] = [
  // ---- BSD NULL (host order) and OpenBSD LOOP (network order) ----
  { name: 'NULL: little-endian AF_INET', link: 0, hex: `02000000${TCP4}`, layers: 1 },
  { name: 'NULL: big-endian AF_INET (byte-swapped)', link: 0, hex: `00000002${TCP4}`, layers: 1 },
  { name: 'NULL: AF_INET6 24 / 28 / 30', link: 0, hex: `18000000${TCP6}`, layers: 1 },
  { name: 'NULL: AF_INET6 28 (FreeBSD)', link: 0, hex: `1c000000${TCP6}`, layers: 1 },
  { name: 'NULL: AF_INET6 30 (Darwin), big-endian', link: 0, hex: `0000001e${TCP6}`, layers: 1 },
  { name: 'NULL: old Linux loopback, 00 00 + ethertype 0x0800 (read swapped, > 1500: an ethertype)', link: 0, hex: `00000800${TCP4}`, layers: 1 },
  { name: 'NULL: old Linux loopback, ethertype 0x86DD', link: 0, hex: `000086dd${TCP6}`, layers: 1 },
  { name: 'NULL: IRIX 16-bit family in the upper half (00 02 00 00)', link: 0, hex: `00020000${TCP4}`, layers: 1 },
  { name: 'NULL: FF 03 is PPP in HDLC framing', link: 0, hex: `ff030021${TCP4}`, layers: 1 },
  { name: 'LOOP: AF_INET in network order', link: 108, hex: `00000002${TCP4}`, layers: 1 },
  { name: 'LOOP: AF_INET6 24', link: 108, hex: `00000018${TCP6}`, layers: 1 },
  { name: 'LOOP: little-endian family is not swapped (not IP)', link: 108, hex: `02000000${TCP4}`, layers: 0 },

  // ---- Ethernet and the 802.1 family ----
  { name: 'Ethernet II IPv4', link: 1, hex: ETH_TCP4, layers: 1 },
  { name: '802.3 length + LLC/SNAP (AA AA 03 000000 0800)', link: 1, hex: ethHex(8 + 40, `aaaa03000000 0800${TCP4}`.replace(' ', '')), layers: 1 },
  { name: '802.1Q VLAN 100', link: 1, hex: ethHex(0x8100, `0064 0800${TCP4}`.replace(' ', '')), layers: 1 },
  { name: '802.1ad S-tag + 802.1Q C-tag (QinQ)', link: 1, hex: ethHex(0x88a8, `00c8 8100 0064 86dd${TCP6}`.replace(/ /g, '')), layers: 1 },
  { name: '0x9100 QinQ tag', link: 1, hex: ethHex(0x9100, `00c8 0800${TCP4}`.replace(' ', '')), layers: 1 },
  { name: '802.1Q with an 802.3 length and LLC/SNAP inside', link: 1, hex: ethHex(0x8100, `0064 0030 aaaa03000000 0800${TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: '802.1ah PBB: I-TAG (4) then the customer MAC header', link: 1, hex: ethHex(0x88e7, `00000100${ETH_TCP4}`), layers: 1 },
  { name: '802.1BR E-Tag (6 bytes) then ethertype', link: 1, hex: ethHex(0x893f, `000000000000 0800${TCP4}`.replace(' ', '')), layers: 1 },
  { name: 'Cisco VN-Tag (4 bytes) then ethertype', link: 1, hex: ethHex(0x8926, `00000000 0800${TCP4}`.replace(' ', '')), layers: 1 },
  { name: '802.1CB R-Tag (4 bytes) then ethertype', link: 1, hex: ethHex(0xf1c1, `00000001 0800${TCP4}`.replace(' ', '')), layers: 1 },
  { name: 'HSR tag (4 bytes) then ethertype', link: 1, hex: ethHex(0x892f, `00000001 0800${TCP4}`.replace(' ', '')), layers: 1 },
  { name: 'Cisco MetaData: version, length, option, SGT, then ethertype', link: 1, hex: ethHex(0x8909, `0101 0001 0064 0800${TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: 'TRILL (no options) then an inner Ethernet frame', link: 1, hex: ethHex(0x22f3, `0000 0001 0002${ETH_TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: 'TRILL with one option word', link: 1, hex: ethHex(0x22f3, `0040 0001 0002 00000000${ETH_TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: 'Cisco FabricPath (0x8903 + FTag/TTL) then an Ethernet frame', link: 1, hex: ethHex(0x8903, `0001${ETH_TCP4}`, '020000000001', '020000000002'), layers: 1 },
  { name: 'Transparent Ethernet bridging 0x6558 in Ethernet', link: 1, hex: ethHex(0x6558, ETH_TCP6), layers: 1 },
  { name: 'Jumbo LLC 0x8870', link: 1, hex: ethHex(0x8870, `aaaa03000000 0800${TCP4}`.replace(' ', '')), layers: 1 },
  { name: 'MACsec without SCI, not encrypted', link: 1, hex: ethHex(0x88e5, `0000 00000001 0800${TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: 'MACsec with SCI, not encrypted', link: 1, hex: ethHex(0x88e5, `2000 00000001 0011223344556677 0800${TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: 'MACsec encrypted (E and C): not IP', link: 1, hex: ethHex(0x88e5, `0c00 00000001 0800${TCP4}`.replace(/ /g, '')), layers: 0 },
  { name: 'NSH, next protocol IPv4', link: 1, hex: ethHex(0x894f, `0002 0001 00000100${TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: 'NSH, next protocol Ethernet', link: 1, hex: ethHex(0x894f, `0002 0003 00000100${ETH_TCP6}`.replace(/ /g, '')), layers: 1 },
  { name: 'Arista timestamp, 64-bit', link: 1, hex: ethHex(0xd28b, `0001 0010 0000000000000000 0800${TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: 'Arista timestamp, 48-bit', link: 1, hex: ethHex(0xd28b, `0001 0020 000000000000 0800${TCP4}`.replace(/ /g, '')), layers: 1 },

  // ---- MPLS and pseudowires ----
  { name: 'MPLS, one label, IPv4', link: 1, hex: ethHex(0x8847, `00010140${TCP4}`), layers: 1 },
  { name: 'MPLS, two labels, IPv6', link: 1, hex: ethHex(0x8847, `00010040 00020140${TCP6}`.replace(' ', '')), layers: 1 },
  { name: 'MPLS multicast 0x8848', link: 1, hex: ethHex(0x8848, `00010140${TCP4}`), layers: 1 },
  { name: 'MPLS PW associated channel, channel type 0x0021 (IPv4)', link: 1, hex: ethHex(0x8847, `00010140 10000021${TCP4}`.replace(' ', '')), layers: 1 },
  { name: 'MPLS Ethernet PW with control word', link: 1, hex: ethHex(0x8847, `00010140 00000001${ETH_TCP4}`.replace(' ', ''), undefined, undefined), layers: 1 },
  { name: 'MPLS Ethernet PW without control word (both MAC OUIs known)', link: 1, hex: ethHex(0x8847, `00010140${ETH_TCP4}`), layers: 1 },
  { name: 'MPLS Ethernet PW with CW, inner destination with an unknown OUI', link: 1, hex: ethHex(0x8847, `00010140 00001234${ethHex(0x0800, TCP4, '02aabbccdd01', '02aabbccdd02')}`.replace(' ', '')), layers: 1 },
  { name: 'MPLS CW whose first 12 bytes read as two known OUIs: Wireshark takes plain Ethernet (no IP)', link: 1, hex: ethHex(0x8847, `00010140 00000000${ethHex(0x0800, TCP4, '020000000001', '020000000002')}`.replace(' ', '')), layers: 0 },
  { name: 'MPLS label 14 (Y.1711 OAM): not IP', link: 1, hex: ethHex(0x8847, `0000e140${TCP4}`), layers: 0 },
  { name: 'MPLS payload with first nibble 2: not IP', link: 1, hex: ethHex(0x8847, `00010140 2000${TCP4}`.replace(' ', '')), layers: 0 },

  // ---- PPP in its framings ----
  { name: 'PPPoE session, protocol 0x0021', link: 1, hex: ethHex(0x8864, `1100 0001 ${h16(2 + 40)} 0021${TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: 'PPPoE session, compressed protocol 21 (21 45 ...)', link: 1, hex: ethHex(0x8864, `1100 0001 ${h16(1 + 40)} 21${TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: 'PPPoE session, protocol 0x0057 IPv6', link: 1, hex: ethHex(0x8864, `1100 0001 ${h16(2 + 60)} 0057${TCP6}`.replace(/ /g, '')), layers: 1 },
  { name: 'PPPoE session, FF 03 is not skipped there: not IP', link: 1, hex: ethHex(0x8864, `1100 0001 ${h16(4 + 40)} ff030021${TCP4}`.replace(/ /g, '')), layers: 0 },
  { name: 'PPP: FF 03 + 0x0021', link: 9, hex: `ff030021${TCP4}`, layers: 1 },
  { name: 'PPP: no address/control, 0x0021', link: 9, hex: `0021${TCP4}`, layers: 1 },
  { name: 'PPP: no address/control, compressed 21', link: 9, hex: `21${TCP4}`, layers: 1 },
  { name: 'PPP: FF 03 + compressed 21', link: 9, hex: `ff0321${TCP4}`, layers: 1 },
  { name: 'PPP: ethertype-valued protocol 0x0800', link: 9, hex: `ff030800${TCP4}`, layers: 1 },
  { name: 'PPP: 0x0057 IPv6', link: 9, hex: `ff030057${TCP6}`, layers: 1 },
  { name: 'PPP: MPLS 0x0281', link: 9, hex: `ff030281 00010140${TCP4}`.replace(' ', ''), layers: 1 },
  { name: 'PPP: Cisco HDLC framing on a PPP link', link: 9, hex: `0f000800${TCP4}`, layers: 1 },
  { name: 'PPP: multilink, a single fragment (B and E), then 21', link: 9, hex: `ff03003d c0000001 21${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'PPP: multilink first fragment only: not dissected', link: 9, hex: `ff03003d 80000001 21${TCP4}`.replace(/ /g, ''), layers: 0 },
  { name: 'PPP: BCP bridged Ethernet', link: 9, hex: `ff030031 0001${ETH_TCP4}`.replace(' ', ''), layers: 1 },
  { name: 'PPP: LLC 0x004B with SNAP', link: 9, hex: `ff03004b aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'PPP: Van Jacobson uncompressed (protocol byte = slot 0, dissected as TCP)', link: 9, hex: `ff03002f ${TCP4.slice(0, 18)}00${TCP4.slice(20)}`.replace(' ', ''), layers: 1 },
  { name: 'PPP in HDLC framing (LINKTYPE 50)', link: 50, hex: `ff030021${TCP4}`, layers: 1 },
  { name: 'PPP with direction (the direction byte is a pseudo-header text2pcap adds)', link: 204, hex: `0021${TCP4}`, layers: 1 },
  { name: 'PPP with direction, compressed protocol', link: 204, hex: `21${TCP4}`, layers: 1 },
  { name: 'PPPoE link type (51): session header then PPP', link: 51, hex: `1100 0001 ${h16(2 + 40)} 0021${TCP4}`.replace(/ /g, ''), layers: 1 },

  // ---- other link types ----
  { name: 'AX.25 UI frame, PID 0xCC', link: 3, hex: `9c94a8a6a0a660 88a8a6a0a6a661 03cc${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'AX.25 with one digipeater', link: 3, hex: `9c94a8a6a0a660 88a8a6a0a6a660 88a8a6a0a6a663 03cc${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'AX.25 with a KISS byte', link: 202, hex: `00 9c94a8a6a0a660 88a8a6a0a6a661 03cc${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Token Ring LLC frame', link: 6, hex: `1040 000c29000001 005056000002 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Token Ring source-routed (RIF of 2 bytes)', link: 6, hex: `1040 000c29000001 805056000002 0200 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'ARCNET (BSD): RFC 1051 IP', link: 7, hex: `0102f0${TCP4}`, layers: 1 },
  { name: 'ARCNET (BSD): RFC 1201 IP with split flag and sequence', link: 7, hex: `0102d4 00 0001${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'ARCNET (Linux): RFC 1201 IP', link: 129, hex: `0102 0000 d4 00 0001${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'FDDI async LLC frame', link: 10, hex: `50 000c29000001 005056000002 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'RFC 1483 ATM LLC/SNAP (LINKTYPE 100)', link: 100, hex: `aaaa03000000 0800${TCP4}`.replace(' ', ''), layers: 1 },
  { name: 'RFC 1483 ATM LLC/SNAP (LINKTYPE 11)', link: 11, hex: `aaaa03000000 86dd${TCP6}`.replace(' ', ''), layers: 1 },
  { name: 'Raw IP (101), IPv6', link: 101, hex: TCP6, layers: 1 },
  { name: 'Raw IP (12, OpenBSD)', link: 12, hex: TCP4, layers: 1 },
  { name: 'Raw IP (14, BSD/OS)', link: 14, hex: TCP4, layers: 1 },
  { name: 'Raw IPv4 (228)', link: 228, hex: TCP4, layers: 1 },
  { name: 'Raw IPv6 (229)', link: 229, hex: TCP6, layers: 1 },
  { name: 'Linux ATM CLIP (106): bare IPv4', link: 106, hex: TCP4, layers: 1 },
  { name: 'Linux ATM CLIP (via editcap -T linux-atm-clip): IPv6 under the IPv4 dissector', link: 101, editcap: 'linux-atm-clip', hex: TCP6, layers: 1 },
  { name: 'OpenBSD enc (109): AF_INET little-endian, SPI, flags', link: 109, hex: `02000000 00001000 00000000${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'OpenBSD enc (13): AF_INET6 24 big-endian', link: 13, hex: `00000018 00001000 00000000${TCP6}`.replace(/ /g, ''), layers: 1 },
  { name: 'Cisco HDLC: IPv4', link: 104, hex: `0f000800${TCP4}`, layers: 1 },
  { name: 'Cisco HDLC (112): broadcast, IPv6', link: 112, hex: `8f0086dd${TCP6}`, layers: 1 },
  { name: 'Cisco HDLC: MPLS', link: 104, hex: `0f008847 00010140${TCP4}`.replace(' ', ''), layers: 1 },
  { name: 'Cisco HDLC: bridged Ethernet 0x6558', link: 104, hex: `0f006558${ETH_TCP4}`, layers: 1 },
  { name: 'Cisco HDLC: 0x8100 is not in chdlc.protocol (not IP)', link: 104, hex: `0f008100 0064 0800${TCP4}`.replace(/ /g, ''), layers: 0 },
  { name: 'Frame Relay: NLPID 0xCC', link: 107, hex: `1841 03 cc${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Frame Relay: NLPID 0x8E (IPv6)', link: 107, hex: `1841 03 8e${TCP6}`.replace(/ /g, ''), layers: 1 },
  { name: 'Frame Relay: SNAP', link: 107, hex: `1841 03 00 80 000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Frame Relay: Cisco encapsulation (chdlc protocol)', link: 107, hex: `1841 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Linux SLL: IPv4', link: 113, hex: `0000 0001 0006 005056000002 0000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Linux SLL: protocol 3, a whole Ethernet frame', link: 113, hex: `0000 0001 0006 005056000002 0000 0003${ETH_TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Linux SLL: protocol 4, 802.2 LLC', link: 113, hex: `0000 0001 0006 005056000002 0000 0004 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Linux SLL: protocol 7, PPP in HDLC framing', link: 113, hex: `0000 0200 0000 000000000000 0000 0007 ff030021${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Linux SLL2: IPv6', link: 276, hex: `86dd 0000 00000002 0001 00 06 005056000002 0000${TCP6}`.replace(/ /g, ''), layers: 1 },
  { name: 'pflog: header length 61 (rounded to 64), AF_INET', link: 117, hex: `3d020000${zeros(60)}${TCP4}`, layers: 1 },
  { name: 'pflog: AF_INET6 24', link: 117, hex: `3d180000${zeros(60)}${TCP6}`, layers: 1 },
  { name: 'IP over Fibre Channel: network header then LLC/SNAP', link: 122, hex: `${zeros(16)}aaaa03000000 0800${TCP4}`.replace(' ', ''), layers: 1 },
  { name: 'Apple IP over IEEE 1394: two EUI-64 then ethertype', link: 138, hex: `0001020304050607 08090a0b0c0d0e0f 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Solaris IPNET: 24-byte header, AF_INET6 26, data length 60', link: 226, hex: `011a0000 0000003c ${zeros(16)}${TCP6}`.replace(/ /g, ''), layers: 1 },
  { name: 'Solaris IPNET: data length 0 leaves no room for the IP header', link: 226, hex: `01020000 00000000 ${zeros(16)}${TCP4}`.replace(/ /g, ''), layers: 0 },
  { name: 'NFLOG: AF_INET, one payload TLV', link: 239, hex: `02000000 ${h8(44)}00 0900${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'IPoIB (pcap): 40 bytes of destination address, type 0x0800, reserved', link: 242, hex: `${zeros(20)}00000001 fe800000000000000002c90300001234 08000000${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'IPoIB (pcap): a global route header, type 0x86DD', link: 242, hex: `6000000000201b40 fe800000000000000002c90300005678 fe800000000000000002c90300001234 86dd0000${TCP6}`.replace(/ /g, ''), layers: 1 },
  { name: 'Apple PKTAP (108-byte header, inner DLT 1)', link: 258, hex: `6c000000 01000000 01000000 ${zeros(96)}${ETH_TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'PKTAP under DLT_USER2 (149)', link: 149, hex: `6c000000 01000000 01000000 ${zeros(96)}${ETH_TCP6}`.replace(/ /g, ''), layers: 1 },
  { name: 'Juniper Ethernet: MGC magic, flags', link: 178, hex: `4d474301${ETH_TCP4}`, layers: 1 },
  { name: 'GFP-F: core header, type header (UPI 1), Ethernet', link: 171, hex: `${h16(4 + 54)}0000 0001 0000${ETH_TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'GFP-T: UPI 0x10 IPv4', link: 170, hex: `${h16(4 + 40)}0000 0010 0000${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'GFP-F: UPI 0x11 IPv6 with a linear extension header (EXI 1)', link: 171, hex: `${h16(8 + 60)}0000 0111 0000 00000000${TCP6}`.replace(/ /g, ''), layers: 1 },
  { name: 'GFP-F: UPI 2 PPP', link: 171, hex: `${h16(4 + 44)}0000 0002 0000 ff030021${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'GFP-F: client management frame (PTI 4): not IP', link: 171, hex: `${h16(4 + 54)}0000 8001 0000${ETH_TCP4}`.replace(/ /g, ''), layers: 0 },
  { name: 'GFP-F: payload length cuts the IP header', link: 171, hex: `${h16(4 + 24)}0000 0001 0000${ETH_TCP4}`.replace(/ /g, ''), layers: 0 },
  { name: 'netANALYZER: header version 1, then Ethernet with FCS', link: 240, hex: `0004${h8(58)}00${ETH_TCP4}deadbeef`, layers: 1 },
  { name: 'netANALYZER: header version 2, payload type 0 (Ethernet)', link: 240, hex: `0008${h8(58)}00${ETH_TCP4}deadbeef`, layers: 1 },
  { name: 'netANALYZER: version 2, payload type 1 (PROFIBUS): not IP', link: 240, hex: `0008${h8(58)}10${ETH_TCP4}deadbeef`, layers: 0 },
  { name: 'Exported PDU (text2pcap -P ip)', link: 252, t2p: ['-P', 'ip'], hex: TCP4, layers: 1 },
  { name: 'Exported PDU (text2pcap -P ipv6)', link: 252, t2p: ['-P', 'ipv6'], hex: TCP6, layers: 1 },
  { name: 'Exported PDU (text2pcap -P raw_ip)', link: 252, t2p: ['-P', 'raw_ip'], hex: TCP6, layers: 1 },
  { name: 'Exported PDU (text2pcap -P eth_withoutfcs)', link: 252, t2p: ['-P', 'eth_withoutfcs'], hex: ETH_TCP4, layers: 1 },
  { name: 'Exported PDU of UDP alone: no IP header', link: 252, t2p: ['-P', 'udp'], hex: udpHex(1, 2, 'aa'), layers: 0 },
  { name: 'TZSP: version 1, received, Ethernet, END tag', link: 128, hex: `0100 0001 01${ETH_TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'TZSP with a padding tag and a tagged field', link: 128, hex: `0100 0001 00 0a 01 7f 01${ETH_TCP4}`.replace(/ /g, ''), layers: 1 },

  // ---- 802.11 and its radio headers ----
  { name: '802.11 data frame, LLC/SNAP', link: 105, hex: `0802 0000 000c29000001 005056000002 005056000003 0000 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: '802.11 QoS data', link: 105, hex: `8802 0000 000c29000001 005056000002 005056000003 0000 0000 aaaa03000000 86dd${TCP6}`.replace(/ /g, ''), layers: 1 },
  { name: '802.11 QoS data, A-MSDU: first subframe', link: 105, hex: `8802 0000 000c29000001 005056000002 005056000003 0000 8000 000c29000001 005056000002 ${h16(48)} aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: '802.11 four-address data frame', link: 105, hex: `0803 0000 000c29000001 005056000002 005056000003 0000 005056000004 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: '802.11 protected frame: not IP', link: 105, hex: `0842 0000 000c29000001 005056000002 005056000003 0000 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 0 },
  { name: 'radiotap (8 bytes, no fields) + 802.11', link: 127, hex: `00000800 00000000 0802 0000 000c29000001 005056000002 005056000003 0000 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Prism header (144 bytes) + 802.11', link: 119, hex: `41000000 90000000 ${zeros(136)}0802 0000 000c29000001 005056000002 005056000003 0000 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'AVS header v1 (64 bytes) + 802.11', link: 163, hex: `80211001 00000040 ${zeros(56)}0802 0000 000c29000001 005056000002 005056000003 0000 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'AVS header behind the Prism link type', link: 119, hex: `80211001 00000040 ${zeros(56)}0802 0000 000c29000001 005056000002 005056000003 0000 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'PPI (8 bytes) + 802.11', link: 192, hex: `0000 0800 69000000 0802 0000 000c29000001 005056000002 005056000003 0000 aaaa03000000 0800${TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'PPI (8 bytes) + Ethernet', link: 192, hex: `0000 0800 01000000${ETH_TCP4}`.replace(/ /g, ''), layers: 1 },
  { name: 'Intel Centrino ethertype 0x2452: an 802.11 frame', link: 1, hex: ethHex(0x2452, `0802 0000 000c29000001 005056000002 005056000003 0000 aaaa03000000 0800${TCP4}`.replace(/ /g, '')), layers: 1 },

  // ---- tunnels by IP protocol ----
  { name: 'IP-in-IP (4)', link: 1, hex: ethHex(0x0800, outer4(4, TCP4)), layers: 2 },
  { name: '6in4 (41)', link: 1, hex: ethHex(0x0800, outer4(41, TCP6)), layers: 2 },
  { name: '4in6 (IPv6 next header 4)', link: 1, hex: ethHex(0x86dd, outer6(4, TCP4)), layers: 2 },
  { name: '6in6', link: 1, hex: ethHex(0x86dd, outer6(41, TCP6)), layers: 2 },
  { name: 'IP-in-IP made by text2pcap -i 4 (Ethernet + IPv4 prepended)', link: 1, t2p: ['-i', '4'], hex: UDP4, layers: 2 },
  { name: 'GRE, IPv4', link: 1, hex: ethHex(0x0800, outer4(47, `0000 0800${TCP4}`.replace(' ', ''))), layers: 2 },
  { name: 'GRE with checksum, key and sequence, IPv6', link: 1, hex: ethHex(0x0800, outer4(47, `b000 86dd 00000000 00000064 00000001${TCP6}`.replace(/ /g, ''))), layers: 2 },
  { name: 'GRE made by text2pcap -i 47: transparent Ethernet bridging 0x6558', link: 1, t2p: ['-i', '47'], hex: `0000 6558${ETH_TCP4}`.replace(' ', ''), layers: 2 },
  { name: 'GRE with a routing entry list (R bit)', link: 1, hex: ethHex(0x0800, outer4(47, `4000 0800 00000000 0800 00 04 0a000001 0000 00 00${TCP4}`.replace(/ /g, ''))), layers: 2 },
  { name: 'GRE, MPLS', link: 1, hex: ethHex(0x0800, outer4(47, `0000 8847 00010140${TCP4}`.replace(/ /g, ''))), layers: 2 },
  { name: 'GRE, WCCPv1 (an IPv4 header right away)', link: 1, hex: ethHex(0x0800, outer4(47, `0000 883e${TCP4}`.replace(' ', ''))), layers: 2 },
  { name: 'GRE, WCCPv2 redirect header', link: 1, hex: ethHex(0x0800, outer4(47, `0000 883e 00010203${TCP4}`.replace(/ /g, ''))), layers: 2 },
  { name: 'Enhanced GRE (PPTP): key, sequence and acknowledgment, PPP', link: 1, hex: ethHex(0x0800, outer4(47, `3081 880b 002c 0001 00000001 00000000 ff030021${TCP4}`.replace(/ /g, ''))), layers: 2 },
  { name: 'GRE, Cisco MetaData (type first)', link: 1, hex: ethHex(0x0800, outer4(47, `0000 8909 0800 0101 0001 0064${TCP4}`.replace(/ /g, ''))), layers: 2 },
  { name: 'GRE, NSH', link: 1, hex: ethHex(0x0800, outer4(47, `0000 894f 0002 0001 00000100${TCP4}`.replace(/ /g, ''))), layers: 2 },
  { name: 'GRE, Aruba 802.11 (0x8200)', link: 1, hex: ethHex(0x0800, outer4(47, `0000 8200 0802 0000 000c29000001 005056000002 005056000003 0000 aaaa03000000 0800${TCP4}`.replace(/ /g, ''))), layers: 2 },
  { name: 'ERSPAN type I (0x88BE, no sequence number): a bare Ethernet frame', link: 1, hex: ethHex(0x0800, outer4(47, `0000 88be${ETH_TCP4}`.replace(' ', ''))), layers: 2 },
  { name: 'ERSPAN type II: sequence number and an 8-byte header', link: 1, hex: ethHex(0x0800, outer4(47, `1000 88be 00000001 10640001 00000000${ETH_TCP4}`.replace(/ /g, ''))), layers: 2 },
  { name: 'ERSPAN type III: 12-byte header', link: 1, hex: ethHex(0x0800, outer4(47, `1000 22eb 00000001 20640001 00000000 0000 0000${ETH_TCP6}`.replace(/ /g, ''))), layers: 2 },
  { name: 'ERSPAN type III with the platform sub-header (O flag)', link: 1, hex: ethHex(0x0800, outer4(47, `1000 22eb 00000001 20640001 00000000 0000 0001 0000000000000000${ETH_TCP4}`.replace(/ /g, ''))), layers: 2 },
  { name: 'ERSPAN type III, frame type 2: not followed', link: 1, hex: ethHex(0x0800, outer4(47, `1000 22eb 00000001 20640001 00000000 0000 0800${ETH_TCP4}`.replace(/ /g, ''))), layers: 1 },
  { name: 'EtherIP (97)', link: 1, hex: ethHex(0x0800, outer4(97, `3000${ETH_TCP4}`)), layers: 2 },
  { name: 'MPLS in IP (137)', link: 1, hex: ethHex(0x0800, outer4(137, `00010140${TCP6}`)), layers: 2 },
  { name: 'Ethernet in IPv6 (next header 143)', link: 1, hex: ethHex(0x86dd, outer6(143, ETH_TCP4)), layers: 2 },
  { name: 'PIM register (version 2, type 1)', link: 1, hex: ethHex(0x0800, outer4(103, `2100 0000 00000000${UDP4}`.replace(/ /g, ''))), layers: 2 },
  { name: 'L2TPv3 over IP data without a control session: tshark shows data', link: 1, hex: ethHex(0x0800, outer4(115, `00000001${ETH_TCP4}`)), layers: 1 },

  // ---- tunnels by UDP port ----
  { name: 'VXLAN (4789)', link: 1, hex: overUdp(49152, 4789, `08000000 00006400${ETH_TCP4}`.replace(' ', '')), layers: 2 },
  { name: 'VXLAN made by text2pcap -u (Ethernet, IPv4, UDP prepended)', link: 1, t2p: ['-u', '50000,4789'], hex: `08000000 00006400${ETH_TCP6}`.replace(' ', ''), layers: 2 },
  { name: 'VXLAN to 4789 from port 53: DNS wins (lower registered port)', link: 1, hex: overUdp(53, 4789, `08000000 00006400${ETH_TCP4}`.replace(' ', '')), layers: 1 },
  { name: 'VXLAN-GPE (4790), next protocol IPv4', link: 1, hex: overUdp(49152, 4790, `0c000001 00006400${TCP4}`.replace(' ', '')), layers: 2 },
  { name: 'VXLAN-GPE, next protocol NSH', link: 1, hex: overUdp(49152, 4790, `0c000004 00006400 0002 0001 00000100${TCP4}`.replace(/ /g, '')), layers: 2 },
  { name: 'Geneve (6081), Ethernet', link: 1, hex: overUdp(49152, 6081, `0000 6558 00006400${ETH_TCP4}`.replace(/ /g, '')), layers: 2 },
  { name: 'Geneve with an 8-byte option, IPv4 directly', link: 1, hex: overUdp(49152, 6081, `0200 0800 00006400 01020304 aabbccdd${TCP4}`.replace(/ /g, '')), layers: 2 },
  { name: 'Geneve over IPv6, IPv6 inside', link: 1, hex: ethHex(0x86dd, outer6(17, udpHex(49152, 6081, `0000 86dd 00006400${TCP6}`.replace(/ /g, '')))), layers: 2 },
  { name: 'Teredo (3544)', link: 1, hex: overUdp(3544, 49152, TCP6), layers: 2 },
  { name: 'Teredo with an origin indication', link: 1, hex: overUdp(3544, 49152, `0000 1234 01020304${TCP6}`.replace(/ /g, '')), layers: 2 },
  { name: 'Teredo with authentication (no id, no value)', link: 1, hex: overUdp(49152, 3544, `0001 00 00 0000000000000000 00${TCP6}`.replace(/ /g, '')), layers: 2 },
  { name: 'GTP-U (2152) T-PDU, IPv4', link: 1, hex: overUdp(2152, 2152, `30ff ${h16(40)} 00000001${TCP4}`.replace(/ /g, '')), layers: 2 },
  { name: 'GTP-U with sequence number', link: 1, hex: overUdp(2152, 2152, `32ff ${h16(44)} 00000001 0001 00 00${TCP4}`.replace(/ /g, '')), layers: 2 },
  { name: 'GTP-U with a PDU session container extension header', link: 1, hex: overUdp(2152, 2152, `34ff ${h16(52)} 00000001 0000 00 85 01 1009 00${TCP6}`.replace(/ /g, '')), layers: 2 },
  { name: 'GTP-U on the GTP-C port 2123', link: 1, hex: overUdp(49152, 2123, `30ff ${h16(40)} 00000001${TCP4}`.replace(/ /g, '')), layers: 2 },
  { name: 'GTP-U carrying PPP: not followed by the T-PDU heuristic', link: 1, hex: overUdp(2152, 2152, `30ff ${h16(44)} 00000001 ff030021${TCP4}`.replace(/ /g, '')), layers: 1 },
  { name: 'L2TPv2 (1701) data, PPP without address/control', link: 1, hex: overUdp(1701, 1701, `0002 0001 0001 0021${TCP4}`.replace(/ /g, '')), layers: 2 },
  { name: 'L2TPv2 data with length, sequence and offset, PPP FF 03', link: 1, hex: overUdp(1701, 1701, `4a02 ${h16(60)} 0001 0001 0000 0000 0002 0000 ff030021${TCP4}`.replace(/ /g, '')), layers: 2 },
  { name: 'L2TPv2 control message: not followed', link: 1, hex: overUdp(1701, 1701, `c802 0014 0001 0001 0000 0000 00088000 0000 0006`.replace(/ /g, '')), layers: 1 },
  { name: 'LISP data (4341)', link: 1, hex: overUdp(49152, 4341, `c0000001 00000001${TCP4}`.replace(' ', '')), layers: 2 },
  { name: 'GRE in UDP (4754)', link: 1, hex: overUdp(49152, 4754, `0000 86dd${TCP6}`.replace(' ', '')), layers: 2 },
  { name: 'MPLS in UDP (6635)', link: 1, hex: overUdp(49152, 6635, `00010140${TCP4}`), layers: 2 },

  // ---- nesting ----
  { name: 'VXLAN, then GRE, then IP-in-IP (three tunnels)', link: 1, hex: overUdp(49152, 4789, `08000000 00006400${ethHex(0x0800, ipv4Hex(47, `0000 0800${ipv4Hex(4, TCP4, '172.16.0.1', '172.16.0.2')}`.replace(' ', ''), '10.9.9.1', '10.9.9.2'))}`.replace(' ', '')), layers: 4 },
  { name: 'A first fragment still carries the tunnel', link: 1, hex: ethHex(0x0800, ipv4Hex(4, TCP4, O_SRC, O_DST, 0x2000)), layers: 2 },
  { name: 'A non-first fragment does not', link: 1, hex: ethHex(0x0800, ipv4Hex(4, TCP4, O_SRC, O_DST, 0x0010)), layers: 1 },
];

/** Four IP-in-IP levels and then a fifth: only TUNNEL_DEPTH_CAP (4) inner layers are kept. */
const DEEP = (() => {
  let p = TCP4;
  for (let i = 0; i < 5; i++) p = ipv4Hex(4, p, `10.0.${i}.1`, `10.0.${i}.2`);
  return ethHex(0x0800, p);
})();

interface Built { frames: LayerView[][]; ours: ReturnType<typeof portholeLayers>; bytes: Uint8Array; merged: number }
let built: Built[] = [];
const fileBytes: Uint8Array[] = [];
let merged: { tshark: LayerView[][]; ours: ReturnType<typeof portholeLayers>; bytes: Uint8Array };
let dir = '';

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

/** text2pcap's hexdump input: offsets and bytes, one packet. */
function hexdump(hex: string): string {
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 32) {
    lines.push(`${(i / 2).toString(16).padStart(6, '0')} ${hex.slice(i, i + 32).replace(/(..)/g, '$1 ').trim()}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  if (!hasTshark) return;
  dir = mkdtempSync(join(tmpdir(), 'porthole-encap-'));
  // Cases with the same link type and tool options go into one capture (text2pcap starts a new
  // packet at each offset 0), so the tools run a few dozen times, tshark once.
  const groups = new Map<string, number[]>();
  CASES.forEach((c, i) => {
    const key = `${c.link}|${(c.t2p ?? []).join(' ')}|${c.editcap ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const files: string[] = [];
  const at = new Array<{ file: number; frame: number; merged: number }>(CASES.length);
  const perFile: Array<ReturnType<typeof portholeLayers>> = [];
  let mergedIndex = 0;
  for (const members of groups.values()) {
    const c = CASES[members[0]!]!;
    const n = files.length;
    const txt = join(dir, `g${n}.txt`);
    const pcap = join(dir, `g${n}.pcap`);
    writeFileSync(txt, members.map((i) => hexdump(CASES[i]!.hex)).join(''));
    run('text2pcap', ['-q', '-F', 'pcap', '-l', String(c.link), ...(c.t2p ?? []), txt, pcap]);
    let file = pcap;
    if (c.editcap) {
      file = join(dir, `g${n}-e.pcap`);
      run('editcap', ['-F', 'pcap', '-T', c.editcap, pcap, file]);
    }
    files.push(file);
    const bytes = new Uint8Array(readFileSync(file));
    perFile.push(portholeLayers(bytes));
    members.forEach((i, frame) => { at[i] = { file: n, frame, merged: mergedIndex++ }; });
    fileBytes.push(bytes);
  }
  const all = join(dir, 'all.pcapng');
  run('mergecap', ['-a', '-F', 'pcapng', '-w', all, ...files]);
  const bytes = new Uint8Array(readFileSync(all));
  merged = { tshark: tsharkLayers(all), ours: portholeLayers(bytes), bytes };
  built = CASES.map((_c, i) => {
    const { file, frame, merged: m } = at[i]!;
    return { frames: merged.tshark[m] ? [merged.tshark[m]!] : [], ours: [perFile[file]![frame]!], bytes: fileBytes[file]!, merged: m };
  });
}, 600_000);

const strip = (ls: LayerView[]) => ls.map(({ ip, src, dst, sport, dport }) => ({ ip, src, dst, sport, dport }));

describe('encapsulations agree with tshark 4.0.17, layer by layer', () => {
  it('tshark, text2pcap, editcap and mergecap are installed', () => {
    expect(hasTshark).toBe(true);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = CASES[i]!;
    const b = built[i]!;
    expect(b.frames).toHaveLength(1);
    // The layout really reaches IP in Wireshark (or, for a negative case, really does not).
    expect(b.frames[0]!.length, 'IP layers tshark shows').toBe(c.layers);
    expect(strip(b.ours[0]!)).toEqual(strip(b.frames[0]!));
  });

  it('the merged pcapng (all cases, many link types) agrees frame by frame, and with each case read as pcap', () => {
    expect(merged.tshark).toHaveLength(CASES.length);
    expect(merged.ours.map(strip)).toEqual(merged.tshark.map(strip));
    expect(built.map((b) => merged.ours[b.merged])).toEqual(built.map((b) => b.ours[0]));
  });

  it('every capture gives the same packets in chunks of 1 and 7 bytes and whole', () => {
    for (const bytes of [...fileBytes, merged.bytes]) {
      const whole = decodeChunked(bytes, bytes.length);
      expect(decodeChunked(bytes, 1).lines).toEqual(whole.lines);
      expect(decodeChunked(bytes, 7).lines).toEqual(whole.lines);
    }
  });

  it('the tunnel depth is capped at 4 inner layers; the ones kept agree with tshark', () => {
    const txt = join(dir, 'deep.txt');
    const pcap = join(dir, 'deep.pcap');
    writeFileSync(txt, hexdump(DEEP));
    run('text2pcap', ['-q', '-F', 'pcap', '-l', '1', txt, pcap]);
    const want = tsharkLayers(pcap)[0]!;
    const got = portholeLayers(new Uint8Array(readFileSync(pcap)))[0]!;
    expect(want).toHaveLength(6);
    expect(strip(got)).toEqual(strip(want.slice(0, 5)));
    expect(got.map((l) => l.chain)).toEqual(['', 'ipip', 'ipip/ipip', 'ipip/ipip/ipip', 'ipip/ipip/ipip/ipip']);
  });

  it('chains are named from the outside in', () => {
    const i = CASES.findIndex((c) => c.name.startsWith('VXLAN, then GRE'));
    expect(built[i]!.ours[0]!.map((l) => l.chain)).toEqual(['', 'vxlan', 'vxlan/gre', 'vxlan/gre/ipip']);
    const e = CASES.findIndex((c) => c.name.startsWith('ERSPAN type II:'));
    expect(built[e]!.ours[0]!.map((l) => l.chain)).toEqual(['', 'gre/erspan']);
  });
});

describe('ERF records (LINKTYPE 197): a variable pseudo-header wiretap strips', () => {
  /** ERF header: timestamp, type (0x80 = extension headers), flags, record length, loss counter, wire length. */
  const erf = (type: number, ext: string, body: string, wlen: number) =>
    `${zeros(8)}${h8(type)}04${h16(16 + (ext.length + body.length) / 2)}0000${h16(wlen)}${ext}${body}`;
  const records = [
    erf(2, '', `0000${ETH_TCP4}`, 100), // Ethernet: 2 bytes of offset/pad; wire length beyond the capture
    erf(0x82, `81${zeros(7)}02${zeros(7)}`, `0000${ETH_TCP6}`, 74), // two extension headers
    erf(11, '', `0000${ETH_TCP4}`, 54), // colored Ethernet
    erf(22, '', TCP4, 40), // IPv4
    erf(23, '', TCP6, 60), // IPv6
    erf(5, '', `00000001ff030021${TCP4}`, 54), // multichannel HDLC: a 4-byte channel header, then PPP (guessed)
    erf(1, '', `0f000800${TCP4}`, 44), // HDLC POS: 0x0F first, so Cisco HDLC
    erf(1, '', `0000${ETH_TCP4}`, 54), // HDLC POS read as PPP protocol 0: no IP; shown no longer than the wire length
    erf(3, '', `00000000${TCP4}`, 44), // ATM cell: not decoded
  ];

  it('lengths and IP layers agree with tshark, as pcap and as pcapng (editcap -F pcapng)', () => {
    const pcap = join(dir, 'erf.pcap');
    writeFileSync(pcap, concat(pcapHeader(true, 197), ...records.map((r) => pcapRecord(true, 1, 0, fromHex(r)))));
    const ng = join(dir, 'erf.pcapng');
    run('editcap', ['-F', 'pcapng', pcap, ng]);
    for (const file of [pcap, ng]) {
      const lens = runTshark(['-r', file, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.cap_len']).trim().split('\n');
      const bytes = new Uint8Array(readFileSync(file));
      const ours = decodeChunked(bytes, 7).lines.map((l) => JSON.parse(l));
      expect(ours.map((o) => `${o.len}\t${o.caplen}`)).toEqual(lens);
      expect(portholeLayers(bytes).map(strip)).toEqual(tsharkLayers(file).map(strip));
      expect(ours.filter((o) => o.ip !== null)).toHaveLength(7);
    }
  });
});

describe('the encapsulation table', () => {
  it('names every decoded link type and says why the others are not', () => {
    const rows = encapsulationTable();
    expect(rows.length).toBeGreaterThan(500);
    for (const r of rows) if (!r.decoded) expect(r.reason, `${r.table} ${r.type}`).not.toBe('');
    for (const lt of new Set(CASES.map((c) => c.link))) expect(DECODED_LINKTYPES, `link type ${lt}`).toContain(lt);
  });

  it('gives Wireshark\'s name and the reason for a stop', () => {
    expect(encapsulationInfo(STOP_TABLE.ETHERTYPE, 0x0806)).toMatchObject({ table: 'ethertype', decoded: false });
    expect(encapsulationInfo(STOP_TABLE.ETHERTYPE, 0x0806).name).toMatch(/^arp/);
    expect(encapsulationInfo(STOP_TABLE.ETHERTYPE, 0x88e7)).toMatchObject({ decoded: true });
    expect(encapsulationInfo(STOP_TABLE.LINKTYPE, 195).reason).toMatch(/6LoWPAN/);
    expect(encapsulationInfo(STOP_TABLE.LINKTYPE, 281)).toMatchObject({ decoded: false, reason: 'tshark 4.0.17 cannot read this link type' });
    expect(encapsulationInfo(STOP_TABLE.PPP, 0x002d).reason).toMatch(/Van Jacobson/);
    expect(encapsulationInfo(STOP_TABLE.ETHERTYPE, 0x1234)).toMatchObject({ name: 'unknown', decoded: false });
  });

  it('a frame that stops says where, with a number the table names', () => {
    expect(stopOf(1, ethHex(0x0806, zeros(28)))).toEqual({ table: STOP_TABLE.ETHERTYPE, type: 0x0806 });
    expect(stopOf(195, zeros(20))).toEqual({ table: STOP_TABLE.LINKTYPE, type: 195 });
    expect(stopOf(9, `ff03c021${zeros(8)}`)).toEqual({ table: STOP_TABLE.PPP, type: 0xc021 });
    expect(stopOf(1, ethHex(0x8847, `0001014020${zeros(20)}`))).toEqual({ table: STOP_TABLE.MPLS, type: 2 });
  });
});

// ---- small helpers for the stop checks ----
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((x) => parseInt(x, 16)));
function stopOf(link: number, hex: string): { table: number; type: number } {
  const d = new DecodedPacket();
  const b = fromHex(hex);
  decodeFrame(b, 0, b.length, link, d);
  return { table: d.stopTable, type: d.stopType };
}
