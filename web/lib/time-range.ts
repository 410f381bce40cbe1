// A time range as part of the filter text: the words `during A-B` (epoch seconds), added,
// replaced or removed by the I/O graph's zoom; and UTC times for people.

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const CLAUSE = String.raw`\bduring\s+${NUMBER}-${NUMBER}(?![\w.-])`;
const ANY = new RegExp(CLAUSE, 'gi');

/** Decimals so that the range keeps about a thousandth of its length (ms at least). */
export function rangeDecimals(from: number, to: number): number {
  const span = Math.max(to - from, 1e-9);
  return Math.min(6, Math.max(3, Math.ceil(Math.log10(1000 / span))));
}

export function duringClause(from: number, to: number): string {
  const d = rangeDecimals(from, to);
  return `during ${from.toFixed(d)}-${to.toFixed(d)}`;
}

/**
 * The filter with the time range [from, to]: an earlier `during` clause is replaced in place,
 * otherwise ` and during A-B` is added (the rest in parentheses when it has an `or`).
 */
export function withTimeRange(filter: string | null, from: number, to: number): string {
  const clause = duringClause(from, to);
  let f = (filter ?? '').trim();
  const found = f.match(ANY)?.length ?? 0;
  if (found === 1) return f.replace(new RegExp(CLAUSE, 'i'), clause);
  if (found > 1) f = withoutTimeRange(f);
  if (!f) return clause;
  return /\bor\b|\|\|/i.test(f) && !wrapped(f) ? `(${f}) and ${clause}` : `${f} and ${clause}`;
}

/** The filter without its `during` clauses (and the `and` that joined each). */
export function withoutTimeRange(filter: string | null): string {
  let f = (filter ?? '').trim();
  f = f.replace(new RegExp(String.raw`\s*(?:\band\b|&&)\s*${CLAUSE}`, 'gi'), '');
  f = f.replace(new RegExp(String.raw`${CLAUSE}\s*(?:\band\b|&&)\s*`, 'gi'), '');
  f = f.replace(ANY, '').trim();
  // "(a or b)" that withTimeRange wrapped: unwrap again.
  while (wrapped(f)) f = f.slice(1, -1).trim();
  return f.replace(/\(\s*\)/g, '').trim();
}

/** Whether the whole text is one parenthesized group. */
function wrapped(f: string): boolean {
  if (!f.startsWith('(') || !f.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '(') depth++;
    else if (f[i] === ')' && --depth === 0 && i < f.length - 1) return false;
  }
  return depth === 0;
}

/** "2023-11-14 22:13:20.000" (UTC, milliseconds). */
export function utcTime(epochSec: number): string {
  return new Date(epochSec * 1000).toISOString().replace('T', ' ').replace('Z', '');
}

/** "2023-11-14 22:13:20.000–22:14:00.000 UTC": the date once when both ends share it. */
export function utcRange(from: number, to: number): string {
  const a = utcTime(from), b = utcTime(to);
  return `${a}–${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b} UTC`;
}

/** Epoch seconds of "2023-11-14 22:13:20.5" (UTC; the date, seconds and fraction as far as given), or null. */
export function parseUtc(text: string): number | null {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(?:Z|UTC)?\s*$/i.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (Number.isNaN(ms)) return null;
  return ms / 1000 + Number(m[7] ?? 0);
}
