/**
 * Which connections the list shows, in which order: pure functions over the list's columns, returning
 * indices (a million connections are a million numbers, not a million objects).
 */
import { compileFilter, listFilterSource, readFilterInput } from '../filter/index.ts';
import { SEVERITY_CODES, type ListColumns } from './list-columns.ts';
import { compareIp } from './endpoint.ts';
import type { Severity } from './types.ts';

export interface ConnectionFilters {
  /**
   * A filter expression in Wireshark's syntax (`tcp.port == 80 && rst.scenario == refused`), or
   * whitespace-separated terms, each of which must occur in the client or server address:port or the
   * service name (SNI, HTTP Host or DNS name). An expression that cannot be read filters nothing (the
   * box says what is wrong).
   */
  text: string;
  scenario: string | null;
  severity: Severity | null;
  /** Zeek conn_state. */
  state: string | null;
  /** Only the connections of this host finding. */
  finding: string | null;
  /** Only connections with a reset in [from, to] (seconds since the capture's first frame). */
  timeRange: readonly [number, number] | null;
}

export const NO_FILTERS: ConnectionFilters = {
  text: '',
  scenario: null,
  severity: null,
  state: null,
  finding: null,
  timeRange: null,
};

/** The columns the list sorts by (link fragments name them: `sort=-packets`). */
export const SORT_KEYS = [
  'id',
  'client',
  'server',
  'state',
  'history',
  'service',
  'packets',
  'bytesClient',
  'bytesServer',
  'start',
  'duration',
  'rtt',
  'resets',
  'scenario',
] as const;

export type SortKey = (typeof SORT_KEYS)[number];

/** `null` key: the default order, connections with resets first, then by first frame. */
export interface SortState {
  key: SortKey | null;
  desc: boolean;
}

export const DEFAULT_SORT: SortState = { key: null, desc: false };

export function isFiltered(f: ConnectionFilters): boolean {
  return (
    filterTerms(f.text).length > 0 ||
    f.scenario !== null ||
    f.severity !== null ||
    f.state !== null ||
    f.finding !== null ||
    f.timeRange !== null
  );
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Rank of each string of a table in `compare` order (equal strings share a rank). */
function ranks(table: readonly string[], compare: (a: string, b: string) => number): Uint32Array {
  const order = table.map((_, i) => i).sort((a, b) => compare(table[a]!, table[b]!));
  const out = new Uint32Array(table.length);
  let rank = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && compare(table[order[k - 1]!]!, table[order[k]!]!) !== 0) rank++;
    out[order[k]!] = rank;
  }
  return out;
}

/** The value each connection sorts by, for a column. */
function sortKeys(list: ListColumns, key: Exclude<SortKey, 'id'>, desc: boolean): Float64Array {
  const n = list.count;
  const out = new Float64Array(n);
  switch (key) {
    case 'client':
    case 'server': {
      const r = ranks(list.ips, compareIp);
      const ip = key === 'client' ? list.clientIp : list.serverIp;
      const port = key === 'client' ? list.clientPort : list.serverPort;
      for (let i = 0; i < n; i++) out[i] = r[ip[i]!]! * 65536 + port[i]!;
      return out;
    }
    case 'state':
    case 'history':
    case 'service': {
      const r = ranks(key === 'state' ? list.states : key === 'history' ? list.histories : list.services, compareText);
      const col = key === 'state' ? list.state : key === 'history' ? list.history : list.service;
      for (let i = 0; i < n; i++) out[i] = r[col[i]!]!;
      return out;
    }
    case 'packets':
    case 'bytesClient':
    case 'bytesServer':
    case 'start':
      out.set(list[key]);
      return out;
    case 'duration':
      for (let i = 0; i < n; i++) out[i] = list.end[i]! - list.start[i]!;
      return out;
    case 'rtt': {
      // Without a handshake there is no round trip: those rows come last in either direction.
      const none = desc ? -Infinity : Infinity;
      for (let i = 0; i < n; i++) out[i] = Number.isNaN(list.rtt[i]!) ? none : list.rtt[i]!;
      return out;
    }
    case 'resets':
      for (let i = 0; i < n; i++) out[i] = list.resetStart[i + 1]! - list.resetStart[i]!;
      return out;
    case 'scenario': {
      // The first reset's scenario; connections without a reset last.
      const r = ranks(list.scenarios, compareText);
      const none = list.scenarios.length;
      for (let i = 0; i < n; i++) {
        const from = list.resetStart[i]!;
        out[i] = from === list.resetStart[i + 1] ? none : r[list.resetScenario[from]!]!;
      }
      return out;
    }
  }
}

/**
 * Sort `rows` (ascending connection ids) by `keys`, ties in connection order either way. Whole keys
 * small enough are packed with the row's position into one float64 and sorted natively (twice as
 * fast as a comparator at a million rows); others go through a comparator.
 */
function sortRows(rows: Uint32Array, keys: Float64Array, desc: boolean): void {
  const n = rows.length;
  const bits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const limit = 2 ** (53 - bits);
  let packable = true;
  for (let k = 0; k < n && packable; k++) {
    const v = keys[rows[k]!]!;
    packable = Number.isInteger(v) && v >= 0 && v < limit;
  }
  if (packable) {
    const scale = 2 ** bits;
    const packed = new Float64Array(n);
    const top = limit - 1;
    for (let k = 0; k < n; k++) {
      const v = keys[rows[k]!]!;
      packed[k] = (desc ? top - v : v) * scale + k;
    }
    packed.sort();
    const copy = rows.slice();
    for (let k = 0; k < n; k++) rows[k] = copy[packed[k]! % scale]!;
    return;
  }
  const sign = desc ? -1 : 1;
  rows.sort((a, b) => sign * (keys[a]! - keys[b]!) || a - b);
}

/** Connections with a reset matching `test`, as a mark per connection. */
function withReset(list: ListColumns, test: (j: number) => boolean): Uint8Array {
  const marks = new Uint8Array(list.count);
  for (let i = 0; i < list.count; i++) {
    for (let j = list.resetStart[i]!, end = list.resetStart[i + 1]!; j < end; j++) {
      if (test(j)) {
        marks[i] = 1;
        break;
      }
    }
  }
  return marks;
}

/** Longest filter text taken (the field and links are cut there): a few endpoints' worth. */
export const MAX_FILTER_TEXT = 200;
/** Distinct terms taken from the filter text; more are left out. */
export const MAX_FILTER_TERMS = 16;
/**
 * Longest endpoint text, "ip:port": an IPv6 address with an IPv4 tail (45 characters), a colon and a
 * five-digit port. A longer term matches nothing.
 */
const MAX_ENDPOINT_TEXT = 51;
/** Most colons in an endpoint text: seven in an IPv6 address, one before the port. */
const MAX_ENDPOINT_COLONS = 8;

/** The terms a filter text stands for: lower case, distinct, bounded in length and number. */
export function filterTerms(text: string): string[] {
  const terms = text.slice(0, MAX_FILTER_TEXT).trim().toLowerCase().split(/\s+/).filter(Boolean);
  return [...new Set(terms)].slice(0, MAX_FILTER_TERMS);
}

/**
 * The ports whose decimal text starts with `digits`, as ranges: "6" is 6, 60-69, 600-699, 6000-6999
 * and 60000-65535. Ports are written with 1-5 digits and no leading zero.
 */
export function portPrefixRanges(digits: string): [number, number][] {
  if (digits === '') return [[0, 65535]];
  if (!/^\d{1,5}$/.test(digits) || (digits.length > 1 && digits.startsWith('0'))) return [];
  if (digits === '0') return [[0, 0]];
  const ranges: [number, number][] = [];
  for (let low = Number(digits), width = 1; low <= 65535; low *= 10, width *= 10) {
    ranges.push([low, Math.min(65535, low + width - 1)]);
  }
  return ranges;
}

const NEVER = (): boolean => false;

/**
 * Whether `term` occurs in an endpoint's "ip:port" text, from tables over the distinct addresses
 * instead of a string per connection: the term lies within the address, within the port, or across
 * one of its colons, a suffix of the address before it and a prefix of the port after. The port
 * table is built once per term, and only for a term of 1-5 digits; a colon's port prefix is a few
 * ranges, not a table.
 */
export function endpointMatcher(ips: readonly string[], term: string): (ip: number, port: number) => boolean {
  const colons = term.split(':').length - 1;
  if (term.length > MAX_ENDPOINT_TEXT || colons > MAX_ENDPOINT_COLONS) return NEVER;
  const inIp = Uint8Array.from(ips, (ip) => (ip.includes(term) ? 1 : 0));
  let inPort: Uint8Array | null = null;
  if (/^\d{1,5}$/.test(term)) {
    inPort = new Uint8Array(65536);
    for (let p = 0; p < 65536; p++) inPort[p] = String(p).includes(term) ? 1 : 0;
  }
  const splits: { ipEnds: Uint8Array; ports: [number, number][] }[] = [];
  for (let k = term.indexOf(':'); k >= 0; k = term.indexOf(':', k + 1)) {
    const ports = portPrefixRanges(term.slice(k + 1));
    if (ports.length === 0) continue;
    const left = term.slice(0, k);
    splits.push({ ipEnds: Uint8Array.from(ips, (ip) => (ip.endsWith(left) ? 1 : 0)), ports });
  }
  return (ip, port) => {
    if (inIp[ip] === 1 || inPort?.[port] === 1) return true;
    for (const s of splits) {
      if (s.ipEnds[ip] !== 1) continue;
      for (const [from, to] of s.ports) if (port >= from && port <= to) return true;
    }
    return false;
  };
}

/** A predicate on connection ids for the filters, built once per filter change. */
export function makeConnectionFilter(list: ListColumns, f: ConnectionFilters): (id: number) => boolean {
  // An expression is bounded by its parser (MAX_FILTER_LENGTH); words by filterTerms.
  const input = readFilterInput(f.text);
  const terms = input.kind === 'search' ? filterTerms(f.text) : [];
  const checks: ((id: number) => boolean)[] = [];
  if (f.state !== null) {
    const state = list.states.indexOf(f.state);
    checks.push((id) => list.state[id] === state);
  }
  const resetTests: ((j: number) => boolean)[] = [];
  if (f.scenario !== null) {
    const scenario = list.scenarios.indexOf(f.scenario);
    resetTests.push((j) => list.resetScenario[j] === scenario);
  }
  if (f.severity !== null) {
    const severity = SEVERITY_CODES.indexOf(f.severity);
    resetTests.push((j) => list.resetSeverity[j] === severity);
  }
  if (f.timeRange !== null) {
    const [from, to] = f.timeRange;
    resetTests.push((j) => list.resetTime[j]! >= from && list.resetTime[j]! <= to);
  }
  // Each condition may be met by a different reset of the connection, as each is "some reset ...".
  for (const test of resetTests) {
    const marks = withReset(list, test);
    checks.push((id) => marks[id] === 1);
  }
  if (f.finding !== null) {
    const marks = new Uint8Array(list.count);
    // A Map: a finding id from a link (`__proto__`, `constructor`) is only ever a key, never a property.
    for (const id of list.findings.get(f.finding) ?? []) marks[id] = 1;
    checks.push((id) => marks[id] === 1);
  }
  if (input.kind === 'expression') checks.push(compileFilter(input.expr, listFilterSource(list)));
  for (const term of terms) {
    const matches = endpointMatcher(list.ips, term);
    const { clientIp, clientPort, serverIp, serverPort, service } = list;
    // The service name (SNI, Host, DNS name) matches too.
    const inService = Uint8Array.from(list.services, (name, k) => (k > 0 && name.toLowerCase().includes(term) ? 1 : 0));
    checks.push((id) => matches(clientIp[id]!, clientPort[id]!) || matches(serverIp[id]!, serverPort[id]!) || inService[service[id]!] === 1);
  }
  return (id) => {
    for (const check of checks) if (!check(id)) return false;
    return true;
  };
}

/**
 * Ids of the connections to show, filtered and sorted. Ties keep connection order, so the list never
 * shuffles between two equal rows.
 */
export function selectConnectionRows(list: ListColumns, filters: ConnectionFilters, sort: SortState): Uint32Array {
  const keep = isFiltered(filters) ? makeConnectionFilter(list, filters) : null;
  const out = new Uint32Array(list.count);
  let n = 0;
  for (let i = 0; i < list.count; i++) {
    if (keep === null || keep(i)) out[n++] = i;
  }
  const rows = out.subarray(0, n);
  // Connections are stored in id order, so the filter loop already produced that order.
  if (sort.key === 'id') return sort.desc ? rows.reverse() : rows;
  if (sort.key === null) {
    // Connections with resets first, each group in connection order.
    const sorted = new Uint32Array(n);
    let k = 0;
    for (const pass of [true, false]) {
      for (let m = 0; m < n; m++) {
        const i = rows[m]!;
        if (list.resetStart[i + 1]! > list.resetStart[i]! === pass) sorted[k++] = i;
      }
    }
    return sorted;
  }
  sortRows(rows, sortKeys(list, sort.key, sort.desc), sort.desc);
  return rows;
}

/** The distinct values a filter menu offers, from what the capture holds. */
export function filterChoices(list: ListColumns): { scenarios: string[]; states: string[] } {
  return { scenarios: [...list.scenarios].sort(), states: [...list.states].sort() };
}
