// The report document: what `porthole analyze --json` prints, what exports contain and what
// older saved analyses hold. Types and the runtime validator come from one definition.
import * as v from 'valibot';
import type { CaptureInfo } from '../decoder/capture-info';

export const REPORT_SCHEMA_VERSION = 1;

const MAX_TEXT = 100_000;
const text = v.pipe(v.string(), v.maxLength(MAX_TEXT));
const num = v.pipe(v.number(), v.finite());
/** Times are null when a capture holds no timestamps (pcapng simple packet blocks). */
const time = v.nullable(num);
const nullableText = v.nullable(text);

export const Proto = v.picklist(['tcp', 'udp']);
export type Proto = v.InferOutput<typeof Proto>;
export const PortClassName = v.picklist(['well-known', 'registered', 'ephemeral']);
export type PortClassName = v.InferOutput<typeof PortClassName>;
export const AppNameSchema = v.picklist(['tls', 'http', 'ssh', 'dns', 'smtp', 'ftp', 'pop3', 'imap', 'quic']);
export type AppName = v.InferOutput<typeof AppNameSchema>;

/** Which rule decided the server end of a flow. */
export const RoleRule = v.picklist(['syn', 'syn-ack', 'service-name', 'port-class', 'peer-count', 'lower-port']);
export type RoleRule = v.InferOutput<typeof RoleRule>;

export const ROLE_RULE_TEXT: Record<RoleRule, string> = {
  'syn': 'server by SYN (it received the connection request)',
  'syn-ack': 'server by SYN+ACK (it accepted a connection)',
  'service-name': 'server guessed by port number: its port has an IANA service name',
  'port-class': 'server guessed by port number: its port is in a lower IANA class',
  'peer-count': 'server guessed by port number: its port talks to more peers',
  'lower-port': 'server guessed by port number: the lower port',
};

/** How a server port answered a flow's attempt. */
export const AttemptState = v.picklist(['open', 'refused', 'unanswered']);
export type AttemptState = v.InferOutput<typeof AttemptState>;

export const Counts = v.object({ packets: num, bytes: num });
export type Counts = v.InferOutput<typeof Counts>;
export const ClassCounts = v.object({ packets: num, bytes: num, flows: num });
export type ClassCounts = v.InferOutput<typeof ClassCounts>;
const ClassSplit = v.object({ 'well-known': ClassCounts, registered: ClassCounts, ephemeral: ClassCounts });

export const FlowRecord = v.object({
  proto: Proto,
  ipVersion: v.picklist([4, 6]),
  /** `a` is the source of the flow's first packet. */
  a: text,
  aPort: num,
  b: text,
  bPort: num,
  packetsAB: num,
  bytesAB: num,
  packetsBA: num,
  bytesBA: num,
  packets: num,
  bytes: num,
  /** Frame numbers of the first and last packet. */
  firstPacket: num,
  lastPacket: num,
  /** Epoch seconds. */
  start: time,
  end: time,
  duration: num,
  /** OR of TCP flags sent in each direction (null for UDP). */
  tcpFlagsAB: v.nullable(num),
  tcpFlagsBA: v.nullable(num),
  /** Handshake evidence, HANDSHAKE bits relative to a (A_*) and b (B_*). */
  handshake: num,
  /** What the first payload bytes showed, if anything. */
  app: v.nullable(AppNameSchema),
  /** A name the payload carried: TLS server name (SNI), HTTP Host, or the SSH banner. */
  appName: nullableText,
  server: v.picklist(['a', 'b']),
  serverPort: num,
  clientPort: num,
  role: RoleRule,
  service: nullableText,
  serviceDescription: nullableText,
  /** IANA class of the server port. */
  class: PortClassName,
  clientPortClass: PortClassName,
  /** OS ephemeral ranges the client port fits. */
  clientPortRanges: v.pipe(v.array(v.picklist(['iana', 'linux'])), v.maxLength(4)),
  /** Payload against the server port's service: confirmed, different (a finding), or unknown. */
  appVerdict: v.picklist(['confirmed', 'different', 'unknown']),
  /** The encapsulation chain when the flow was found inside a tunnel (e.g. "vxlan"), else absent. */
  tunnel: v.optional(text),
});
export type FlowRecord = v.InferOutput<typeof FlowRecord>;

export const PortRecord = v.object({
  proto: Proto,
  port: num,
  service: nullableText,
  serviceDescription: nullableText,
  class: PortClassName,
  packets: num,
  bytes: num,
  flows: num,
  asSource: Counts,
  asDestination: Counts,
  /** Flows in which this port was the server end. */
  asServer: ClassCounts,
  /** Distinct addresses on the other end of flows using this port. */
  peers: num,
  /**
   * The encapsulation chain, for a port seen in flows inside tunnels: an extra row (its frames
   * also count in the carrier's rows), as the flows inside tunnels are. Absent for the outermost layer.
   */
  tunnel: v.optional(text),
});
export type PortRecord = v.InferOutput<typeof PortRecord>;

export const IpConversation = v.object({
  /** IP protocol number (ICMP 1, GRE 47, ...; TCP/UDP packets without ports too). */
  proto: num,
  protoName: text,
  ipVersion: v.picklist([4, 6]),
  a: text,
  b: text,
  packetsAB: num,
  bytesAB: num,
  packetsBA: num,
  bytesBA: num,
  firstPacket: num,
  start: time,
  end: time,
});
export type IpConversation = v.InferOutput<typeof IpConversation>;

export const HostService = v.object({
  proto: Proto,
  port: num,
  service: nullableText,
  class: PortClassName,
  flows: num,
  packets: num,
  bytes: num,
  clients: num,
});
export type HostService = v.InferOutput<typeof HostService>;

export const HostRecord = v.object({
  address: text,
  ipVersion: v.picklist([4, 6]),
  packetsSent: num,
  bytesSent: num,
  packetsReceived: num,
  bytesReceived: num,
  flows: num,
  /** Flows in which it was the server end, the client end; server, client or both. */
  serverFlows: v.optional(num),
  clientFlows: v.optional(num),
  role: v.optional(v.picklist(['server', 'client', 'both'])),
  /** Distinct addresses it talked to. */
  peers: v.optional(num),
  /** Services this host offered (it was the server end). */
  services: v.array(HostService),
});
export type HostRecord = v.InferOutput<typeof HostRecord>;

export const ExposedService = v.object({
  host: text,
  proto: Proto,
  port: num,
  service: nullableText,
  class: PortClassName,
  /** open if any attempt was accepted; refused if refused and never accepted; else unanswered. */
  state: AttemptState,
  flows: num,
  packets: num,
  bytes: num,
  /** Distinct clients, and up to 20 of them. */
  clients: num,
  clientList: v.pipe(v.array(text), v.maxLength(20)),
  firstSeen: time,
  lastSeen: time,
  /** What the payload showed on this port, when recognized (e.g. "tls", "ssh"). */
  apps: v.array(text),
});
export type ExposedService = v.InferOutput<typeof ExposedService>;

const DetailValue = v.union([text, num, v.array(text), v.array(num), v.null()]);
export const Finding = v.object({
  kind: v.picklist(['port-scan', 'risky-service', 'unexpected-protocol']),
  severity: v.picklist(['high', 'medium', 'low']),
  title: text,
  /** One sentence: why this matters. */
  why: text,
  hosts: v.array(text),
  flows: num,
  /** A filter expression that shows the evidence in the flows table. */
  filter: text,
  details: v.record(v.string(), DetailValue),
});
export type Finding = v.InferOutput<typeof Finding>;

/** Scan detection thresholds (documented in the README; adjustable from the CLI and the page). */
export const ScanThresholds = v.object({
  /** Attempts count together when they fall within this many seconds. */
  windowSec: num,
  /** Distinct ports on one host (vertical scan). */
  minPorts: num,
  /** Distinct hosts on one port (horizontal scan). */
  minHosts: num,
  /** Share of attempts refused or unanswered. */
  minFailureRatio: num,
});
export type ScanThresholds = v.InferOutput<typeof ScanThresholds>;
export const DEFAULT_SCAN_THRESHOLDS: ScanThresholds = { windowSec: 60, minPorts: 15, minHosts: 15, minFailureRatio: 0.6 };

export const DecodeSummary = v.object({
  packets: num,
  bytes: num,
  capturedBytes: num,
  /** Frames cut by the snap length (captured < wire length). */
  sliced: num,
  linkTypes: v.array(v.object({ linkType: num, name: text, decoded: v.boolean(), packets: num, bytes: num })),
  /** Frames without an IP header, by reason. */
  noIp: v.array(v.object({ reason: text, description: text, packets: num, bytes: num })),
  ipVersions: v.object({ '4': Counts, '6': Counts }),
  l4: v.array(v.object({ proto: num, name: text, packets: num, bytes: num })),
  withPorts: Counts,
  fragments: v.object({ first: num, nonfirst: num }),
  ipv6UnderIpv4: num,
});
export type DecodeSummary = v.InferOutput<typeof DecodeSummary>;

export const SERIES_CLASS_NAMES = ['well-known', 'registered', 'ephemeral', 'no-ports'] as const;
export const TimeSeriesReport = v.object({
  /** Bucket width is 2^widthExp seconds; bucket i starts at start + i * bucketSeconds. */
  widthExp: num,
  bucketSeconds: num,
  /** Epoch bucket index of bucket 0 (start = startIndex * bucketSeconds). */
  startIndex: num,
  start: num,
  classes: v.tuple([v.literal('well-known'), v.literal('registered'), v.literal('ephemeral'), v.literal('no-ports')]),
  /** [bucket][class] */
  packets: v.array(v.array(num)),
  bytes: v.array(v.array(num)),
  /** Sparse per-port cells: [bucket, proto << 16 | port, packets, bytes]. */
  portCells: v.array(v.array(num)),
  /** Series of the top ports by bytes. */
  topPorts: v.array(v.object({ proto: Proto, port: num, service: nullableText, packets: v.array(num), bytes: v.array(num) })),
});
export type TimeSeriesReport = v.InferOutput<typeof TimeSeriesReport>;

const Outcome = v.object({
  status: v.picklist(['complete', 'damaged', 'not-a-capture', 'empty', 'cancelled']),
  offset: v.nullable(num),
  record: v.nullable(num),
  reason: nullableText,
  message: nullableText,
});

/** One capture file of an analysis of many files (the report's `files` section). */
export const CaptureFileRecord = v.object({
  /** The path as given. */
  name: text,
  size: v.nullable(num),
  /** SHA-256 (hex) of the file's size, first and last MiB. */
  fingerprint: nullableText,
  format: nullableText,
  gzip: v.boolean(),
  packets: num,
  bytes: num,
  /** Epoch seconds of its earliest and latest packet. */
  firstTime: time,
  lastTime: time,
  /** Its packets' frame numbers in the merged numbering (null when it counted none, e.g. a duplicate). */
  firstFrame: v.nullable(num),
  lastFrame: v.nullable(num),
  read: Outcome,
  /** Decode warnings of this file alone. */
  warnings: v.array(text),
  /** The file it repeats (same fingerprint): its packets are counted once, under that name. */
  duplicateOf: nullableText,
  /** How many other files' time spans overlap this one's, and up to 20 of their names. */
  overlapCount: num,
  overlaps: v.pipe(v.array(text), v.maxLength(20)),
});
export type CaptureFileRecord = v.InferOutput<typeof CaptureFileRecord>;

export const Totals = v.object({
  packets: num,
  bytes: num,
  ipPackets: num,
  ipBytes: num,
  flows: v.object({ tcp: num, udp: num }),
  firstTime: time,
  lastTime: time,
  duration: num,
});
export type Totals = v.InferOutput<typeof Totals>;

export const OtherFlows = v.nullable(v.object({ flows: num, packets: num, bytes: num, cap: num }));
export type OtherFlows = v.InferOutput<typeof OtherFlows>;

export const Report = v.object({
  schemaVersion: v.literal(REPORT_SCHEMA_VERSION),
  generator: v.object({ name: v.literal('porthole'), version: text }),
  source: v.object({ name: text, size: v.nullable(num) }),
  /** What the capture file declares (format, sections, interfaces); see decoder/capture-info. */
  capture: v.looseObject({ format: v.nullable(text) }),
  read: Outcome,
  /** The capture files, when the analysis covers more than one (in the merged numbering's order). */
  files: v.optional(v.array(CaptureFileRecord)),
  decode: DecodeSummary,
  totals: Totals,
  /** Traffic by IANA port class: by the server port of each flow, and by every port seen. */
  classes: v.object({
    byServerPort: ClassSplit,
    byPort: ClassSplit,
    /** Client ports by the OS ephemeral ranges they fit: below 32768, Linux only, both, IANA/Windows/BSD only. */
    byClientRange: v.optional(v.object({ below: ClassCounts, linux: ClassCounts, both: ClassCounts, iana: ClassCounts })),
  }),
  ports: v.array(PortRecord),
  flows: v.array(FlowRecord),
  ipConversations: v.array(IpConversation),
  hosts: v.array(HostRecord),
  /** Flows counted together after the flow table reached its cap. */
  otherFlows: OtherFlows,
  timeSeries: TimeSeriesReport,
  /** ICMP port-unreachable marks on UDP flows: [address A, port A, address B, port B, HANDSHAKE bits]. */
  unreachable: v.array(v.tuple([text, num, text, num, num])),
  /** Port intelligence: what each host exposes, and findings. */
  intel: v.object({ exposed: v.array(ExposedService), findings: v.array(Finding), thresholds: ScanThresholds }),
  warnings: v.array(text),
  /** The filter the flows, ports, classes, hosts and intel were computed under, if any. */
  filter: v.nullable(text),
});
/** The capture information is described by the decoder's CaptureInfo type (validated loosely). */
export type Report = Omit<v.InferOutput<typeof Report>, 'capture'> & { capture: CaptureInfo };
