import { grow } from './row-index';
import { APP, recognize } from './intel/signatures';

/** Data packets looked at per flow before giving up (bounded work, no reassembly). */
export const PACKETS_INSPECTED = 4;

/**
 * Per flow row: what the first payload bytes showed (TLS, HTTP, SSH, ...) and the name they
 * carried (TLS SNI, HTTP Host, SSH banner). Costs one array read per packet once a flow is
 * recognized or its budget is spent.
 */
export class PayloadInspector {
  inspected = new Uint8Array(1024);
  app = new Uint8Array(1024);
  readonly names = new Map<number, string>();

  /** Look at one packet's payload [off, end) of flow `row`. */
  inspect(row: number, b: Uint8Array, off: number, end: number, udp: boolean): void {
    if (row >= this.app.length) {
      this.app = grow(this.app, row + 1);
      this.inspected = grow(this.inspected, row + 1);
    }
    if (this.app[row] !== APP.NONE || this.inspected[row] >= PACKETS_INSPECTED || off >= end) return;
    this.inspected[row]++;
    const r = recognize(b, off, end, udp);
    if (r.app === APP.NONE) return;
    this.app[row] = r.app;
    if (r.name !== null) this.names.set(row, r.name);
  }
}
