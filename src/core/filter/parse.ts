/**
 * A hand-written recursive-descent parser for the connection filter, in Wireshark's display-filter
 * syntax (https://www.wireshark.org/docs/man-pages/wireshark-filter.html):
 *
 *   expr     := and (("or" | "||") and)*
 *   and      := unary (("and" | "&&") unary)*
 *   unary    := ("not" | "!") unary | "(" expr ")" | relation
 *   relation := FIELD [op value | "in" "{" item ([","] item)* "}" | "contains" value | "matches" value]
 *   op       := == != === !== ~= < > <= >= eq ne any_eq all_ne all_eq any_ne lt gt le ge
 *
 * Values are checked against the field's type here, so an error points at the value that is wrong.
 * The input is bounded (`MAX_FILTER_LENGTH` characters, `MAX_FILTER_DEPTH` nested groups or nots).
 */
import { parseAddressBlock, type AddressBlock } from './address.ts';
import { fieldNamed, FIELDS, type FieldDef } from './fields.ts';
import { FilterSyntaxError, tokenize, type FilterError, type Token } from './tokenize.ts';

export const MAX_FILTER_LENGTH = 2000;
export const MAX_FILTER_DEPTH = 40;

/** `==` is "any value equals", `!=` "no value equals" (Wireshark ≥ 3.6); `===`/`!==` the other two. */
export type CompareOp = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'lt' | 'gt' | 'le' | 'ge' | 'contains' | 'matches';

export type FilterValue =
  | { kind: 'address'; block: AddressBlock }
  | { kind: 'number'; value: number }
  | { kind: 'range'; low: number; high: number }
  | { kind: 'text'; value: string }
  | { kind: 'regex'; value: RegExp };

export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'exists'; field: FieldDef }
  | { kind: 'compare'; field: FieldDef; op: CompareOp; value: FilterValue }
  | { kind: 'in'; field: FieldDef; values: FilterValue[] };

export type ParseResult = { ok: true; expr: FilterExpr } | { ok: false; error: FilterError };

const OP_WORDS: Record<string, CompareOp> = {
  '==': 'any_eq',
  eq: 'any_eq',
  any_eq: 'any_eq',
  '!=': 'all_ne',
  ne: 'all_ne',
  all_ne: 'all_ne',
  '===': 'all_eq',
  all_eq: 'all_eq',
  '!==': 'any_ne',
  '~=': 'any_ne',
  any_ne: 'any_ne',
  '<': 'lt',
  lt: 'lt',
  '>': 'gt',
  gt: 'gt',
  '<=': 'le',
  le: 'le',
  '>=': 'ge',
  ge: 'ge',
  contains: 'contains',
  matches: 'matches',
  '~': 'matches',
};

const ORDERED: ReadonlySet<CompareOp> = new Set(['lt', 'gt', 'le', 'ge']);

/** Parse `input`; never throws. */
export function parseFilter(input: string): ParseResult {
  try {
    return { ok: true, expr: new Parser(input).parse() };
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { ok: false, error: e.error };
    throw e;
  }
}

function fail(t: Pick<Token, 'offset' | 'length'>, message: string): never {
  throw new FilterSyntaxError({ offset: t.offset, length: Math.max(1, t.length), message });
}

const isKeyword = (t: Token, ...words: string[]): boolean => t.kind === 'word' && words.includes(t.text.toLowerCase());

/** Edit distance (insert, delete, substitute), for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** Up to three candidates close to `typed`: a small edit away, else sharing its start. */
export function closest(typed: string, candidates: readonly string[]): string[] {
  const t = typed.toLowerCase();
  const near = candidates
    .map((c) => ({ c, d: distance(t, c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(t.length / 3)))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.c);
  const out = near.length ? near : candidates.filter((c) => t.length >= 2 && c.toLowerCase().startsWith(t.slice(0, 2)));
  return out.slice(0, 3);
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;

  constructor(private readonly input: string) {
    if (input.length > MAX_FILTER_LENGTH) fail({ offset: MAX_FILTER_LENGTH, length: input.length - MAX_FILTER_LENGTH }, `a filter is at most ${MAX_FILTER_LENGTH} characters`);
    this.tokens = tokenize(input);
  }

  parse(): FilterExpr {
    if (this.peek().kind === 'end') fail({ offset: 0, length: this.input.length }, 'the filter is empty');
    const expr = this.or();
    const t = this.peek();
    if (t.kind !== 'end') fail(t, t.kind === ')' ? 'this ) closes no (' : `expected "and", "or" or the end, found ${describe(t)}`);
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  private or(): FilterExpr {
    let left = this.and();
    for (;;) {
      const t = this.peek();
      if (!(isKeyword(t, 'or') || (t.kind === 'op' && t.text === '||'))) return left;
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
  }

  private and(): FilterExpr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (!(isKeyword(t, 'and') || (t.kind === 'op' && t.text === '&&'))) return left;
      this.next();
      left = { kind: 'and', left, right: this.unary() };
    }
  }

  private nest<T>(at: Token, inner: () => T): T {
    if (++this.depth > MAX_FILTER_DEPTH) fail(at, `more than ${MAX_FILTER_DEPTH} nested groups or nots`);
    const out = inner();
    this.depth--;
    return out;
  }

  private unary(): FilterExpr {
    const t = this.peek();
    if (isKeyword(t, 'not') || (t.kind === 'op' && t.text === '!')) {
      this.next();
      return this.nest(t, () => ({ kind: 'not', expr: this.unary() }));
    }
    if (t.kind === '(') {
      this.next();
      return this.nest(t, () => {
        const expr = this.or();
        const close = this.peek();
        if (close.kind !== ')') fail(close.kind === 'end' ? t : close, close.kind === 'end' ? 'this ( is never closed' : `expected ), found ${describe(close)}`);
        this.next();
        return expr;
      });
    }
    return this.relation();
  }

  private relation(): FilterExpr {
    const t = this.next();
    if (t.kind !== 'word') fail(t, t.kind === 'end' ? 'expected a field name at the end' : `expected a field name, found ${describe(t)}`);
    const field = fieldNamed(t.text);
    if (!field) {
      const near = closest(t.text, FIELDS.map((d) => d.name));
      fail(t, `unknown field "${t.text}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
    }
    const o = this.peek();
    let opName: string | null = null;
    if (o.kind === 'op' && o.text !== '!' && o.text !== '&&' && o.text !== '||') opName = o.text;
    else if (o.kind === 'word' && Object.hasOwn(OP_WORDS, o.text.toLowerCase())) opName = o.text.toLowerCase();
    if (isKeyword(o, 'in')) {
      this.next();
      return this.set(field, o);
    }
    if (opName === null) return { kind: 'exists', field };
    this.next();
    const op = OP_WORDS[opName]!;
    if (field.type === 'protocol') fail(o, `"${field.name}" is a protocol: use it alone, without a comparison`);
    if (field.type === 'flag') fail(o, `"${field.name}" marks packets and has no value: use it alone (or after "not"), without a comparison`);
    if (ORDERED.has(op) && (field.type === 'text' || field.type === 'bool')) fail(o, `"${field.name}" can only be compared with ==, !=, in${field.type === 'text' ? ', contains or matches' : ''}`);
    if ((op === 'contains' || op === 'matches') && field.type !== 'text') fail(o, `"${opName}" applies to text fields, not to "${field.name}"`);
    const v = this.next();
    if (op === 'matches') {
      if (v.kind !== 'string' && v.kind !== 'word') fail(v, `expected a regular expression in quotes, found ${describe(v)}`);
      const slow = backtrackingRisk(v.text);
      if (slow) fail(v, slow);
      try {
        return { kind: 'compare', field, op, value: { kind: 'regex', value: new RegExp(v.text, 'i') } };
      } catch {
        fail(v, 'not a valid regular expression');
      }
    }
    if (op === 'contains') {
      if (v.kind !== 'string' && v.kind !== 'word') fail(v, `expected text, found ${describe(v)}`);
      return { kind: 'compare', field, op, value: { kind: 'text', value: v.text } };
    }
    const value = this.value(field, v, false);
    if (value.kind === 'address' && ORDERED.has(op) && value.block.bits !== value.block.words.length * 16) fail(v, 'a CIDR block can only be compared with == or !=');
    return { kind: 'compare', field, op, value };
  }

  private set(field: FieldDef, at: Token): FilterExpr {
    if (field.type === 'protocol') fail(at, `"${field.name}" is a protocol: use it alone, without "in"`);
    if (field.type === 'flag') fail(at, `"${field.name}" marks packets and has no value: use it alone, without "in"`);
    const open = this.next();
    if (open.kind !== '{') fail(open, `expected { after "in", found ${describe(open)}`);
    const values: FilterValue[] = [];
    for (;;) {
      let t = this.next();
      if (t.kind === '}') break;
      if (t.kind === ',' && values.length > 0) t = this.next();
      if (t.kind === 'end') fail(open, 'this { is never closed');
      if (t.kind === 'word' && this.peek().kind === 'word' && this.peek().text === '..') {
        // "80 .. 90" typed with spaces
        this.next();
        const high = this.next();
        values.push(this.value(field, { ...t, text: `${t.text}..${high.text}`, length: high.offset + high.length - t.offset }, true));
        continue;
      }
      values.push(this.value(field, t, true));
    }
    if (values.length === 0) fail(open, 'an empty set matches nothing: put values between { and }');
    return { kind: 'in', field, values };
  }

  /** A value token read as `field`'s type. */
  private value(field: FieldDef, t: Token, inSet: boolean): FilterValue {
    if (t.kind !== 'word' && t.kind !== 'string') fail(t, t.kind === 'end' ? `expected a value for ${field.name} at the end` : `expected a value, found ${describe(t)}`);
    const text = t.text;
    const range = t.kind === 'word' ? /^(.+?)\.\.(.+)$/.exec(text) : null;
    if (range && inSet && isNumeric(field)) {
      const low = this.number(field, { ...t, text: range[1]! });
      const high = this.number(field, { ...t, text: range[2]! });
      if (low > high) fail(t, `this range is empty: ${low} is above ${high}`);
      return { kind: 'range', low, high };
    }
    switch (field.type) {
      case 'ipv4':
      case 'ipv6': {
        const block = parseAddressBlock(text);
        const want = field.type === 'ipv4' ? 4 : 6;
        if (!block) fail(t, `"${text}" is not an IPv${want} address${field.type === 'ipv4' ? ' (a.b.c.d, or a.b.c.d/len)' : ''}`);
        if (block.version !== want) fail(t, `"${text}" is an IPv${block.version} address: use ${want === 4 ? 'ipv6' : 'ip'}.${field.name.split('.')[1]}`);
        return { kind: 'address', block };
      }
      case 'bool': {
        const lower = text.toLowerCase();
        if (lower === '1' || lower === 'true') return { kind: 'number', value: 1 };
        if (lower === '0' || lower === 'false') return { kind: 'number', value: 0 };
        return fail(t, `"${field.name}" is 1 or 0 (true or false), not "${text}"`);
      }
      case 'port':
      case 'uint':
      case 'seconds':
        return { kind: 'number', value: this.number(field, t) };
      case 'text': {
        if (!field.values) return { kind: 'text', value: text };
        const known = field.values.find((v) => (field.caseless ? v.toLowerCase() === text.toLowerCase() : v === text));
        if (known === undefined) {
          const near = closest(text, field.values);
          fail(t, `"${text}" is not a ${field.name} value${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
        }
        return { kind: 'text', value: known };
      }
      case 'protocol':
      case 'flag':
        return fail(t, `"${field.name}" takes no value`);
    }
  }

  private number(field: FieldDef, t: Token): number {
    const text = t.text;
    let v = Number.NaN;
    if (/^0x[0-9a-f]+$/i.test(text)) v = parseInt(text.slice(2), 16);
    else if (field.type === 'seconds' ? /^\d+(\.\d*)?$|^\.\d+$/.test(text) : /^\d+$/.test(text)) v = Number(text);
    if (!Number.isFinite(v)) fail(t, `"${text}" is not ${field.type === 'seconds' ? 'a number of seconds' : field.type === 'port' ? 'a port number' : 'a whole number'}`);
    if (field.type === 'port' && v > 65535) fail(t, `${text} is not a port number (0 to 65535)`);
    return v;
  }
}

function isNumeric(field: FieldDef): boolean {
  return field.type === 'port' || field.type === 'uint' || field.type === 'seconds';
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end';
  if (t.kind === 'string') return `"${t.text}"`;
  return `"${t.text}"`;
}

/** The message with a line showing the input and a caret under the place it points at. */
export function formatFilterError(input: string, error: FilterError): string {
  // One line of input: newlines would break the pointer.
  const line = input.replace(/[\r\n\t]/g, ' ');
  const length = Math.max(1, Math.min(error.length, line.length - error.offset));
  return `${line}\n${' '.repeat(error.offset)}${'^'.repeat(length)} ${error.message}`;
}

/** The longest pattern `matches` accepts: text fields are names and short codes. */
export const MAX_PATTERN_LENGTH = 200;

/**
 * Why a `matches` pattern could take exponential time on a crafted name (a link carries both the
 * filter and the capture), or null. JavaScript's regular expressions backtrack: a repeated group that
 * itself repeats or alternates (`(a+)+`, `(a|a)*`) or a backreference can run for minutes on a string of
 * a few dozen characters. Such patterns are refused rather than run.
 */
export function backtrackingRisk(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `a regular expression of at most ${MAX_PATTERN_LENGTH} characters`;
  // For each open group: whether it holds a quantifier or an alternation.
  const open: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (!inClass && /[1-9k]/.test(n)) return 'backreferences are not supported in a filter';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') open.push(false);
    else if (c === '|' || c === '*' || c === '+' || c === '?' || c === '{') {
      // `(?:`, `(?=`, `(?<name>`: a `?` right after `(` opens a group kind, it repeats nothing.
      if (!(c === '?' && pattern[i - 1] === '(') && open.length) open[open.length - 1] = true;
    } else if (c === ')') {
      const risky = open.pop() ?? false;
      const after = pattern[i + 1];
      const repeated = after === '*' || after === '+' || after === '{';
      if (risky && repeated) return 'a repeated group that itself repeats or alternates can take exponential time: simplify the pattern';
      if (risky && open.length) open[open.length - 1] = true;
    }
  }
  return null;
}
