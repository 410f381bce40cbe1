import type { TimestampResolution } from './capture-info';

const TWO_32 = 4294967296;
/** hi below this keeps hi * 2^32 + lo under 2^53, exact as a double. */
const EXACT_HI_LIMIT = 1 << 21;

/**
 * Converts pcapng 64-bit timestamps (two uint32 halves, if_tsresol units) to whole seconds
 * and nanoseconds without BigInt: one instance per interface, one call per packet.
 */
export class TimestampConverter {
  readonly decimal: boolean;
  readonly exponent: number;
  /** Units per second (decimal base). */
  private readonly perSecond: number;
  /** Nanoseconds per unit when exponent <= 9 (decimal base). */
  private readonly nsPerUnit: number;
  /** Digits worth printing. */
  readonly digits: number;
  sec = 0;
  ns = 0;

  constructor(res: TimestampResolution, private readonly offsetSec: number) {
    this.decimal = res.base === 10;
    this.exponent = res.exponent;
    this.perSecond = this.decimal ? 10 ** res.exponent : 2 ** res.exponent;
    this.nsPerUnit = this.decimal && res.exponent <= 9 ? 10 ** (9 - res.exponent) : 0;
    this.digits = this.decimal ? Math.min(res.exponent, 9) : 9;
  }

  /** Sets `sec` and `ns` from the 64-bit unit count hi:lo. */
  convert(hi: number, lo: number): void {
    if (this.decimal) this.convertDecimal(hi, lo);
    else this.convertBinary(hi, lo);
    this.sec += this.offsetSec;
  }

  private convertDecimal(hi: number, lo: number): void {
    const d = this.perSecond;
    let sec: number;
    let rem: number;
    if (hi < EXACT_HI_LIMIT) {
      const units = hi * TWO_32 + lo;
      sec = Math.floor(units / d);
      rem = units - sec * d;
    } else if (d <= TWO_32) {
      // Long division in base 2^16: every intermediate stays below 2^53.
      let r = 0;
      let q = 0;
      const digits0 = hi >>> 16, digits1 = hi & 0xffff, digits2 = lo >>> 16, digits3 = lo & 0xffff;
      let cur = digits0;
      q = Math.floor(cur / d); r = cur - q * d; sec = q;
      cur = r * 65536 + digits1; q = Math.floor(cur / d); r = cur - q * d; sec = sec * 65536 + q;
      cur = r * 65536 + digits2; q = Math.floor(cur / d); r = cur - q * d; sec = sec * 65536 + q;
      cur = r * 65536 + digits3; q = Math.floor(cur / d); r = cur - q * d; sec = sec * 65536 + q;
      rem = r;
    } else {
      const units = hi * TWO_32 + lo; // beyond nanoseconds: approximate
      sec = Math.floor(units / d);
      rem = units - sec * d;
      if (rem < 0) rem = 0;
    }
    this.sec = sec;
    this.ns = this.nsPerUnit > 0 ? rem * this.nsPerUnit : Math.floor((rem / d) * 1e9);
  }

  private convertBinary(hi: number, lo: number): void {
    const n = this.exponent;
    if (n <= 32) {
      const scale = 2 ** n;
      const frac = n === 32 ? lo : lo % scale;
      this.sec = hi * 2 ** (32 - n) + (n === 32 ? 0 : Math.floor(lo / scale));
      this.ns = Math.floor((frac / scale) * 1e9);
    } else {
      const hiScale = 2 ** (n - 32);
      this.sec = Math.floor(hi / hiScale);
      const frac = (hi % hiScale) * TWO_32 + lo;
      this.ns = Math.floor((frac / this.perSecond) * 1e9);
    }
    if (this.ns >= 1e9) this.ns = 999999999;
  }
}

/** Decode an if_tsresol byte: MSB clear is 10^-v, set is 2^-(v & 0x7f). */
export function parseTsResolution(v: number): TimestampResolution {
  return v & 0x80 ? { base: 2, exponent: v & 0x7f } : { base: 10, exponent: v };
}

/** "1700000000.123456" with `digits` fractional digits. */
export function formatTimestamp(sec: number, ns: number, digits: number): string {
  if (digits <= 0) return String(sec);
  const frac = String(ns).padStart(9, '0').slice(0, digits);
  return `${sec}.${frac}`;
}
