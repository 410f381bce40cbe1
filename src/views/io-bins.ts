/**
 * Amounts per interval and stack, for intervals of `width` seconds from `t0`: an amount at an
 * instant goes into one interval; an amount spread evenly over [a, b] gives each interval its
 * share of the time. Intervals wholly inside a span are added through a difference array, so
 * a span costs O(1) whatever its length: binning is linear in the spans, plus one pass over
 * the intervals at the end. Amounts outside [t0, t0 + count * width) are left out.
 */
export class IoBins {
  /** Per stack, `count` amounts (partial intervals and instants). */
  private readonly direct: Float64Array;
  /** Per stack, `count + 1` differences of the amount per whole interval. */
  private readonly diff: Float64Array;
  /** Per stack, the largest amount per interval added through `diff`: the scale of its rounding residue. */
  private readonly diffMax: Float64Array;

  constructor(readonly t0: number, readonly width: number, readonly count: number, readonly stacks: number) {
    this.direct = new Float64Array(stacks * count);
    this.diff = new Float64Array(stacks * (count + 1));
    this.diffMax = new Float64Array(stacks);
  }

  /** Everything at one instant. */
  point(stack: number, t: number, amount: number): void {
    const i = Math.floor((t - this.t0) / this.width);
    if (i >= 0 && i < this.count) this.direct[stack * this.count + i] += amount;
  }

  /** `amount` spread evenly over [a, b]; at a if b <= a. */
  span(stack: number, a: number, b: number, amount: number): void {
    // Division, not multiplication by 1 / width: a span ending on an interval edge must give an
    // integer position, or a whole bucket would leak a sliver into the next interval.
    const pa = (a - this.t0) / this.width;
    const pb = (b - this.t0) / this.width;
    const i0 = Math.floor(pa);
    const i1 = Math.ceil(pb) - 1;
    const n = this.count;
    if (!(i1 > i0)) {
      if (i0 >= 0 && i0 < n) this.direct[stack * n + i0] += amount;
      return;
    }
    const perInterval = amount / (pb - pa);
    const base = stack * n;
    if (i0 >= 0 && i0 < n) this.direct[base + i0] += perInterval * (i0 + 1 - pa);
    if (i1 >= 0 && i1 < n) this.direct[base + i1] += perInterval * (pb - i1);
    const m0 = i0 + 1 < 0 ? 0 : i0 + 1;
    const m1 = i1 - 1 >= n ? n - 1 : i1 - 1;
    if (m0 <= m1) {
      const d = stack * (n + 1);
      this.diff[d + m0] += perInterval;
      this.diff[d + m1 + 1] -= perInterval;
      if (perInterval > this.diffMax[stack]!) this.diffMax[stack] = perInterval;
    }
  }

  /**
   * Amounts per interval, one array per stack. Where every span has ended the running sum should
   * be 0 but keeps a rounding residue (1e-11 of a byte): values below a billionth of the largest
   * amount per interval added are 0.
   */
  amounts(): Float64Array[] {
    const out: Float64Array[] = [];
    const n = this.count;
    for (let s = 0; s < this.stacks; s++) {
      const a = this.direct.slice(s * n, (s + 1) * n);
      let run = 0;
      const d = s * (n + 1);
      const eps = this.diffMax[s]! * 1e-9;
      for (let i = 0; i < n; i++) {
        run += this.diff[d + i]!;
        const v = a[i]! + run;
        a[i] = v > eps ? v : 0;
      }
      out.push(a);
    }
    return out;
  }
}
