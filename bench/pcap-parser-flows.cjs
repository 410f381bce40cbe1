// The npm pcap-parser doing the same job as Porthole's core: per-packet Ethernet/IP/TCP/UDP
// header decode and a flow count. pcap only (it cannot read pcapng). Prints JSON.
const pcapp = require('pcap-parser');

const parser = pcapp.parse(process.argv[2]);
const flows = new Set();
let packets = 0;
let bytes = 0;
parser.on('packet', (p) => {
  packets++;
  bytes += p.header.originalLength;
  const d = p.data;
  let o = 12;
  let type = d.readUInt16BE(o);
  o += 2;
  if (type === 0x8100) { type = d.readUInt16BE(o + 2); o += 4; }
  let proto, src, dst;
  if (type === 0x0800) {
    const ihl = (d[o] & 15) * 4;
    if ((d.readUInt16BE(o + 6) & 0x1fff) !== 0) return;
    proto = d[o + 9]; src = d.readUInt32BE(o + 12); dst = d.readUInt32BE(o + 16); o += ihl;
  } else if (type === 0x86dd) {
    proto = d[o + 6]; src = d.toString('hex', o + 8, o + 24); dst = d.toString('hex', o + 24, o + 40); o += 40;
    if (proto === 0) { proto = d[o]; o += (d[o + 1] + 1) * 8; }
  } else return;
  if (proto !== 6 && proto !== 17) return;
  const sp = d.readUInt16BE(o), dp = d.readUInt16BE(o + 2);
  const a = `${src}:${sp}`, b = `${dst}:${dp}`;
  flows.add(a < b ? `${proto} ${a} ${b}` : `${proto} ${b} ${a}`);
});
parser.on('end', () => console.log(JSON.stringify({ packets, bytes, flows: flows.size })));
