import { portClass } from '../net/port-class';
import { expectedAppId } from '../net/payload-signatures';
import { IP_PROTO, portKey } from '../net/port-key';
import { serviceLabels } from '../net/services';
import type { AnalysisState } from '../tap/analysis-state';
import { FLOW_KEY, flowHash, HANDSHAKE } from '../tap/flow-table';
import { hashKey, RowIndex } from '../tap/row-index';
import { AddressBook } from './address-book';
import { identity, sortPermutation } from './sort';

/** Which rule decided the server end (index into ROLE_RULES). */
export const ROLE = { SYN: 0, SYN_ACK: 1, SERVICE_NAME: 2, PORT_CLASS: 3, PEER_COUNT: 4, LOWER_PORT: 5 } as const;
export const ROLE_RULES = ['syn', 'syn-ack', 'service-name', 'port-class', 'peer-count', 'lower-port'] as const;

/** How the server port answered (index into ATTEMPT_STATES); ordered so that max = best answer. */
export const ATTEMPT = { UNANSWERED: 0, REFUSED: 1, OPEN: 2 } as const;
export const ATTEMPT_STATES = ['unanswered', 'refused', 'open'] as const;

export const VERDICT = { UNKNOWN: 0, CONFIRMED: 1, DIFFERENT: 2 } as const;
export const VERDICTS = ['unknown', 'confirmed', 'different'] as const;

const UNDECIDED = 255;

/**
 * What follows from each flow row of a state, as columns computed once: interned addresses,
 * ports, the server end and the rule that decided it, how the server answered, the payload
 * verdict, and the natural row order (TCP first, then by first frame). Everything is in the
 * key's orientation (A = the lower endpoint); `firstFromA` tells the first packet's direction.
 */
export class FlowFacts {
  readonly size: number;
  readonly addresses: AddressBook;
  readonly addrA: Int32Array;
  readonly addrB: Int32Array;
  readonly portA: Uint16Array;
  readonly portB: Uint16Array;
  /** IP protocol (6 or 17). */
  readonly l4: Uint8Array;
  readonly ipVersion: Uint8Array;
  /** Tunnel chain id (0: outermost flow). */
  readonly chain: Uint16Array;
  /** Handshake bits with the ICMP unreachable marks applied. */
  readonly handshake: Uint8Array;
  readonly serverIsA: Uint8Array;
  readonly role: Uint8Array;
  readonly attempt: Uint8Array;
  readonly app: Uint8Array;
  readonly verdict: Uint8Array;
  /** Rows in natural order: TCP before UDP, then by first frame. */
  readonly order: Uint32Array;

  constructor(readonly state: AnalysisState, addresses = new AddressBook()) {
    const t = state.flows;
    const n = (this.size = t.size);
    this.addresses = addresses;
    this.addrA = new Int32Array(n);
    this.addrB = new Int32Array(n);
    this.portA = new Uint16Array(n);
    this.portB = new Uint16Array(n);
    this.l4 = new Uint8Array(n);
    this.ipVersion = new Uint8Array(n);
    this.chain = new Uint16Array(n);
    this.handshake = new Uint8Array(n);
    this.serverIsA = new Uint8Array(n);
    this.role = new Uint8Array(n);
    this.attempt = new Uint8Array(n);
    this.app = new Uint8Array(n);
    this.verdict = new Uint8Array(n);
    const keys = t.index.keys;
    for (let r = 0; r < n; r++) {
      const k = r * FLOW_KEY.WIDTH;
      const meta = keys[k + FLOW_KEY.META]!;
      const v = meta & 0xff;
      this.ipVersion[r] = v;
      this.l4[r] = (meta >>> 8) & 0xff;
      this.chain[r] = meta >>> 16;
      this.addrA[r] = addresses.idOf(v, keys, k + FLOW_KEY.ADDR_A);
      this.addrB[r] = addresses.idOf(v, keys, k + FLOW_KEY.ADDR_B);
      const ports = keys[k + FLOW_KEY.PORTS]!;
      this.portA[r] = ports >>> 16;
      this.portB[r] = ports & 0xffff;
      this.handshake[r] = t.handshake(r);
    }
    this.applyMarks();
    this.decideRoles();
    this.judgeAttempts();
    this.judgePayloads();
    const byFrame = sortPermutation(identity(n), Float64Array.from({ length: n }, (_, r) => t.firstFrame(r)), false);
    const udp = new Float64Array(n);
    for (let i = 0; i < n; i++) udp[i] = this.l4[byFrame[i]!] === IP_PROTO.UDP ? 1 : 0;
    this.order = sortPermutation(byFrame, udp, false);
  }

  serverPort(r: number): number {
    return this.serverIsA[r] ? this.portA[r]! : this.portB[r]!;
  }

  clientPort(r: number): number {
    return this.serverIsA[r] ? this.portB[r]! : this.portA[r]!;
  }

  serverAddr(r: number): number {
    return this.serverIsA[r] ? this.addrA[r]! : this.addrB[r]!;
  }

  clientAddr(r: number): number {
    return this.serverIsA[r] ? this.addrB[r]! : this.addrA[r]!;
  }

  /** Port key (protocol and port) of the server end. */
  serverKey(r: number): number {
    return portKey(this.l4[r]!, this.serverPort(r));
  }

  /** ICMP port unreachables name UDP flows by their key: OR their bits into the flow's. */
  private applyMarks(): void {
    const marks = this.state.marks;
    const flows = this.state.flows.index;
    const key = new Uint32Array(FLOW_KEY.WIDTH);
    for (let m = 0; m < marks.size; m++) {
      key.set(marks.index.keys.subarray(m * FLOW_KEY.WIDTH, (m + 1) * FLOW_KEY.WIDTH));
      const row = flows.find(key, flowHash(key));
      if (row >= 0) this.handshake[row] |= marks.bits[m]!;
    }
  }

  /**
   * Which end offers the service. TCP handshakes decide when seen (the end that received a
   * bare SYN, else the end that sent SYN+ACK); otherwise the port decides: an IANA name, a
   * lower class, more distinct peers, the lower number — in that order.
   */
  private decideRoles(): void {
    const labels = serviceLabels();
    let undecided = 0;
    for (let r = 0; r < this.size; r++) {
      const hs = this.handshake[r]!;
      const tcp = this.l4[r] === IP_PROTO.TCP;
      const aSyn = (hs & HANDSHAKE.A_SYN) !== 0, bSyn = (hs & HANDSHAKE.B_SYN) !== 0;
      const aSynAck = (hs & HANDSHAKE.A_SYNACK) !== 0, bSynAck = (hs & HANDSHAKE.B_SYNACK) !== 0;
      const pa = this.portA[r]!, pb = this.portB[r]!;
      let serverIsA: boolean;
      let role: number;
      if (tcp && aSyn !== bSyn) {
        serverIsA = bSyn;
        role = ROLE.SYN;
      } else if (tcp && aSynAck !== bSynAck) {
        serverIsA = aSynAck;
        role = ROLE.SYN_ACK;
      } else {
        const sa = labels[portKey(this.l4[r]!, pa)] !== null, sb = labels[portKey(this.l4[r]!, pb)] !== null;
        const ca = portClass(pa), cb = portClass(pb);
        if (sa !== sb) {
          serverIsA = sa;
          role = ROLE.SERVICE_NAME;
        } else if (ca !== cb) {
          serverIsA = ca < cb;
          role = ROLE.PORT_CLASS;
        } else {
          this.role[r] = UNDECIDED;
          undecided++;
          continue;
        }
      }
      this.serverIsA[r] = serverIsA ? 1 : 0;
      this.role[r] = role;
    }
    if (undecided > 0) this.decideByPeers();
  }

  /** Distinct peers per endpoint (protocol, address, port), counted over all flows, only when needed. */
  private decideByPeers(): void {
    const endpoints = new RowIndex(2, 1024);
    const pairs = new RowIndex(2, 1024);
    const key = new Uint32Array(2);
    let peers = new Uint32Array(1024);
    const endpoint = (addr: number, pk: number): number => {
      key[0] = addr;
      key[1] = pk;
      return endpoints.findOrInsert(key, hashKey(key, 2));
    };
    const ends = new Int32Array(2 * this.size);
    for (let r = 0; r < this.size; r++) {
      const ea = endpoint(this.addrA[r]!, portKey(this.l4[r]!, this.portA[r]!));
      const eb = endpoint(this.addrB[r]!, portKey(this.l4[r]!, this.portB[r]!));
      ends[2 * r] = ea;
      ends[2 * r + 1] = eb;
      if (endpoints.rows > peers.length) {
        const bigger = new Uint32Array(peers.length * 2);
        bigger.set(peers);
        peers = bigger;
      }
      key[0] = ea;
      key[1] = this.addrB[r]!;
      pairs.findOrInsert(key, hashKey(key, 2));
      if (pairs.isNew) peers[ea]++;
      key[0] = eb;
      key[1] = this.addrA[r]!;
      pairs.findOrInsert(key, hashKey(key, 2));
      if (pairs.isNew) peers[eb]++;
    }
    const flows = this.state.flows;
    for (let r = 0; r < this.size; r++) {
      if (this.role[r] !== UNDECIDED) continue;
      const na = peers[ends[2 * r]!]!, nb = peers[ends[2 * r + 1]!]!;
      const pa = this.portA[r]!, pb = this.portB[r]!;
      if (na !== nb) {
        this.serverIsA[r] = na > nb ? 1 : 0;
        this.role[r] = ROLE.PEER_COUNT;
      } else {
        // Equal ports: the end that sent the first packet, as the reported orientation's "a".
        this.serverIsA[r] = pa < pb || (pa === pb && flows.firstFromA(r) === 1) ? 1 : 0;
        this.role[r] = ROLE.LOWER_PORT;
      }
    }
  }

  /**
   * TCP: SYN answered by SYN+ACK (or traffic back without a handshake seen) is open, a RST
   * without SYN+ACK is refused, silence is unanswered. UDP: any answer from the port is open,
   * an ICMP port unreachable for it is refused.
   */
  private judgeAttempts(): void {
    const t = this.state.flows;
    for (let r = 0; r < this.size; r++) {
      const sA = this.serverIsA[r] === 1;
      const fromServer = sA ? t.packetsAB(r) : t.packetsBA(r);
      const hs = this.handshake[r]!;
      let state: number;
      if (this.l4[r] === IP_PROTO.UDP) {
        state = fromServer > 0 ? ATTEMPT.OPEN : hs & (sA ? HANDSHAKE.A_UNREACH : HANDSHAKE.B_UNREACH) ? ATTEMPT.REFUSED : ATTEMPT.UNANSWERED;
      } else if (hs & (sA ? HANDSHAKE.A_SYNACK : HANDSHAKE.B_SYNACK)) state = ATTEMPT.OPEN;
      else if (hs & (sA ? HANDSHAKE.A_RST : HANDSHAKE.B_RST)) state = ATTEMPT.REFUSED;
      else state = fromServer > 0 ? ATTEMPT.OPEN : ATTEMPT.UNANSWERED;
      this.attempt[r] = state;
    }
  }

  /** Only ports with a known expectation can be confirmed or contradicted. */
  private judgePayloads(): void {
    const p = this.state.payloads;
    for (let r = 0; r < this.size; r++) {
      const app = p.app(r);
      this.app[r] = app;
      if (app === 0) continue;
      const expected = expectedAppId(this.serverKey(r));
      this.verdict[r] = expected === 0 ? VERDICT.UNKNOWN : expected === app ? VERDICT.CONFIRMED : VERDICT.DIFFERENT;
    }
  }
}
