/**
 * The connection filter: Wireshark display-filter syntax over the fields Resetscope shares with it,
 * plus its own (`rst.*`, `conn.*`). See fields.ts for the fields, parse.ts for the grammar and
 * evaluate.ts for what "a connection matches" means.
 */
import { SCENARIO_IDS } from '../classify/scenarios.ts';
import { parseAddressBlock } from './address.ts';
import { parseFilter, type FilterExpr } from './parse.ts';
import type { FilterError } from './tokenize.ts';

export { FIELDS, fieldNamed, type FieldDef } from './fields.ts';
export { parseFilter, formatFilterError, MAX_FILTER_LENGTH, MAX_FILTER_DEPTH, type FilterExpr, type ParseResult } from './parse.ts';
export type { FilterError } from './tokenize.ts';
export { compileFilter, usesExpertFields, type FilterSource } from './evaluate.ts';
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

/**
 * What the filter box holds: nothing, words to search for, an expression, or an expression with an
 * error. `shorthand` is the expression a few plain inputs stand for.
 */
export type FilterInput =
  | { kind: 'empty' }
  | { kind: 'search' }
  | { kind: 'expression'; expr: FilterExpr; shorthand?: string }
  | { kind: 'invalid'; error: FilterError };

/**
 * Plain inputs people type for what an expression says: a scenario id ("refused"), a CIDR block
 * ("10.99.2.0/24") or "port 80". Anything else stays a search.
 */
export function shorthandFor(text: string): string | null {
  const t = text.trim();
  const port = /^port\s+(\d{1,5})$/i.exec(t);
  if (port && Number(port[1]) <= 65535) return `tcp.port == ${Number(port[1])}`;
  const scenario = SCENARIO_IDS.find((id) => id === t.toLowerCase());
  if (scenario) return `rst.scenario == ${scenario}`;
  if (t.includes('/')) {
    const block = parseAddressBlock(t);
    if (block) return `${block.version === 4 ? 'ip' : 'ipv6'}.addr == ${t}`;
  }
  return null;
}

export function readFilterInput(text: string): FilterInput {
  if (text.trim() === '') return { kind: 'empty' };
  if (!looksLikeFilter(text)) {
    const shorthand = shorthandFor(text);
    const r = shorthand === null ? null : parseFilter(shorthand);
    return r?.ok ? { kind: 'expression', expr: r.expr, shorthand: shorthand! } : { kind: 'search' };
  }
  const r = parseFilter(text);
  return r.ok ? { kind: 'expression', expr: r.expr } : { kind: 'invalid', error: r.error };
}
export { listFilterSource } from './list-source.ts';
