/**
 * The connection filter: Wireshark display-filter syntax over the fields Resetscope shares with it,
 * plus its own (`rst.*`, `conn.*`). See fields.ts for the fields, parse.ts for the grammar and
 * evaluate.ts for what "a connection matches" means.
 */
import { parseFilter, type FilterExpr } from './parse.ts';
import type { FilterError } from './tokenize.ts';

export { FIELDS, fieldNamed, type FieldDef } from './fields.ts';
export { parseFilter, formatFilterError, MAX_FILTER_LENGTH, MAX_FILTER_DEPTH, type FilterExpr, type ParseResult } from './parse.ts';
export type { FilterError } from './tokenize.ts';
export { compileFilter, type FilterSource } from './evaluate.ts';
export { completeFilter, type Completion, type CompletionItem } from './complete.ts';
export { tableFilterSource, handshakeRtt } from './table-source.ts';
export { serviceOfPort } from './services.ts';
export { streamFilter, addressPortFilter, frameFilter } from './wireshark.ts';

const NAMESPACES = /^(ip|ipv6|tcp|udp|rst|conn|frame|eth)\./i;

/**
 * Whether the text is meant as a filter expression rather than words to search for: it uses an
 * operator or bracket, or names a field (`tcp.port`, `conn.state`, `tcp`). "10.0.0.0/24", "refused"
 * or "8080" are not expressions, and go to the plain search.
 */
export function looksLikeFilter(text: string): boolean {
  if (/[=<>!&|(){}"~]/.test(text)) return true;
  return text
    .trim()
    .split(/\s+/)
    .some((w) => NAMESPACES.test(w) || /^(tcp|ip|ipv6)$/i.test(w));
}

/** What the filter box holds: nothing, words to search for, an expression, or an expression with an error. */
export type FilterInput = { kind: 'empty' } | { kind: 'search' } | { kind: 'expression'; expr: FilterExpr } | { kind: 'invalid'; error: FilterError };

export function readFilterInput(text: string): FilterInput {
  if (text.trim() === '') return { kind: 'empty' };
  if (!looksLikeFilter(text)) return { kind: 'search' };
  const r = parseFilter(text);
  return r.ok ? { kind: 'expression', expr: r.expr } : { kind: 'invalid', error: r.error };
}
export { listFilterSource } from './list-source.ts';
