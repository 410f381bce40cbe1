// The floor cost of touching every record: read the file in 4 MiB chunks and walk the record
// headers (pcap or pcapng), nothing else. Prints JSON {packets, bytes}.
import { openSync, readSync, closeSync } from 'node:fs';

const path = process.argv[2];
const fd = openSync(path, 'r');
const CHUNK = 4 * 1024 * 1024;
let buf = Buffer.allocUnsafe(CHUNK * 2);
let have = 0;
let pos = 0;
let packets = 0;
let bytes = 0;
let format = null;
for (;;) {
  const n = readSync(fd, buf, have, CHUNK, pos);
  pos += n;
  have += n;
  let o = 0;
  if (format === null && have >= 24) {
    format = buf.readUInt32LE(0) === 0x0a0d0d0a ? 'pcapng' : 'pcap';
    if (format === 'pcap') o = 24;
  }
  if (format === 'pcap') {
    while (o + 16 <= have) {
      const cap = buf.readUInt32LE(o + 8);
      if (o + 16 + cap > have) break;
      bytes += buf.readUInt32LE(o + 12);
      packets++;
      o += 16 + cap;
    }
  } else {
    while (o + 12 <= have) {
      const len = buf.readUInt32LE(o + 4);
      if (o + len > have) break;
      if (buf.readUInt32LE(o) === 6) {
        packets++;
        bytes += buf.readUInt32LE(o + 24);
      }
      o += len;
    }
  }
  buf.copy(buf, 0, o, have);
  have -= o;
  if (n === 0) break;
}
closeSync(fd);
console.log(JSON.stringify({ packets, bytes }));
