/**
 * What may come at the cursor of a filter being typed: field names where a field is expected, the
 * known values of a field after its comparison or inside its `in {…}`, and `and`/`or` after a
 * complete relation.
 */
import { fieldNamed, FIELDS } from './fields.ts';
import { tokenize, type Token } from './tokenize.ts';

export interface CompletionItem {
  /** What replaces the word at the cursor. */
  label: string;
  detail: string;
}

/** Candidates for the characters `from .. to` of the input (the word around the cursor). */
export interface Completion {
  from: number;
  to: number;
  items: CompletionItem[];
}

const COMPARISONS = new Set(['==', '!=', '===', '!==', '~=', 'eq', 'ne', 'any_eq', 'all_ne', 'all_eq', 'any_ne', 'contains', 'matches']);
const JOINERS = new Set(['and', 'or', 'not', '&&', '||', '!', '(']);

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_.:\-/]/.test(c);
}

/** Completion at `cursor` (0..input.length). Returns no items when nothing fits or the text before cannot be read. */
export function completeFilter(input: string, cursor: number, limit = 30): Completion {
  cursor = Math.max(0, Math.min(cursor, input.length));
  let from = cursor;
  while (from > 0 && isWordChar(input[from - 1])) from--;
  let to = cursor;
  while (to < input.length && isWordChar(input[to])) to++;
  const prefix = input.slice(from, cursor).toLowerCase();
  const none: Completion = { from, to, items: [] };
  let tokens: Token[];
  try {
    tokens = tokenize(input.slice(0, from)).slice(0, -1);
  } catch {
    return none;
  }
  const last = tokens[tokens.length - 1];
  const before = tokens[tokens.length - 2];
  const values = (name: string | undefined): CompletionItem[] => {
    const field = name === undefined ? undefined : fieldNamed(name);
    return (field?.values ?? []).filter((v) => v.toLowerCase().startsWith(prefix)).map((v) => ({ label: v, detail: field!.name }));
  };
  const pick = (items: CompletionItem[]): Completion => ({ from, to, items: items.slice(0, limit) });

  // Inside a set: the field before "in {".
  for (let i = tokens.length - 1; i >= 2; i--) {
    const t = tokens[i]!;
    if (t.kind === '}' || t.kind === ')') break;
    if (t.kind === '{') {
      if (tokens[i - 1]!.text.toLowerCase() === 'in') return pick(values(tokens[i - 2]!.text));
      break;
    }
  }
  if (last && (last.kind === 'op' || last.kind === 'word') && COMPARISONS.has(last.text.toLowerCase()) && before?.kind === 'word') {
    return pick(values(before.text));
  }
  const expectsField = !last || JOINERS.has(last.kind === '(' ? '(' : last.text.toLowerCase());
  if (expectsField) {
    return pick(FIELDS.filter((d) => d.name.startsWith(prefix)).map((d) => ({ label: d.name, detail: d.description })));
  }
  if (last.kind === 'word' || last.kind === 'string' || last.kind === ')' || last.kind === '}') {
    const field = last.kind === 'word' ? fieldNamed(last.text) : undefined;
    // A flag or a protocol stands alone: what follows it is "and"/"or", not a comparison.
    if (field && field.type !== 'flag' && field.type !== 'protocol' && !(before && COMPARISONS.has(before.text.toLowerCase()))) {
      const ops = ['==', '!=', '<', '>', '<=', '>=', 'in', 'contains', 'matches'];
      return pick(ops.filter((o) => o.startsWith(prefix)).map((o) => ({ label: o, detail: 'comparison' })));
    }
    return pick(['and', 'or'].filter((w) => w.startsWith(prefix) && prefix !== '').map((w) => ({ label: w, detail: 'combine' })));
  }
  return none;
}
