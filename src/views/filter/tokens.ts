/** Filter tokens; `column` is 1-based, for error messages. */
export type TokenKind = 'word' | 'number' | 'op' | 'lparen' | 'rparen' | 'lbrace' | 'rbrace' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  column: number;
}

export class FilterError extends Error {
  constructor(readonly column: number, readonly detail: string) {
    super(`column ${column}: ${detail}`);
    this.name = 'FilterError';
  }
}

const OPERATORS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!', '='];

/** Split a filter into tokens. Words keep dots, colons, slashes and dashes (addresses, CIDRs, ranges, names). */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const column = i + 1;
    if (ch === '(') { tokens.push({ kind: 'lparen', text: ch, column }); i++; continue; }
    if (ch === ')') { tokens.push({ kind: 'rparen', text: ch, column }); i++; continue; }
    if (ch === '{') { tokens.push({ kind: 'lbrace', text: ch, column }); i++; continue; }
    if (ch === '}') { tokens.push({ kind: 'rbrace', text: ch, column }); i++; continue; }
    const op = OPERATORS.find((o) => input.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, column });
      i += op.length;
      continue;
    }
    if (/[A-Za-z0-9_.:\/\-]/.test(ch)) {
      let j = i;
      while (j < input.length && /[A-Za-z0-9_.:\/\-]/.test(input[j]!)) j++;
      const text = input.slice(i, j);
      tokens.push({ kind: /^\d+$/.test(text) ? 'number' : 'word', text, column });
      i = j;
      continue;
    }
    throw new FilterError(column, `unexpected character '${ch}'`);
  }
  tokens.push({ kind: 'end', text: '', column: input.length + 1 });
  return tokens;
}
