// Words of one line of a rule file with their 1-based columns: what the text importers
// (Porthole rules, iptables-save, nft) read, so that every error names its line and column.

export interface Word {
  text: string;
  /** 1-based column of the first character. */
  column: number;
  /** Written in double quotes (the quotes removed, \" and \\ unescaped). */
  quoted: boolean;
}

/**
 * Split a line at white space; double-quoted strings are one word. A '#' outside quotes at the
 * start of a word starts a comment (returned apart) when `hashComments` is set.
 */
export function splitWords(line: string, hashComments = true): { words: Word[]; comment: string | null; unclosedQuoteAt: number | null } {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (hashComments && ch === '#') return { words, comment: line.slice(i + 1).trim(), unclosedQuoteAt: null };
    const column = i + 1;
    if (ch === '"') {
      let text = '';
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        text += line[j];
        j++;
      }
      if (j >= line.length) return { words, comment: null, unclosedQuoteAt: column };
      words.push({ text, column, quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < line.length && line[j] !== ' ' && line[j] !== '\t' && line[j] !== '\r') j++;
    words.push({ text: line.slice(i, j), column, quoted: false });
    i = j;
  }
  return { words, comment: null, unclosedQuoteAt: null };
}

/** Parts of a comma-separated word, each with its own column ("22,443" → 22 @c, 443 @c+3). */
export function commaParts(w: Word): Word[] {
  const out: Word[] = [];
  let offset = 0;
  for (const part of w.text.split(',')) {
    out.push({ text: part, column: w.column + offset, quoted: w.quoted });
    offset += part.length + 1;
  }
  return out;
}
