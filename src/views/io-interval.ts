// Intervals of the I/O graph in human units (1 ms, 10 ms, 1 s, 1 min, ...), never "7.81 ms":
// the choices offered, the steps "auto" picks from, and their labels.

/** What the interval menu offers, seconds. */
export const INTERVAL_CHOICES = [0.001, 0.01, 0.1, 1, 10, 60, 600, 3600] as const;

/**
 * Steps "auto" picks from: 1-2-5 and clock steps, neighbours at most 3x apart, so some step
 * gives between AUTO_MAX / 3 and AUTO_MAX points over any span.
 */
export const HUMAN_STEPS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 432000, 604800,
] as const;

/** "auto" aims at this many points at most (and a third of it at least, when the span allows). */
export const AUTO_MAX_POINTS = 400;
/** No interval gives more points than this: beyond it a chart shows nothing more, only slower. */
export const MAX_POINTS = 10_000;

/** Intervals covering [from, to] with bins aligned to multiples of `sec` from the epoch. */
export function pointsOver(from: number, to: number, sec: number): number {
  const t0 = Math.floor(from / sec) * sec;
  return Math.max(1, Math.floor((to - t0) / sec) + 1);
}

/** The smallest human step of at least `minSec` giving at most `maxPoints` points over [from, to]. */
export function humanStep(from: number, to: number, minSec: number, maxPoints: number): number {
  for (const s of HUMAN_STEPS) if (s >= minSec * (1 - 1e-9) && pointsOver(from, to, s) <= maxPoints) return s;
  // Longer than weeks: whole weeks.
  let s = HUMAN_STEPS[HUMAN_STEPS.length - 1];
  while (s < minSec || pointsOver(from, to, s) > maxPoints) s *= 2;
  return s;
}

/** "1 ms", "20 ms", "1 s", "15 s", "2 min", "1 h", "7 d". */
export function intervalLabel(sec: number): string {
  if (sec < 1) return `${round(sec * 1000)} ms`;
  if (sec < 60) return `${round(sec)} s`;
  if (sec < 3600) return `${round(sec / 60)} min`;
  if (sec < 86400) return `${round(sec / 3600)} h`;
  return `${round(sec / 86400)} d`;
}

function round(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}
