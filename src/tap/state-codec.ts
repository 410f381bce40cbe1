// The analysis state as bytes: a small JSON header and typed-array sections, 8-byte aligned.
// Used to move states between workers, to save analyses in IndexedDB, and for state files.
//
//   "PHST" | u32 version | u32 header length | header JSON (UTF-8) | padding | sections...
//
// The header names every section with its type, byte offset and element count. Reading checks
// every length and value range before building anything, so a damaged or hostile state is an
// error with a reason, never a crash.
import type { CaptureInfo, ReadOutcome } from '../decoder/capture-info';
import { APP_NAMES } from '../net/payload-signatures';
import { AnalysisState, type StateFile, type StateSource } from './analysis-state';
import { NO_IP_REASONS } from './decode-stats';
import { BITS, FLOW_KEY, FlowTable, NUM } from './flow-table';
import { MarkTable } from './mark-table';
import { PACKETS_INSPECTED, PayloadTable } from './payload-table';
import { MAX_BUCKETS, PORTS_PER_BUCKET, SERIES_CLASSES } from './time-series';

export const STATE_MAGIC = 'PHST';
/** 2: the header may list the capture files (`files`). Version 1 states are read as having none. */
export const STATE_VERSION = 2;
const READABLE_VERSIONS = [1, 2];
/** Refuse states claiming more rows than this (memory safety when reading untrusted bytes). */
const MAX_ROWS = 50_000_000;

type Typed = Float64Array | Uint32Array | Int32Array | Uint8Array;
const TYPES = { f64: Float64Array, u32: Uint32Array, i32: Int32Array, u8: Uint8Array } as const;
type TypeName = keyof typeof TYPES;

interface SectionEntry {
  name: string;
  type: TypeName;
  offset: number;
  length: number;
}

interface TableHeader {
  rows: number;
  maxFlows: number;
  overflowPackets: number;
  overflowBytes: number;
  overflowFlows: number;
  overflowKeys: number;
}

interface StateHeader {
  source: StateSource;
  capture: CaptureInfo;
  read: ReadOutcome;
  linkTypes: Array<[number, number, number]>;
  flows: TableHeader;
  ipPairs: TableHeader;
  payloads: { slots: number; names: string[] };
  marks: number;
  series: { widthExp: number; startIndex: number; slots: number };
  sections: SectionEntry[];
  /** Version 2: the capture files (times null where the state has ±Infinity). */
  files?: FileHeader[];
}

type FileHeader = Omit<StateFile, 'firstTs' | 'lastTs'> & { firstTs: number | null; lastTs: number | null };

export class StateFormatError extends Error {
  constructor(message: string) {
    super(`not a valid Porthole analysis state: ${message}`);
    this.name = 'StateFormatError';
  }
}

const STAT_FIELDS = ['packets', 'bytes', 'capturedBytes', 'sliced', 'ipv4Packets', 'ipv4Bytes', 'ipv6Packets', 'ipv6Bytes',
  'portPackets', 'portBytes', 'firstFragments', 'nonFirstFragments', 'ipv6UnderIpv4', 'firstTs', 'lastTs'] as const;


/** Encode a state (its arrays are copied; the state is not changed). */
export function encodeState(s: AnalysisState): ArrayBuffer {
  const parts: Array<{ name: string; type: TypeName; data: Typed }> = [];
  const add = (name: string, type: TypeName, data: Typed) => parts.push({ name, type, data });
  const table = (prefix: string, t: FlowTable): TableHeader => {
    add(`${prefix}.keys`, 'u32', t.index.keys.subarray(0, t.size * FLOW_KEY.WIDTH));
    add(`${prefix}.num`, 'f64', t.num.subarray(0, t.size * NUM.STRIDE));
    add(`${prefix}.bits`, 'u8', t.bits.subarray(0, t.size * BITS.STRIDE));
    add(`${prefix}.overflowKeys`, 'u32', t.overflowIndex.keys.subarray(0, t.overflowIndex.rows * FLOW_KEY.WIDTH));
    return { rows: t.size, maxFlows: t.maxFlows, overflowPackets: t.overflowPackets, overflowBytes: t.overflowBytes, overflowFlows: t.overflowFlows, overflowKeys: t.overflowIndex.rows };
  };
  const st = s.stats;
  // Scalars as doubles: first/last times may be infinite (no timestamps), which JSON cannot carry.
  add('stats.scalars', 'f64', Float64Array.from(STAT_FIELDS, (f) => st[f]));
  add('stats.noIpPackets', 'f64', st.noIpPackets);
  add('stats.noIpBytes', 'f64', st.noIpBytes);
  add('stats.l4Packets', 'f64', st.l4Packets);
  add('stats.l4Bytes', 'f64', st.l4Bytes);
  const flows = table('flows', s.flows);
  const ipPairs = table('ipPairs', s.ipPairs);
  const p = s.payloads;
  const rows = s.flows.size;
  const count = new Uint8Array(rows);
  count.set(p.count.subarray(0, Math.min(rows, p.count.length)));
  const slot = Int32Array.from({ length: rows }, (_, r) => p.slotOf(r));
  add('payloads.count', 'u8', count);
  add('payloads.slot', 'i32', slot);
  add('payloads.frames', 'f64', p.frames.subarray(0, p.slots * PACKETS_INSPECTED));
  add('payloads.apps', 'u8', p.apps.subarray(0, p.slots * PACKETS_INSPECTED));
  add('payloads.nameIds', 'i32', p.nameIds.subarray(0, p.slots * PACKETS_INSPECTED));
  add('marks.keys', 'u32', s.marks.index.keys.subarray(0, s.marks.size * FLOW_KEY.WIDTH));
  add('marks.bits', 'u8', s.marks.bits.subarray(0, s.marks.size));
  const ts = s.series;
  add('series.classPackets', 'f64', ts.classPackets.subarray(0, ts.slots * SERIES_CLASSES));
  add('series.classBytes', 'f64', ts.classBytes.subarray(0, ts.slots * SERIES_CLASSES));
  add('series.portKeys', 'i32', ts.portKeys.subarray(0, ts.slots * PORTS_PER_BUCKET));
  add('series.portPackets', 'f64', ts.portPackets.subarray(0, ts.slots * PORTS_PER_BUCKET));
  add('series.portBytes', 'f64', ts.portBytes.subarray(0, ts.slots * PORTS_PER_BUCKET));

  const header: StateHeader = {
    source: s.source, capture: s.capture, read: s.read,
    linkTypes: [...st.linkTypes.entries()].map(([lt, c]) => [lt, c[0]!, c[1]!]),
    flows, ipPairs, payloads: { slots: p.slots, names: p.names.texts }, marks: s.marks.size,
    series: { widthExp: ts.widthExp, startIndex: ts.startIndex, slots: ts.used ? ts.slots : 0 },
    sections: [],
    files: s.files.map((f) => ({ ...f, firstTs: Number.isFinite(f.firstTs) ? f.firstTs : null, lastTs: Number.isFinite(f.lastTs) ? f.lastTs : null })),
  };
  // Offsets depend on the header's length, which depends on the offsets: lay out twice.
  let headerBytes = new Uint8Array(0);
  for (let pass = 0; pass < 3; pass++) {
    let offset = align8(12 + headerBytes.length + 64);
    header.sections = parts.map((part) => {
      const e = { name: part.name, type: part.type, offset, length: part.data.length };
      offset = align8(offset + part.data.byteLength);
      return e;
    });
    headerBytes = new TextEncoder().encode(JSON.stringify(header));
  }
  const total = header.sections.length ? align8(header.sections.at(-1)!.offset + parts.at(-1)!.data.byteLength) : align8(12 + headerBytes.length);
  const out = new ArrayBuffer(total);
  const bytes = new Uint8Array(out);
  bytes.set(new TextEncoder().encode(STATE_MAGIC), 0);
  const dv = new DataView(out);
  dv.setUint32(4, STATE_VERSION, true);
  dv.setUint32(8, headerBytes.length, true);
  if (12 + headerBytes.length > header.sections[0]!.offset) throw new Error('state header layout overflow');
  bytes.set(headerBytes, 12);
  parts.forEach((part, i) => {
    const e = header.sections[i]!;
    new (TYPES[part.type] as new (b: ArrayBuffer, o: number, n: number) => Typed)(out, e.offset, e.length).set(part.data as never);
  });
  return out;
}

/** Decode bytes made by encodeState, checking everything (StateFormatError says what is wrong). */
export function decodeState(buffer: ArrayBuffer): AnalysisState {
  if (buffer.byteLength < 12) throw new StateFormatError('too short');
  const magic = new TextDecoder().decode(new Uint8Array(buffer, 0, 4));
  if (magic !== STATE_MAGIC) throw new StateFormatError('wrong magic bytes');
  const dv = new DataView(buffer);
  const version = dv.getUint32(4, true);
  if (!READABLE_VERSIONS.includes(version)) {
    throw new StateFormatError(`version ${version} is not supported (this Porthole reads versions ${READABLE_VERSIONS.join(' and ')})`);
  }
  const headerLen = dv.getUint32(8, true);
  if (12 + headerLen > buffer.byteLength) throw new StateFormatError('the header runs past the end');
  let h: StateHeader;
  try {
    h = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(buffer, 12, headerLen))) as StateHeader;
  } catch {
    throw new StateFormatError('the header is not valid JSON');
  }
  if (typeof h !== 'object' || h === null || !Array.isArray(h.sections)) throw new StateFormatError('the header has no sections');
  const sections = new Map<string, SectionEntry>();
  for (const e of h.sections) {
    if (typeof e?.name !== 'string' || !(e.type in TYPES) || !isCount(e.offset) || !isCount(e.length)) throw new StateFormatError('a section entry is malformed');
    const size = TYPES[e.type].BYTES_PER_ELEMENT;
    if (e.offset % 8 !== 0 || e.offset + e.length * size > buffer.byteLength) throw new StateFormatError(`section ${e.name} lies outside the data`);
    sections.set(e.name, e);
  }
  const section = <T extends TypeName>(name: string, type: T, length: number): InstanceType<(typeof TYPES)[T]> => {
    const e = sections.get(name);
    if (!e || e.type !== type || e.length !== length) throw new StateFormatError(`section ${name} is missing or has the wrong size`);
    const Ctor = TYPES[type] as unknown as new (b: ArrayBuffer, o: number, n: number) => InstanceType<(typeof TYPES)[T]>;
    // Copy into a fresh array: the state must not keep the whole buffer alive.
    return (new Ctor(buffer, e.offset, e.length) as Typed).slice() as InstanceType<(typeof TYPES)[T]>;
  };
  const flowsHeader = tableHeader(h.flows, 'flows');
  const state = new AnalysisState(source(h.source), flowsHeader.maxFlows);
  if (typeof h.capture !== 'object' || h.capture === null || !Array.isArray(h.capture.interfaces) || !Array.isArray(h.capture.sections)) {
    throw new StateFormatError('capture information is missing');
  }
  state.capture = h.capture;
  state.read = outcome(h.read);
  // Migration: version 1 had no file list (a state of one capture, or of parts of one).
  if (version >= 2 && h.files !== undefined) state.files = files(h.files);
  const st = state.stats;
  const scalars = section('stats.scalars', 'f64', STAT_FIELDS.length);
  STAT_FIELDS.forEach((f, i) => {
    const v = scalars[i]!;
    if (Number.isNaN(v)) throw new StateFormatError(`statistic ${f} is not a number`);
    st[f] = v;
  });
  st.noIpPackets.set(section('stats.noIpPackets', 'f64', NO_IP_REASONS));
  st.noIpBytes.set(section('stats.noIpBytes', 'f64', NO_IP_REASONS));
  st.l4Packets.set(section('stats.l4Packets', 'f64', 256));
  st.l4Bytes.set(section('stats.l4Bytes', 'f64', 256));
  if (!Array.isArray(h.linkTypes)) throw new StateFormatError('link types are missing');
  for (const lt of h.linkTypes) {
    if (!Array.isArray(lt) || lt.length !== 3 || !lt.every(isCount)) throw new StateFormatError('a link type entry is malformed');
    st.addLinkType(lt[0], lt[1], lt[2]);
  }
  loadTable(state.flows, flowsHeader, 'flows', section);
  loadTable(state.ipPairs, tableHeader(h.ipPairs, 'ipPairs'), 'ipPairs', section);
  loadPayloads(state.payloads, h.payloads, state.flows.size, section);
  loadMarks(state.marks, h.marks, section);
  const s = h.series;
  if (!s || !Number.isInteger(s.widthExp) || !Number.isFinite(s.startIndex) || !isCount(s.slots) || s.slots > MAX_BUCKETS) {
    throw new StateFormatError('the time series header is malformed');
  }
  const portKeys = section('series.portKeys', 'i32', s.slots * PORTS_PER_BUCKET);
  if (portKeys.some((k) => k < -1)) throw new StateFormatError('the time series has a bad port key');
  state.series.restore(s.widthExp, s.startIndex, s.slots,
    section('series.classPackets', 'f64', s.slots * SERIES_CLASSES), section('series.classBytes', 'f64', s.slots * SERIES_CLASSES),
    portKeys, section('series.portPackets', 'f64', s.slots * PORTS_PER_BUCKET), section('series.portBytes', 'f64', s.slots * PORTS_PER_BUCKET));
  return state;
}

type SectionReader = <T extends TypeName>(name: string, type: T, length: number) => InstanceType<(typeof TYPES)[T]>;

function loadTable(t: FlowTable, h: TableHeader, prefix: string, section: SectionReader): void {
  const keys = section(`${prefix}.keys`, 'u32', h.rows * FLOW_KEY.WIDTH);
  for (let r = 0; r < h.rows; r++) {
    const meta = keys[r * FLOW_KEY.WIDTH]!;
    if ((meta & 0xff) !== 4 && (meta & 0xff) !== 6) throw new StateFormatError(`${prefix} row ${r} has an IP version other than 4 or 6`);
  }
  if (!t.index.load(keys, h.rows)) throw new StateFormatError(`${prefix} holds the same flow twice`);
  t.restore(section(`${prefix}.num`, 'f64', h.rows * NUM.STRIDE), section(`${prefix}.bits`, 'u8', h.rows * BITS.STRIDE));
  for (let r = 0; r < h.rows; r++) {
    if (!(t.packetsAB(r) >= 0 && t.packetsBA(r) >= 0 && t.bytesAB(r) >= 0 && t.bytesBA(r) >= 0 && t.firstFrame(r) >= 1)) {
      throw new StateFormatError(`${prefix} row ${r} has negative counts or no first frame`);
    }
  }
  t.overflowPackets = h.overflowPackets;
  t.overflowBytes = h.overflowBytes;
  t.overflowFlows = h.overflowFlows;
  if (!t.overflowIndex.load(section(`${prefix}.overflowKeys`, 'u32', h.overflowKeys * FLOW_KEY.WIDTH), h.overflowKeys)) {
    throw new StateFormatError(`${prefix} overflow keys repeat`);
  }
}

function loadPayloads(p: PayloadTable, h: StateHeader['payloads'], rows: number, section: SectionReader): void {
  if (!h || !isCount(h.slots) || h.slots > rows || !Array.isArray(h.names) || !h.names.every((n) => typeof n === 'string')) {
    throw new StateFormatError('payload information is malformed');
  }
  const count = section('payloads.count', 'u8', rows);
  const slot = section('payloads.slot', 'i32', rows);
  const entries = h.slots * PACKETS_INSPECTED;
  const nameIds = section('payloads.nameIds', 'i32', entries);
  const apps = section('payloads.apps', 'u8', entries);
  if (apps.some((a) => a >= APP_NAMES.length)) throw new StateFormatError('a payload has an unknown protocol id');
  for (let r = 0; r < rows; r++) {
    const n = count[r]!, s = slot[r]!;
    if (n > PACKETS_INSPECTED || s >= h.slots || (n > 0) !== (s >= 0)) throw new StateFormatError(`payload row ${r} is inconsistent`);
    for (let e = s * PACKETS_INSPECTED; e < s * PACKETS_INSPECTED + n; e++) {
      if (nameIds[e]! < -1 || nameIds[e]! >= h.names.length) throw new StateFormatError('a payload name id is out of range');
    }
  }
  p.restoreRows(count, slot);
  p.slots = h.slots;
  p.frames = section('payloads.frames', 'f64', entries);
  p.apps = apps;
  p.nameIds = nameIds;
  for (const n of h.names) p.names.id(n);
}

function loadMarks(m: MarkTable, rows: number, section: SectionReader): void {
  if (!isCount(rows)) throw new StateFormatError('the mark count is malformed');
  if (!m.index.load(section('marks.keys', 'u32', rows * FLOW_KEY.WIDTH), rows)) throw new StateFormatError('a mark repeats');
  m.bits = section('marks.bits', 'u8', rows);
}

function tableHeader(h: TableHeader | undefined, name: string): TableHeader {
  const ok = h && isCount(h.rows) && h.rows <= MAX_ROWS && isCount(h.maxFlows) && isCount(h.overflowPackets) && isCount(h.overflowBytes)
    && isCount(h.overflowFlows) && isCount(h.overflowKeys) && h.overflowKeys <= MAX_ROWS;
  if (!ok) throw new StateFormatError(`the ${name} table header is malformed`);
  return h;
}

function files(list: unknown): StateFile[] {
  if (!Array.isArray(list)) throw new StateFormatError('the file list is malformed');
  return list.map((f: FileHeader, i) => {
    const time = (t: unknown) => t === null || (typeof t === 'number' && Number.isFinite(t));
    const ok = typeof f === 'object' && f !== null && typeof f.name === 'string' && (f.size === null || isCount(f.size))
      && (f.fingerprint === null || (typeof f.fingerprint === 'string' && /^[0-9a-f]{64}$/.test(f.fingerprint)))
      && typeof f.capture === 'object' && f.capture !== null && Array.isArray(f.capture.interfaces) && Array.isArray(f.capture.sections)
      && isCount(f.packets) && typeof f.bytes === 'number' && f.bytes >= 0 && time(f.firstTs) && time(f.lastTs)
      && Array.isArray(f.warnings) && f.warnings.every((w) => typeof w === 'string')
      && (f.duplicateOf === null || typeof f.duplicateOf === 'string');
    if (!ok) throw new StateFormatError(`file entry ${i} is malformed`);
    return {
      name: f.name, size: f.size, fingerprint: f.fingerprint, capture: f.capture, read: outcome(f.read), packets: f.packets, bytes: f.bytes,
      firstTs: f.firstTs ?? Infinity, lastTs: f.lastTs ?? -Infinity, warnings: f.warnings, duplicateOf: f.duplicateOf,
    };
  });
}

function source(s: StateSource | undefined): StateSource {
  if (!s || typeof s.name !== 'string' || (s.size !== null && !isCount(s.size))) throw new StateFormatError('the source is malformed');
  return { name: s.name, size: s.size };
}

function outcome(r: ReadOutcome | undefined): ReadOutcome {
  const statuses = ['complete', 'damaged', 'not-a-capture', 'empty', 'cancelled'];
  if (!r || !statuses.includes(r.status)) throw new StateFormatError('the read outcome is malformed');
  return { status: r.status, offset: r.offset ?? null, record: r.record ?? null, reason: r.reason ?? null, message: r.message ?? null };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
