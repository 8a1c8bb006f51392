import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIELDS, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, compileFilter, listFilterSource, parseFilter, readFilterInput } from '../../src/core/filter/index.ts';
import { SEVERITY_CODES, listOf } from '../../src/core/model/list-columns.ts';
import {
  MAX_FILTER_TERMS,
  MAX_FILTER_TEXT,
  NO_FILTERS,
  SORT_KEYS,
  filterTerms,
  makeConnectionFilter,
  selectConnectionRows,
  type ConnectionFilters,
  type SortState,
} from '../../src/core/model/connection-rows.ts';
import { LADDER_SPACINGS, TIME_FORMATS, TIME_ZONES } from '../../src/state/display-slice.ts';
import { createAppStore, type AppState } from '../../src/state/store.ts';
import { DownloadError } from '../../src/ui/links/fetch-capture.ts';
import { formatHash, parseHash, type LinkView, type ParsedHash } from '../../src/ui/links/hash-params.ts';
import { linkNotices } from '../../src/ui/links/notices.ts';
import { startUrlSync } from '../../src/ui/links/url-sync.ts';
import { makeConnection, makeReset } from '../support/connections.ts';

/**
 * Fuzzing of what a link or a keyboard hands the app as text: URL fragments (generated from the
 * keys the codec knows, and real links mutated) through the hash codec and the path that turns a
 * fragment into store state, and filter strings through the connection filter. Whatever the text:
 * no exception, work bounded by the input caps (counted, never timed), and state with only the
 * keys the app defines, none inherited from or written onto a prototype.
 *
 * Deterministic: fast-check runs from FUZZ_SEED (default 1); LINK_FUZZ_RUNS sets the runs per
 * property (default 300: a few seconds in CI). A failure prints the seed and the shrunk input.
 */
const RUNS = Number(process.env.LINK_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const params = (runs = RUNS): fc.Parameters<unknown> => ({ numRuns: runs, seed: SEED });

// --- what the fuzzer draws from ----------------------------------------------------------------

const HASH_KEYS = ['c', 'f', 'q', 'scn', 'sev', 'st', 'fnd', 't', 'sort', 'fp', 'pkt', 'url', 'demo', 'time', 'tz', 'ref', 'ladder'];
/** Names every object answers to, and text that has broken parsers before. */
const NASTY = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__',
  '', ' ', '%', '%%', '%zz', '%00', '%ED%A0%80', '%F0%9F%98', '\u0000', '\uD83D', '\uDE00', '😀', '\u202E',
  '-0', '0', '00', '-1', '1e400', 'NaN', 'Infinity', '9999999999', '99999999999', '1.5', '0x10', ' 1',
  '~', '1~', '~1', '1~2~3', '-packets', '--packets', 'packets', '-', 'problem', 'Problem',
  ':', '::', ':'.repeat(300), '1:'.repeat(100), '10.0.0.1:443', '2001:db8::1', '[::1]:80', '::ffff:10.0.0.1',
  'https://example.org/a.pcap', 'http://127.0.0.1:1/x', '//evil.example/a', 'javascript:alert(1)', 'data:,x',
  '/relative.pcap', 'H4sI', '!!!', 'a'.repeat(199) + '😀', 'x'.repeat(5000),
  'abs', 'rel', 'delta', 'ref', 'local', 'utc', 'time', 'even',
];

const anyChar = fc.oneof(
  fc.constantFrom(...'&=#%+:~-._ ?/[]\\"\'<>\t\n0123456789abcdefx'),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
);
const junk = fc.string({ unit: anyChar, maxLength: 40 });
const value = fc.oneof(fc.constantFrom(...NASTY), junk, fc.nat().map(String), fc.double().map(String));
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...HASH_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...NASTY) }, junk);

/** A fragment assembled from keys and values, with odd separators now and then. */
const generatedHash = fc
  .array(fc.tuple(key, value, fc.constantFrom('=', '=', '=', '', '==', '%3D')), { maxLength: 14 })
  .chain((pairs) =>
    fc.tuple(fc.constant(pairs), fc.constantFrom('&', '&', '&', '&&', ';', '&amp;'), fc.constantFrom('#', '', '##', '#?')),
  )
  .map(([pairs, sep, lead]) => lead + pairs.map(([k, eq, v]) => `${k}${eq}${v}`).join(sep));

const filtersArb: fc.Arbitrary<ConnectionFilters> = fc.record({
  text: fc.oneof(fc.constant(''), junk, fc.constantFrom('10.0.0.1 :443', '2001:db8::1', ':80')),
  scenario: fc.option(fc.oneof(fc.constantFrom('refused', 'abort', '__proto__'), junk)),
  severity: fc.option(fc.constantFrom(...SEVERITY_CODES)),
  state: fc.option(fc.oneof(fc.constantFrom('REJ', 'constructor'), junk)),
  finding: fc.option(fc.oneof(fc.constantFrom('f1', 'toString'), junk)),
  timeRange: fc.option(fc.tuple(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }))),
});
const viewArb: fc.Arbitrary<LinkView> = fc.record({
  connection: fc.option(fc.nat({ max: 9_999_999_999 })),
  frame: fc.option(fc.nat({ max: 9_999_999_999 })),
  filters: filtersArb,
  // No order (key null) has no direction.
  sort: fc.option(fc.record({ key: fc.constantFrom(...SORT_KEYS), desc: fc.boolean() })).map((s): SortState => s ?? { key: null, desc: false }),
});
const captureRef = fc.record(
  { fingerprint: fc.option(fc.constantFrom('0123456789ab.4185', '__proto__')), packets: fc.option(fc.constantFrom('H4sIAAAA', 'x')), url: fc.option(fc.constantFrom('https://example.org/a.pcap', '/same.pcap')) },
  { requiredKeys: [] },
);

/** One edit of a string: insert, delete, replace or repeat a range, or percent-(de)code it. */
const edit = fc.tuple(fc.constantFrom('insert', 'delete', 'replace', 'repeat', 'encode', 'decode'), fc.nat(), fc.nat({ max: 12 }), value);
function applyEdits(text: string, edits: readonly (readonly [string, number, number, string])[]): string {
  let s = text;
  for (const [op, at, len, with_] of edits) {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    const part = s.slice(i, i + len);
    const rest = s.slice(i + len);
    if (op === 'insert') s = s.slice(0, i) + with_ + s.slice(i);
    else if (op === 'delete') s = s.slice(0, i) + rest;
    else if (op === 'replace') s = s.slice(0, i) + with_ + rest;
    else if (op === 'repeat') s = s.slice(0, i) + part.repeat(1 + (len % 5)) + rest;
    else if (op === 'encode') s = s.slice(0, i) + part.replace(/[^\w]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`) + rest;
    else s = s.slice(0, i) + part.replace(/%/g, '') + rest;
  }
  return s;
}

/** A real link, then mutated. */
const mutatedHash = fc
  .tuple(viewArb, captureRef, fc.array(edit, { maxLength: 6 }))
  .map(([view, ref, edits]) => `#${applyEdits(formatHash(view, ref), edits)}`);

const wellFormed = (s: string | null): string | null =>
  s === null ? null : s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

const anyHash = fc.oneof(generatedHash, mutatedHash, fc.string({ unit: anyChar, maxLength: 300 }));

// --- the invariants --------------------------------------------------------------------------------

const FILTER_KEYS = Object.keys(NO_FILTERS).sort();

/** A plain object whose own keys are exactly `keys`, none of them inherited or a prototype's name. */
function expectPlain(obj: unknown, keys: readonly string[], what: string): void {
  expect(obj, what).toBeTypeOf('object');
  expect(obj, what).not.toBeNull();
  expect(Object.getPrototypeOf(obj), `${what}: prototype`).toBe(Object.prototype);
  expect(Reflect.ownKeys(obj as object).map(String).sort(), `${what}: keys`).toEqual([...keys].sort());
}

const nullableId = (v: unknown): boolean => v === null || (Number.isSafeInteger(v) && (v as number) >= 0);
const nullableString = (v: unknown): boolean => v === null || typeof v === 'string';

function checkFilters(f: ConnectionFilters, what: string): void {
  expectPlain(f, FILTER_KEYS, what);
  expect(typeof f.text, what).toBe('string');
  expect(f.text.length, what).toBeLessThanOrEqual(MAX_FILTER_LENGTH);
  for (const k of ['scenario', 'state', 'finding'] as const) expect(nullableString(f[k]), `${what}.${k}`).toBe(true);
  expect(f.severity === null || SEVERITY_CODES.includes(f.severity), `${what}.severity`).toBe(true);
  if (f.timeRange !== null) {
    expect(f.timeRange, `${what}.timeRange`).toHaveLength(2);
    expect(f.timeRange.every(Number.isFinite), `${what}.timeRange`).toBe(true);
  }
}

function checkSort(s: SortState, what: string): void {
  expectPlain(s, ['key', 'desc'], what);
  expect(s.key === null || (SORT_KEYS as readonly string[]).includes(s.key), `${what}.key`).toBe(true);
  expect(typeof s.desc, `${what}.desc`).toBe('boolean');
}

function checkParsed(p: ParsedHash, hash: string): void {
  const what = JSON.stringify(hash.slice(0, 200));
  expectPlain(p, ['view', 'display', 'fingerprint', 'packets', 'url', 'demo'], what);
  checkDisplay(p.display, `${what} display`);
  expectPlain(p.view, ['connection', 'frame', 'filters', 'sort'], `${what} view`);
  expect(nullableId(p.view.connection) && nullableId(p.view.frame), what).toBe(true);
  checkFilters(p.view.filters, `${what} filters`);
  checkSort(p.view.sort, `${what} sort`);
  for (const k of ['fingerprint', 'packets', 'url'] as const) expect(nullableString(p[k]), `${what} ${k}`).toBe(true);
  expect(typeof p.demo, what).toBe('boolean');
}

/** Display settings: only the keys a fragment named, each with a value the app knows. */
function checkDisplay(d: ParsedHash['display'], what: string): void {
  expectPlain(d, Object.keys(d), what);
  for (const k of Object.keys(d)) expect(['timeFormat', 'timeZone', 'reference', 'ladderSpacing'], what).toContain(k);
  if (d.timeFormat !== undefined) expect(TIME_FORMATS, what).toContain(d.timeFormat);
  if (d.timeZone !== undefined) expect(TIME_ZONES, what).toContain(d.timeZone);
  if (d.ladderSpacing !== undefined) expect(LADDER_SPACINGS, what).toContain(d.ladderSpacing);
  if (d.reference !== undefined) expect(Number.isSafeInteger(d.reference) && d.reference > 0, what).toBe(true);
}

/** Object.prototype as it was: a hostile key must never land on every object. */
const PROTO_KEYS = Reflect.ownKeys(Object.prototype).map(String).sort();
function expectPrototypesUntouched(): void {
  expect(Reflect.ownKeys(Object.prototype).map(String).sort()).toEqual(PROTO_KEYS);
  expect(Reflect.ownKeys(Array.prototype).includes('polluted')).toBe(false);
}

// --- a small capture's list, as the filter sees it --------------------------------------------------

const conns = [
  makeConnection(0, { client: { ip: '10.0.0.9', port: 5000 }, packets: 10 }),
  makeConnection(1, { client: { ip: '10.0.0.10', port: 5001 }, state: 'REJ', resets: [makeReset({ scenario: 'refused', time: 1.5 })] }),
  makeConnection(2, { client: { ip: '192.168.1.1', port: 6000 }, server: { ip: '2001:db8::1', port: 443 } }),
  makeConnection(3, { client: { ip: '::ffff:10.0.0.1', port: 65535 }, server: { ip: '1:2:3:4:5:6:7:8', port: 0 } }),
  makeConnection(4, { state: 'RSTO', resets: [makeReset({ scenario: 'abort', severity: 'normal', time: 9, findings: ['f1'] })] }),
];
const list = listOf(conns);
const endpointText = (id: number): string[] => {
  const c = conns[id]!;
  return [`${c.client.ip}:${c.client.port}`.toLowerCase(), `${c.server.ip}:${c.server.port}`.toLowerCase()];
};

// --- the hash codec --------------------------------------------------------------------------------

describe('fuzzed view links through the hash codec', () => {
  it('parses any fragment into a view of known keys and valid values, without throwing', () => {
    fc.assert(
      fc.property(anyHash, (hash) => {
        checkParsed(parseHash(hash), hash);
        expectPrototypesUntouched();
      }),
      params(RUNS * 3),
    );
  });

  it('writes back any view it parsed, and the written link is stable', () => {
    fc.assert(
      fc.property(anyHash, captureRef, (hash, ref) => {
        const parsed = parseHash(hash);
        const written = formatHash(parsed.view, ref);
        const again = parseHash(written);
        checkParsed(again, written);
        expect(formatHash(again.view, ref), JSON.stringify(hash)).toBe(written);
        // What a link says about the view survives being written and read.
        expect(again.view.connection).toBe(parsed.view.connection);
        expect(again.view.frame).toBe(parsed.view.frame);
        expect(again.view.sort).toEqual(parsed.view.sort);
        const { text: _t, timeRange: _r, ...rest } = parsed.view.filters;
        const { text: _t2, timeRange: _r2, ...restAgain } = again.view.filters;
        expect(restAgain).toEqual(rest);
        expect(filterTerms(again.view.filters.text)).toEqual(filterTerms(parsed.view.filters.text));
      }),
      params(),
    );
  });

  it('round-trips any view it can write', () => {
    fc.assert(
      fc.property(viewArb, (view) => {
        const parsed = parseHash(formatHash(view));
        checkParsed(parsed, JSON.stringify(view));
        expect(parsed.view.connection).toBe(view.connection);
        expect(parsed.view.frame).toBe(view.frame);
        expect(parsed.view.sort).toEqual(view.sort);
        // Ids come back as written; a lone surrogate (pasted text) comes back as U+FFFD, as in any URL.
        expect(parsed.view.filters.scenario).toBe(wellFormed(view.filters.scenario));
        expect(parsed.view.filters.finding).toBe(wellFormed(view.filters.finding));
        expect(parsed.view.filters.state).toBe(wellFormed(view.filters.state));
      }),
      params(),
    );
  });
});

// --- the view-restoring path ---------------------------------------------------------------------

describe('fuzzed view links restored into the store', () => {
  let hash = '';
  const origin = 'https://resetscope.test';
  beforeEach(() => {
    vi.stubGlobal('location', {
      get hash() {
        return hash;
      },
      pathname: '/app/',
      search: '',
      origin,
      get href() {
        return `${origin}/app/${hash}`;
      },
    });
    vi.stubGlobal('history', {
      pushState: (_s: unknown, _t: string, url: string) => (hash = new URL(url, origin).hash),
      replaceState: (_s: unknown, _t: string, url: string) => (hash = new URL(url, origin).hash),
    });
    const listeners = new Map<string, () => void>();
    vi.stubGlobal('window', {
      addEventListener: (type: string, fn: () => void) => listeners.set(type, fn),
      removeEventListener: (type: string) => listeners.delete(type),
      dispatch: (type: string) => listeners.get(type)?.(),
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    linkNotices.setState({ notice: null });
  });

  function checkState(s: AppState, what: string): void {
    checkFilters(s.filters, `${what} filters`);
    checkSort(s.sort, `${what} sort`);
    const c = s.selectedConnection;
    expect(c === null || (Number.isInteger(c) && c >= 0 && c < list.count), `${what} connection ${c}`).toBe(true);
    expect(nullableId(s.detailFrame), `${what} frame`).toBe(true);
    expect(TIME_FORMATS, `${what} time format`).toContain(s.timeFormat);
    expect(TIME_ZONES, `${what} time zone`).toContain(s.timeZone);
    expect(LADDER_SPACINGS, `${what} ladder spacing`).toContain(s.ladderSpacing);
    expect(s.timeReference === null || (Number.isSafeInteger(s.timeReference.frame) && s.timeReference.frame > 0), `${what} reference`).toBe(true);
    // The restored view can be shown: the list is selected from it without throwing.
    const rows = selectConnectionRows(list, s.filters, s.sort);
    expect(new Set(rows).size, what).toBe(rows.length);
    for (const id of rows) expect(id < list.count, what).toBe(true);
    const notice = linkNotices.getState().notice;
    // Messages name at most a host: a link's text is never repeated at length.
    if (notice) expect(notice.text.length, `${what} notice`).toBeLessThanOrEqual(400);
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('turns any fragment into store state with known keys, whether the capture is open or still coming', async () => {
    await fc.assert(
      fc.asyncProperty(anyHash, anyHash, fc.boolean(), async (first, second, open) => {
        const what = JSON.stringify([first.slice(0, 120), second.slice(0, 120), open]);
        hash = first.startsWith('#') || first === '' ? first : `#${first}`;
        const store = createAppStore();
        const file = new Blob([new Uint8Array([1, 2, 3])]);
        // An open capture gets the view at once; otherwise it waits for the analysis to finish.
        store.setState(open ? { status: 'done', list, file, runId: 1 } : { status: 'running', list, file, runId: 1 });
        const opened: string[] = [];
        const stop = startUrlSync({
          store,
          openFile: (_f, name) => opened.push(name),
          fetchCapture: () => Promise.reject(new DownloadError('The download failed.', 'unreachable')),
        });
        try {
          await settle();
          if (!open) store.setState({ status: 'done' });
          await settle();
          await settle();
          checkState(store.getState(), `${what} first`);
          // Back or a pasted link while the capture is open.
          hash = second.startsWith('#') || second === '' ? second : `#${second}`;
          (window as unknown as { dispatch: (t: string) => void }).dispatch('hashchange');
          await settle();
          checkState(store.getState(), `${what} second`);
          // The view is written back into the address as a link the codec reads the same way.
          if (hash !== '') checkParsed(parseHash(hash), hash);
          expect(opened.every((n) => n === 'shared-connection.pcap.gz' || n.length <= 255), what).toBe(true);
          expectPrototypesUntouched();
        } finally {
          stop();
        }
      }),
      params(Math.max(20, Math.round(RUNS / 2))),
    );
  });
});

// --- the connection filter -------------------------------------------------------------------------

/** Filter text: real endpoints mutated, address characters, and anything. */
const filterText = fc.oneof(
  fc.constantFrom('10.0.0.1:443', '2001:db8::1', '::ffff:10.0.0.1:65535', ':5001 10.0.0', '1:2:3:4:5:6:7:8:0').chain((t) =>
    fc.array(edit, { maxLength: 5 }).map((edits) => applyEdits(t, edits)),
  ),
  fc.string({ unit: fc.constantFrom(...'0123456789.:abdfABDF '), maxLength: 60 }),
  fc.string({ unit: anyChar, maxLength: 400 }),
  fc.constantFrom(':'.repeat(20_000), `${'1:'.repeat(5000)}1`, Array.from({ length: 400 }, (_, i) => `${i}:`).join(' ')),
);

describe('fuzzed filter strings through the connection filter', () => {
  it('keeps exactly the connections whose endpoint text holds every term, without throwing', () => {
    fc.assert(
      fc.property(filterText, (text) => {
        const terms = filterTerms(text);
        expect(terms.length).toBeLessThanOrEqual(MAX_FILTER_TERMS);
        for (const t of terms) {
          expect(t.length).toBeLessThanOrEqual(MAX_FILTER_TEXT);
          expect(t).not.toMatch(/\s/);
        }
        const keep = makeConnectionFilter(list, { ...NO_FILTERS, text });
        // An expression (or a broken one) is the parser's: its own properties are below.
        if (readFilterInput(text).kind !== 'search') {
          for (let id = 0; id < list.count; id++) expect(typeof keep(id)).toBe('boolean');
          return;
        }
        for (let id = 0; id < list.count; id++) {
          const ends = endpointText(id);
          const expected = terms.every((t) => ends.some((e) => e.includes(t)));
          expect(keep(id), `${JSON.stringify(text.slice(0, 80))} on ${ends.join(' ')}`).toBe(expected);
        }
      }),
      params(),
    );
  });

  it('does bounded work for any text: ports turned into text and addresses read, counted', () => {
    // The work per term: at most one pass over the 65,536 ports (as text) and one pass over the
    // distinct addresses per colon the term may hold (8) plus one; at most 16 terms.
    const ips = new Proxy([...list.ips], {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    let reads = 0;
    const counted = { ...list, ips };
    const spy = vi.spyOn(globalThis, 'String');
    try {
      fc.assert(
        fc.property(filterText, (text) => {
          reads = 0;
          spy.mockClear();
          const keep = makeConnectionFilter(counted, { ...NO_FILTERS, text });
          for (let id = 0; id < list.count; id++) keep(id);
          const terms = filterTerms(text).length;
          expect(spy.mock.calls.length, JSON.stringify(text.slice(0, 80))).toBeLessThanOrEqual(65_536 * terms);
          expect(reads, JSON.stringify(text.slice(0, 80))).toBeLessThanOrEqual(list.ips.length * 10 * terms);
        }),
        params(Math.max(20, Math.round(RUNS / 4))),
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('takes any combination of filters (ids from a link included) without throwing', () => {
    fc.assert(
      fc.property(filtersArb, fc.option(fc.constantFrom(...SORT_KEYS)), fc.boolean(), (filters, key, desc) => {
        const rows = [...selectConnectionRows(list, filters, { key, desc })];
        expect(new Set(rows).size).toBe(rows.length);
        const keep = makeConnectionFilter(list, filters);
        expect([...rows].sort((a, b) => a - b)).toEqual([...Array(list.count).keys()].filter(keep));
        expectPrototypesUntouched();
      }),
      params(),
    );
  });
});

// --- the filter-expression parser ------------------------------------------------------------------

const exprToken = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FIELDS.map((f) => f.name)) },
  { weight: 3, arbitrary: fc.constantFrom('==', '!=', '===', '!==', '<', '>', '<=', '>=', '&&', '||', '!', '~', 'contains', 'matches', 'in', 'and', 'or', 'not', 'eq', 'ne') },
  { weight: 2, arbitrary: fc.constantFrom('(', ')', '{', '}', ',', '..', '"', '"x"', '"(a+)+$"', '"\\"') },
  { weight: 2, arbitrary: fc.constantFrom('10.0.0.1', '10.0.0.0/8', '2001:db8::/32', '::', '443', '65536', '-1', '1e400', '0x1f', '1.5', 'refused', 'RSTO', 'http', '__proto__', 'constructor') },
  { weight: 1, arbitrary: junk },
);
/** Expressions: tokens joined by spaces, mutated now and then, and deep nests. */
const expression = fc.oneof(
  fc.array(exprToken, { maxLength: 16 }).map((t) => t.join(' ')),
  fc.tuple(fc.array(exprToken, { maxLength: 10 }), fc.array(edit, { maxLength: 4 })).map(([t, e]) => applyEdits(t.join(' '), e)),
  fc.tuple(fc.nat({ max: 3 * MAX_FILTER_DEPTH }), fc.constantFrom('(', '!', 'not ', '!(')).map(([n, open]) => `${open.repeat(n)}tcp.port == 80${')'.repeat(n)}`),
  fc.constantFrom('a'.repeat(MAX_FILTER_LENGTH + 1), `tcp.port == 80 ${'|| tcp.port == 80 '.repeat(200)}`, `ip.addr in {${'10.0.0.1 '.repeat(300)}}`),
);

describe('fuzzed filter expressions through the parser and the evaluator', () => {
  it('parses any text into an expression or an error value, never an exception, and evaluates what it parsed', () => {
    const source = listFilterSource(list);
    fc.assert(
      fc.property(expression, (text) => {
        const what = JSON.stringify(text.slice(0, 120));
        const r = parseFilter(text);
        if (!r.ok) {
          // The documented error value: where, how long, and a one-line message.
          expectPlain(r.error, ['offset', 'length', 'message'], what);
          expect(r.error.offset, what).toBeGreaterThanOrEqual(0);
          expect(r.error.offset, what).toBeLessThanOrEqual(text.length);
          expect(r.error.length, what).toBeGreaterThanOrEqual(1);
          expect(r.error.message, what).toMatch(/^[^\r\n]+$/);
          return;
        }
        expect(text.length, `${what}: longer than the cap, yet parsed`).toBeLessThanOrEqual(MAX_FILTER_LENGTH);
        const keep = compileFilter(r.expr, source);
        for (let id = 0; id < list.count; id++) expect(typeof keep(id), what).toBe('boolean');
        expectPrototypesUntouched();
      }),
      params(),
    );
  });

  it('refuses nesting beyond its depth and text beyond its length, as an error value', () => {
    const deep = `${'('.repeat(MAX_FILTER_DEPTH + 1)}tcp.port == 80${')'.repeat(MAX_FILTER_DEPTH + 1)}`;
    expect(parseFilter(deep).ok).toBe(false);
    expect(parseFilter('!'.repeat(100_000)).ok).toBe(false);
    expect(parseFilter(`tcp.port == 80 ${' '.repeat(MAX_FILTER_LENGTH)}`).ok).toBe(false);
  });
});
