/**
 * The filter's tokens. Words take letters, digits and `_ . : - /`, so field names (`tcp.flags.reset`),
 * addresses (`fe80::1/64`, `10.0.0.0/8`), scenario ids (`fast-close`) and ranges (`80..90`) are one
 * word each; the parser decides what a word is from where it stands.
 */

export type TokenKind = 'word' | 'string' | 'op' | '(' | ')' | '{' | '}' | ',' | 'end';

export interface Token {
  kind: TokenKind;
  /** The text as typed (for a string: its value, escapes resolved). */
  text: string;
  /** Offset of the first character in the input, and how many characters it spans. */
  offset: number;
  length: number;
}

/** A filter that cannot be read: where (offset into the input, characters spanned) and why. */
export interface FilterError {
  offset: number;
  length: number;
  message: string;
}

export class FilterSyntaxError extends Error {
  constructor(readonly error: FilterError) {
    super(error.message);
    this.name = 'FilterSyntaxError';
  }
}

const WORD = /[A-Za-z0-9_.:\-/]/;
const OPS = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '~=', '<', '>', '!'];

/** The tokens of `input`, ending with an `end` token; throws `FilterSyntaxError` on a character that fits none. */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (WORD.test(c)) {
      const start = i;
      while (i < input.length && WORD.test(input[i]!)) i++;
      out.push({ kind: 'word', text: input.slice(start, i), offset: start, length: i - start });
      continue;
    }
    if (c === '"') {
      const start = i++;
      let value = '';
      for (;;) {
        if (i >= input.length) throw new FilterSyntaxError({ offset: start, length: i - start, message: 'this string has no closing "' });
        const d = input[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < input.length) {
          value += input[i + 1]!;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      i++;
      out.push({ kind: 'string', text: value, offset: start, length: i - start });
      continue;
    }
    if (c === '(' || c === ')' || c === '{' || c === '}' || c === ',') {
      out.push({ kind: c, text: c, offset: i, length: 1 });
      i++;
      continue;
    }
    const op = OPS.find((o) => input.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op, offset: i, length: op.length });
      i += op.length;
      continue;
    }
    const hint = c === '=' ? ' (compare with ==)' : c === '&' ? ' (and is && or "and")' : c === '|' ? ' (or is || or "or")' : '';
    throw new FilterSyntaxError({ offset: i, length: 1, message: `unexpected character ${JSON.stringify(c)}${hint}` });
  }
  out.push({ kind: 'end', text: '', offset: input.length, length: 0 });
  return out;
}
