// The packets still to come, earliest first: a binary min-heap of (time µs, flow, step) in typed
// arrays that double when full. Its size follows the flows in progress at one moment (arrival rate
// × flow duration), never the capture's total, so the generator streams in constant memory.

export class EventQueue {
  constructor(capacity = 1024) {
    this.t = new Float64Array(capacity);
    this.flow = new Float64Array(capacity);
    this.step = new Uint8Array(capacity);
    this.n = 0;
    this.outT = 0;
    this.outFlow = 0;
    this.outStep = 0;
  }

  push(t, flow, step) {
    if (this.n === this.t.length) this.grow();
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.t[p] <= t) break;
      this.t[i] = this.t[p]; this.flow[i] = this.flow[p]; this.step[i] = this.step[p];
      i = p;
    }
    this.t[i] = t; this.flow[i] = flow; this.step[i] = step;
  }

  /** Remove the earliest event into outT, outFlow, outStep. */
  pop() {
    this.outT = this.t[0]; this.outFlow = this.flow[0]; this.outStep = this.step[0];
    const n = --this.n;
    const t = this.t[n], flow = this.flow[n], step = this.step[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.t[c + 1] < this.t[c]) c++;
      if (this.t[c] >= t) break;
      this.t[i] = this.t[c]; this.flow[i] = this.flow[c]; this.step[i] = this.step[c];
      i = c;
    }
    this.t[i] = t; this.flow[i] = flow; this.step[i] = step;
  }

  grow() {
    const t = new Float64Array(this.t.length * 2); t.set(this.t); this.t = t;
    const f = new Float64Array(this.t.length); f.set(this.flow); this.flow = f;
    const s = new Uint8Array(this.t.length); s.set(this.step); this.step = s;
  }
}

/**
 * Write a shape: flows start in order at the times `shape.nextStartUs` gives, each flow's first
 * step runs then, and its later steps run from the queue, all in time order.
 * shape: { flows, startUs, nextStartUs(prevUs, flow), step(flow, step, tUs, queue) }.
 */
export function runShape(shape) {
  const q = new EventQueue();
  let next = 0;
  let tNext = shape.startUs;
  for (;;) {
    if (next < shape.flows && (q.n === 0 || tNext <= q.t[0])) {
      shape.step(next, 0, tNext, q);
      next++;
      if (next < shape.flows) tNext = shape.nextStartUs(tNext, next);
    } else if (q.n > 0) {
      q.pop();
      shape.step(q.outFlow, q.outStep, q.outT, q);
    } else break;
  }
}
