// Hand-made pcap and pcapng edge cases: byte orders, sections, interfaces, block kinds, damage.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeChunked, runTshark } from './helpers/decode';
import {
  block, concat, epb, idb, pb, pcapHeader, pcapRecord, rawUdp, shb, spb, text, udpFrame,
} from './helpers/capture-builder';

const A = [10, 0, 0, 1], B = [10, 0, 0, 2];
const frame = udpFrame(A, B, 40000, 53);
const rows = (lines: string[]) => lines.map((l) => JSON.parse(l));

/** Decode whole and byte by byte; both must agree. */
function decode(bytes: Uint8Array) {
  const whole = decodeChunked(bytes, bytes.length || 1);
  const bytewise = decodeChunked(bytes, 1);
  expect(bytewise.lines).toEqual(whole.lines);
  expect(bytewise.outcome).toEqual(whole.outcome);
  return { ...whole, packets: rows(whole.lines) };
}

describe('classic pcap', () => {
  it.each([[true, false], [false, false], [true, true], [false, true]])('little-endian=%s nanoseconds=%s', (le, nsec) => {
    const file = concat(pcapHeader(le, 1, nsec), pcapRecord(le, 1700000000, nsec ? 123456789 : 123456, frame));
    const { packets, outcome, reader } = decode(file);
    expect(outcome.status).toBe('complete');
    expect(reader.info.byteOrder).toBe(le ? 'little' : 'big');
    expect(packets[0]).toMatchObject({ n: 1, ts: nsec ? '1700000000.123456789' : '1700000000.123456', ip: 4, src: '10.0.0.1', dst: '10.0.0.2', proto: 'udp', sport: 40000, dport: 53 });
  });

  it('masks the FCS bits above the link type, as libpcap does', () => {
    const file = concat(pcapHeader(true, 0x30000001), pcapRecord(true, 1, 0, frame));
    expect(decode(file).packets[0]).toMatchObject({ link: 1, ip: 4 });
  });

  it('a record cut short at the end is damage after the packets before it', () => {
    const rec = pcapRecord(true, 1, 0, frame);
    const file = concat(pcapHeader(true, 1), rec, rec.subarray(0, 30));
    const { packets, outcome } = decode(file);
    expect(packets).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'damaged', reason: 'truncated-record', offset: 24 + rec.length, record: 2 });
  });

  it('a record claiming a huge length stops reading without allocating it', () => {
    const bad = pcapRecord(true, 1, 0, frame);
    new DataView(bad.buffer).setUint32(8, 0x7fffffff, true);
    // A body after the bad header, so a reader that trusted the length would buffer it.
    const file = concat(pcapHeader(true, 1), pcapRecord(true, 1, 0, frame), bad, new Uint8Array(100_000));
    const { packets, outcome } = decode(file);
    expect(packets).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'damaged', reason: 'record-too-large', record: 2 });
    // Whole, in 7-byte pieces and byte by byte, the carry buffer never grew past its initial 64 KiB.
    for (const chunk of [file.length, 7, 1]) {
      const { reader } = decodeChunked(file, chunk);
      expect(reader.carryCapacity, `${chunk}-byte chunks`).toBeLessThanOrEqual(64 * 1024);
    }
  });

  it('a file cut inside its header is damaged; a non-capture and an empty file are named as such', () => {
    expect(decode(pcapHeader(true, 1).subarray(0, 10)).outcome).toMatchObject({ status: 'damaged', reason: 'truncated-header' });
    expect(decode(text('hello, this is not a capture')).outcome.status).toBe('not-a-capture');
    expect(decode(new Uint8Array(0)).outcome.status).toBe('empty');
    expect(decode(new Uint8Array([0xd4, 0xc3])).outcome.status).toBe('not-a-capture');
  });

  it('unknown link types still count their records (no IP)', () => {
    const { packets, outcome } = decode(concat(pcapHeader(true, 195), pcapRecord(true, 1, 0, frame)));
    expect(outcome.status).toBe('complete');
    expect(packets[0]).toMatchObject({ link: 195, ip: null, len: frame.length });
  });
});

describe('pcapng', () => {
  it('big-endian section with SPB and the obsolete packet block', () => {
    const le = false;
    const file = concat(shb(le), idb(le, 1, 1500), spb(le, frame), pb(le, 0, 0, 5_000_000, frame));
    const { packets, outcome, reader } = decode(file);
    expect(outcome.status).toBe('complete');
    expect(reader.info.sections[0]!.byteOrder).toBe('big');
    expect(packets).toHaveLength(2);
    // An SPB has no timestamp: tshark shows none, so neither do we (ts null, not 0).
    expect(packets[0]).toMatchObject({ ts: null, src: '10.0.0.1', dport: 53 });
    expect(packets[1]).toMatchObject({ ts: '5.000000', sport: 40000 });
  });

  it('SPB captured length is bounded by the snap length', () => {
    const file = concat(shb(true), idb(true, 1, 20), spb(true, frame));
    expect(decode(file).packets[0]).toMatchObject({ caplen: 20, len: frame.length, ip: null });
  });

  it('two sections of different byte order restart interface numbering', () => {
    const file = concat(
      shb(true, [[1, text('first')]]), idb(true, 1), epb(true, 0, 0, 1_000_000, frame),
      shb(false, [[1, text('second')]]), idb(false, 228), epb(false, 0, 0, 2_000_000, rawUdp(B, A, 53, 40000)),
    );
    const { packets, reader } = decode(file);
    expect(reader.info.sections.map((s) => [s.byteOrder, s.comments[0]])).toEqual([['little', 'first'], ['big', 'second']]);
    expect(reader.info.interfaces.map((i) => [i.id, i.section, i.sectionIf, i.linkType])).toEqual([[0, 0, 0, 1], [1, 1, 0, 228]]);
    expect(packets.map((p) => [p.link, p.src, p.ts])).toEqual([[1, '10.0.0.1', '1.000000'], [228, '10.0.0.2', '2.000000']]);
  });

  it('per-interface if_tsresol (10^-9 and 2^-20) and if_tsoffset', () => {
    const file = concat(
      shb(true),
      idb(true, 1, 262144, [[9, Uint8Array.of(9)], [2, text('eth0')]]),
      idb(true, 101, 262144, [[9, Uint8Array.of(0x80 | 20)], [14, Uint8Array.of(100, 0, 0, 0, 0, 0, 0, 0)]]),
      // 1700000000.123456789 s in ns = 0x1797_1A6C_77F7_0D15
      epb(true, 0, 0x179731a6, 0xc77f7d15 >>> 0, frame),
      // 3.5 s in 2^-20 units = 3670016
      epb(true, 1, 0, 3670016, rawUdp(A, B, 1, 2)),
    );
    const { packets, reader } = decode(file);
    expect(reader.info.interfaces[0]).toMatchObject({ name: 'eth0', tsResolution: { base: 10, exponent: 9 } });
    expect(reader.info.interfaces[1]).toMatchObject({ tsResolution: { base: 2, exponent: 20 }, tsOffsetSec: 100 });
    const hi = 0x179731a6, lo = 0xc77f7d15;
    const ns = BigInt(hi) * 2n ** 32n + BigInt(lo);
    expect(packets[0].ts).toBe(`${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`);
    expect(packets[1].ts).toBe('103.500000000');
  });

  it('skips unknown, statistics, name resolution and custom blocks by their length; options are padded', () => {
    const file = concat(
      shb(true, [[1, text('odd')], [4, text('porthole-test')]]),
      idb(true, 1, 262144, [[1, text('a comment of 21 bytes')]]),
      block(true, 4, new Uint8Array(12)), // name resolution
      block(true, 0x12345678, new Uint8Array(7)), // unknown
      epb(true, 0, 0, 0, frame, frame.length, [[1, text('pkt')]]),
      block(true, 5, new Uint8Array(12)), // interface statistics
      block(true, 0x40000bad, new Uint8Array(9)), // custom
      epb(true, 0, 0, 1, frame),
    );
    const { packets, outcome, reader } = decode(file);
    expect(outcome.status).toBe('complete');
    expect(packets).toHaveLength(2);
    expect(reader.info.sections[0]).toMatchObject({ comments: ['odd'], application: 'porthole-test' });
    expect(reader.info.interfaces[0]!.comments).toEqual(['a comment of 21 bytes']);
    expect(reader.info.blocks).toBe(8);
  });

  it('a broken trailer stops reading at that block and keeps the packets before it', () => {
    const good = epb(true, 0, 0, 0, frame);
    const head = concat(shb(true), idb(true, 1));
    const badBody = epb(true, 0, 0, 1, frame);
    const bad = block(true, 6, badBody.subarray(8, badBody.length - 4), [], 4242);
    const { packets, outcome } = decode(concat(head, good, bad, good));
    expect(packets).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'damaged', reason: 'block-trailer-mismatch', offset: head.length + good.length, record: 2 });
    expect(outcome.message).toContain('4242');
  });

  it('a packet naming an undescribed interface, or longer than its block, is damage', () => {
    const head = concat(shb(true), idb(true, 1));
    expect(decode(concat(head, epb(true, 3, 0, 0, frame))).outcome).toMatchObject({ status: 'damaged', reason: 'unknown-interface' });
    const e = epb(true, 0, 0, 0, frame);
    new DataView(e.buffer).setUint32(20, 5000, true);
    expect(decode(concat(head, e)).outcome).toMatchObject({ status: 'damaged', reason: 'packet-beyond-block' });
  });

  it('a block length that is not a multiple of 4 or absurdly large is damage, not an allocation', () => {
    const head = concat(shb(true), idb(true, 1));
    const e = epb(true, 0, 0, 0, frame);
    new DataView(e.buffer).setUint32(4, 0xfffffff0, true);
    expect(decode(concat(head, e)).outcome).toMatchObject({ status: 'damaged', reason: 'bad-block-length' });
    const f = epb(true, 0, 0, 0, frame);
    new DataView(f.buffer).setUint32(4, 30, true);
    expect(decode(concat(head, f)).outcome).toMatchObject({ status: 'damaged', reason: 'bad-block-length' });
  });

  it('a file cut in the middle of a block is damage after the last whole block', () => {
    const head = concat(shb(true), idb(true, 1));
    const e = epb(true, 0, 0, 0, frame);
    const { packets, outcome } = decode(concat(head, e, e.subarray(0, 20)));
    expect(packets).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'damaged', reason: 'truncated-record', offset: head.length + e.length });
  });
});

describe('timestamps as tshark reads them', () => {
  /** tshark's frame.time_epoch is secs "." raw nanoseconds (not normalized, may be negative): its value in ns. */
  const tsharkEpochNs = (s: string): bigint => {
    const neg = s.startsWith('-');
    const [sec, frac = '0'] = (neg ? s.slice(1) : s).split('.');
    const ns = BigInt(frac.padEnd(9, '0').length > 9 ? frac : frac.padEnd(9, '0'));
    return BigInt(sec!) * 1_000_000_000n + (neg ? -ns : ns);
  };
  const oursNs = (ts: string): bigint => {
    const [sec, frac = ''] = ts.split('.');
    return BigInt(sec!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
  };

  it.each([
    // µs pcap: fractions of a second and more (1.101104 s), exactly 1 s, a wrapped 32-bit product.
    [false, [[1700000000, 5], [1700000000, 999_999], [1700000000, 1_101_104], [100, 2_000_000], [1700000000, 4_294_967_295], [4_294_967_295, 1_500_000]]],
    // ns pcap: beyond a second, and values wiretap keeps as a negative int.
    [true, [[1700000000, 5], [1700000000, 999_999_999], [1700000000, 1_101_104_000], [1700000000, 2_500_000_000], [1700000000, 4_294_967_295], [4_294_967_295, 1_500_000_000]]],
  ] as const)('pcap nanoseconds=%s: fractions beyond a second carry into the seconds like tshark\'s time', (nsec, recs) => {
    const file = concat(pcapHeader(true, 1, nsec), ...recs.map(([s, f]) => pcapRecord(true, s, f, frame)));
    const { packets } = decode(file);
    const dir = mkdtempSync(join(tmpdir(), 'porthole-ts-'));
    const path = join(dir, 'ts.pcap');
    writeFileSync(path, file);
    const want = runTshark(['-r', path, '-T', 'fields', '-e', 'frame.time_epoch']).trim().split('\n').map(tsharkEpochNs);
    expect(want).toHaveLength(recs.length);
    expect(packets.map((p) => oursNs(p.ts))).toEqual(want);
    expect(packets[2].ts).toBe(nsec ? '1700000001.101104000' : '1700000001.101104');
  });

  it('a simple packet block has no time (ts null), like tshark; the packets around it keep theirs', () => {
    const file = concat(shb(true), idb(true, 1), epb(true, 0, 0, 5_000_000, frame), spb(true, frame), epb(true, 0, 0, 6_000_000, frame));
    const dir = mkdtempSync(join(tmpdir(), 'porthole-spb-'));
    const path = join(dir, 'spb.pcapng');
    writeFileSync(path, file);
    const tshark = runTshark(['-r', path, '-T', 'fields', '-e', 'frame.time_epoch']).split('\n').slice(0, 3);
    expect(tshark).toEqual(['5.000000000', '', '6.000000000']);
    const { packets, reader } = decode(file);
    expect(packets.map((p) => p.ts)).toEqual(['5.000000', null, '6.000000']);
    expect(reader.record.hasTime).toBe(true);
  });
});
