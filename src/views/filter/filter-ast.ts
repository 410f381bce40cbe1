/** What a filter means, independent of its spelling (pcap-filter or Wireshark style). */
export type Direction = 'either' | 'src' | 'dst' | 'server' | 'client';

export type FilterNode =
  | { kind: 'and'; left: FilterNode; right: FilterNode }
  | { kind: 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'true' }
  | { kind: 'proto'; proto: 'tcp' | 'udp' }
  | { kind: 'ipVersion'; version: 4 | 6 }
  | { kind: 'portRange'; dir: Direction; first: number; last: number; proto: 'tcp' | 'udp' | null }
  | { kind: 'portCompare'; dir: Direction; op: '!=' | '>' | '<' | '>=' | '<='; value: number; proto: 'tcp' | 'udp' | null }
  | { kind: 'net'; dir: Direction; version: 4 | 6; words: number[]; prefix: number }
  | { kind: 'class'; cls: 'well-known' | 'registered' | 'ephemeral' }
  | { kind: 'service'; name: string }
  /** How the server end answered the flow (see flow-facts ATTEMPT). */
  | { kind: 'answer'; state: 'open' | 'refused' | 'unanswered' }
  /** What the first payload bytes were recognized as (tls, http, ssh, ...). */
  | { kind: 'payload'; app: string }
  /** Flows inside a tunnel: any (name null), or passing through the named encapsulation. */
  | { kind: 'tunnel'; name: string | null }
  /** Time in epoch seconds: flows active at some moment of [from, to], or started within it. */
  | { kind: 'time'; mode: 'during' | 'started'; from: number; to: number };
