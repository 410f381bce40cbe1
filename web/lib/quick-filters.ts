// The filter bar's quick toggles: groups of alternatives (a flow is TCP or UDP; its ports are in
// some classes), combined with the rest of the filter by "and". Pure functions over the text.

export const TOGGLE_GROUPS: readonly (readonly string[])[] = [['tcp', 'udp'], ['well-known', 'registered', 'ephemeral'], ['tunnel', 'not tunnel']];

/** Toggles shown only for captures with tunnels: flows inside them, or the outermost layer. */
export const TUNNEL_TOGGLES: ReadonlySet<string> = new Set(TOGGLE_GROUPS[2]);

/** A toggle's button text, where the filter word alone would say less. */
export const TOGGLE_LABELS: Readonly<Record<string, string>> = { tunnel: 'inside tunnels', 'not tunnel': 'outer layer' };

/** Top-level "and" clauses of a filter (parentheses respected). */
function clauses(filter: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  const text = filter.trim();
  const lower = text.toLowerCase();
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && lower.startsWith(' and ', i)) {
      out.push(text.slice(start, i).trim());
      start = i + 5;
      i += 4;
    }
  }
  const last = text.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/** The words of a clause that is one group's alternatives ("tcp", "(tcp or udp)"), else null. */
function groupWords(clause: string): { group: number; words: string[] } | null {
  const inner = clause.replace(/^\((.*)\)$/, '$1').trim();
  const words = inner.split(/\s+or\s+/i).map((w) => w.trim().toLowerCase());
  const group = TOGGLE_GROUPS.findIndex((g) => words.every((w) => g.includes(w)));
  if (group < 0 || (words.length > 1 && !/^\(.*\)$/.test(clause) && clauses(clause).length > 1)) return null;
  if (words.length > 1 && !/^\(.*\)$/.test(clause)) return null;
  return { group, words };
}

/** The toggles pressed by a filter. */
export function pressedToggles(filter: string): Set<string> {
  const out = new Set<string>();
  for (const c of clauses(filter)) for (const w of groupWords(c)?.words ?? []) out.add(w);
  return out;
}

/** The filter with `word` toggled: alternatives within its group, "and" with everything else. */
export function toggleWord(filter: string, word: string): string {
  const group = TOGGLE_GROUPS.findIndex((g) => g.includes(word));
  const rest: string[] = [];
  const chosen: string[][] = TOGGLE_GROUPS.map(() => []);
  for (const c of clauses(filter)) {
    const g = groupWords(c);
    if (g) chosen[g.group]!.push(...g.words);
    else rest.push(c);
  }
  const set = new Set(chosen[group]);
  if (set.has(word)) set.delete(word);
  else set.add(word);
  chosen[group] = TOGGLE_GROUPS[group]!.filter((w) => set.has(w));
  const groupClauses = chosen.map((words) => (words.length === 0 ? null : words.length === 1 ? words[0]! : `(${words.join(' or ')})`));
  // "and" binds tighter than "or": a typed clause with a top-level "or" keeps its meaning in parentheses.
  const kept = rest.map((c) => (hasTopLevelOr(c) ? `(${c})` : c));
  return [...kept, ...groupClauses.filter((c): c is string => c !== null)].join(' and ');
}

function hasTopLevelOr(clause: string): boolean {
  let depth = 0;
  const lower = clause.toLowerCase();
  for (let i = 0; i < clause.length; i++) {
    if (clause[i] === '(') depth++;
    else if (clause[i] === ')') depth--;
    else if (depth === 0 && (lower.startsWith(' or ', i) || lower.startsWith(' || ', i))) return true;
  }
  return false;
}
