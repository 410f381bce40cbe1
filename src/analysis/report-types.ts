import type { CaptureInfo, ReadOutcome } from '../decoder/capture-info';
import type { ExposedService } from './intel/exposure';
import type { Finding, ScanThresholds } from './intel/findings';
import type { AppName } from './intel/signatures';
import type { EphemeralRangeId, PortClassName } from './port-class';

export const REPORT_SCHEMA_VERSION = 1;

export interface Counts {
  packets: number;
  bytes: number;
}

export interface ClassCounts extends Counts {
  flows: number;
}

/** Which rule decided the server end of a flow. */
export type RoleRule = 'syn' | 'syn-ack' | 'service-name' | 'port-class' | 'peer-count' | 'lower-port';

export const ROLE_RULE_TEXT: Record<RoleRule, string> = {
  'syn': 'server by SYN (it received the connection request)',
  'syn-ack': 'server by SYN+ACK (it accepted a connection)',
  'service-name': 'server guessed by port number: its port has an IANA service name',
  'port-class': 'server guessed by port number: its port is in a lower IANA class',
  'peer-count': 'server guessed by port number: its port talks to more peers',
  'lower-port': 'server guessed by port number: the lower port',
};

export interface FlowRecord {
  proto: 'tcp' | 'udp';
  ipVersion: 4 | 6;
  /** `a` is the source of the flow's first packet. */
  a: string;
  aPort: number;
  b: string;
  bPort: number;
  packetsAB: number;
  bytesAB: number;
  packetsBA: number;
  bytesBA: number;
  packets: number;
  bytes: number;
  /** Frame numbers of the first and last packet. */
  firstPacket: number;
  lastPacket: number;
  /** Epoch seconds. */
  start: number;
  end: number;
  duration: number;
  /** OR of TCP flags sent in each direction (null for UDP). */
  tcpFlagsAB: number | null;
  tcpFlagsBA: number | null;
  /** Raw handshake evidence, HANDSHAKE bits relative to a (A_*) and b (B_*). */
  handshake: number;
  /** What the first payload bytes showed (tls, http, ssh, dns, smtp, ftp, pop3, imap, quic), if anything. */
  app: AppName | null;
  /** A name the payload carried: TLS server name (SNI), HTTP Host, or the SSH banner. */
  appName: string | null;
  // Derived by deriveReport():
  server: 'a' | 'b';
  serverPort: number;
  clientPort: number;
  role: RoleRule;
  service: string | null;
  serviceDescription: string | null;
  /** IANA class of the server port. */
  class: PortClassName;
  clientPortClass: PortClassName;
  /** OS ephemeral ranges the client port fits. */
  clientPortRanges: EphemeralRangeId[];
  /** Payload against the server port's service: confirmed, different (a finding), or unknown. */
  appVerdict: 'confirmed' | 'different' | 'unknown';
}

export interface PortRecord {
  proto: 'tcp' | 'udp';
  port: number;
  service: string | null;
  serviceDescription: string | null;
  class: PortClassName;
  packets: number;
  bytes: number;
  flows: number;
  asSource: Counts;
  asDestination: Counts;
  /** Flows in which this port was the server end. */
  asServer: ClassCounts;
  /** Distinct addresses on the other end of flows using this port. */
  peers: number;
}

export interface IpConversation {
  /** IP protocol number (ICMP 1, GRE 47, ...; TCP/UDP packets without ports too). */
  proto: number;
  protoName: string;
  ipVersion: 4 | 6;
  a: string;
  b: string;
  packetsAB: number;
  bytesAB: number;
  packetsBA: number;
  bytesBA: number;
  firstPacket: number;
  start: number;
  end: number;
}

export interface HostService {
  proto: 'tcp' | 'udp';
  port: number;
  service: string | null;
  class: PortClassName;
  flows: number;
  packets: number;
  bytes: number;
  clients: number;
}

export interface HostRecord {
  address: string;
  ipVersion: 4 | 6;
  packetsSent: number;
  bytesSent: number;
  packetsReceived: number;
  bytesReceived: number;
  flows: number;
  /** Services this host offered (it was the server end). */
  services: HostService[];
}

export interface DecodeSummary {
  packets: number;
  bytes: number;
  capturedBytes: number;
  /** Frames cut by the snap length (captured < wire length). */
  sliced: number;
  linkTypes: Array<Counts & { linkType: number; name: string; decoded: boolean }>;
  /** Frames without an IP header, by reason. */
  noIp: Array<Counts & { reason: string; description: string }>;
  ipVersions: { '4': Counts; '6': Counts };
  l4: Array<Counts & { proto: number; name: string }>;
  withPorts: Counts;
  fragments: { first: number; nonfirst: number };
  ipv6UnderIpv4: number;
}

export interface TimeSeriesReport {
  /** Bucket width is 2^widthExp seconds; bucket i starts at start + i * bucketSeconds. */
  widthExp: number;
  bucketSeconds: number;
  /** Epoch bucket index of bucket 0 (start = startIndex * bucketSeconds). */
  startIndex: number;
  start: number;
  classes: ['well-known', 'registered', 'ephemeral', 'no-ports'];
  /** [bucket][class] */
  packets: number[][];
  bytes: number[][];
  /** Sparse per-port cells: [bucket, proto << 16 | port, packets, bytes]. */
  portCells: number[][];
  /** Derived: series of the top ports by bytes. */
  topPorts: Array<{ proto: 'tcp' | 'udp'; port: number; service: string | null; packets: number[]; bytes: number[] }>;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generator: { name: 'porthole'; version: string };
  source: { name: string; size: number | null };
  capture: CaptureInfo;
  read: ReadOutcome;
  decode: DecodeSummary;
  totals: {
    packets: number;
    bytes: number;
    ipPackets: number;
    ipBytes: number;
    flows: { tcp: number; udp: number };
    firstTime: number | null;
    lastTime: number | null;
    duration: number;
  };
  /** Traffic by IANA port class: by the server port of each flow, and by every port seen. */
  classes: {
    byServerPort: Record<PortClassName, ClassCounts>;
    byPort: Record<PortClassName, ClassCounts>;
  };
  ports: PortRecord[];
  flows: FlowRecord[];
  ipConversations: IpConversation[];
  hosts: HostRecord[];
  /** Flows counted together after the flow table reached its cap. */
  otherFlows: { flows: number; packets: number; bytes: number; cap: number } | null;
  timeSeries: TimeSeriesReport;
  /** ICMP port-unreachable marks on UDP flows: [address A, port A, address B, port B, HANDSHAKE bits]. */
  unreachable: Array<[string, number, string, number, number]>;
  /** Port intelligence: what each host exposes, and findings (scans, risky services, unexpected protocols). */
  intel: {
    exposed: ExposedService[];
    findings: Finding[];
    thresholds: ScanThresholds;
  };
  warnings: string[];
  /** The filter the flows, ports, classes and hosts were computed under, if any. */
  filter: string | null;
}
