/**
 * The view as a URL fragment, and back: `#c=12&f=345&q=10.0.0.1&scn=...&sort=-packets&fp=<sha256/12>.<size>`.
 * A link may also carry the capture itself (`#pkt=<base64url gzip pcap>`) or its address
 * (`#url=https://...`). Pure functions: the fragment is the only input, so a hostile one is just text.
 */
import { MAX_FILTER_LENGTH } from '../../core/filter/index.ts';
import type { ConnectionView, LadderSpacing, TimeFormat, TimeZoneChoice } from '../../state/display-slice.ts';
import { SEVERITY_CODES } from '../../core/model/list-columns.ts';
import type { Severity } from '../../core/model/types.ts';
import { SORT_KEYS, type ConnectionFilters, type SortKey, type SortState } from '../../core/model/connection-rows.ts';

/** What a view link restores once its capture is open. */
export interface LinkView {
  connection: number | null;
  frame: number | null;
  filters: ConnectionFilters;
  sort: SortState;
}

/**
 * How the link's sender showed times, spaced the ladder and showed the connection
 * (`time=abs&tz=local&ref=42&ladder=time&panel=stream`); a key is present only when the fragment
 * names a value it knows.
 */
export interface LinkDisplay {
  timeFormat?: TimeFormat;
  timeZone?: TimeZoneChoice;
  /** The time reference frame. */
  reference?: number;
  /**
   * The reference frame's time (seconds since the capture's first frame), written `ref=N~T` by a
   * link that brings only some packets: the recipient may not have that frame to look it up.
   */
  referenceTime?: number;
  ladderSpacing?: LadderSpacing;
  /** The selected connection's panel: the ladder or the followed stream. */
  connectionView?: ConnectionView;
}

const TIME_KEYS: Record<string, TimeFormat> = { rel: 'relative', abs: 'absolute', delta: 'delta', ref: 'reference' };
const TIME_CODES: Record<TimeFormat, string> = { relative: 'rel', absolute: 'abs', delta: 'delta', reference: 'ref' };

function parseDisplay(p: URLSearchParams): LinkDisplay {
  const display: LinkDisplay = {};
  const time = TIME_KEYS[p.get('time') ?? ''];
  if (time) display.timeFormat = time;
  const tz = p.get('tz');
  if (tz === 'utc' || tz === 'local') display.timeZone = tz;
  const [refText = null, refTime] = p.get('ref')?.split('~') ?? [];
  const ref = intOrNull(refText);
  if (ref !== null && ref > 0) {
    display.reference = ref;
    if (refTime !== undefined && /^\d{1,12}(\.\d{1,9})?$/.test(refTime)) display.referenceTime = Number(refTime);
  }
  const ladder = p.get('ladder');
  if (ladder === 'time' || ladder === 'even') display.ladderSpacing = ladder;
  const panel = p.get('panel');
  if (panel === 'stream' || panel === 'ladder') display.connectionView = panel;
  return display;
}

export interface ParsedHash {
  view: LinkView;
  display: LinkDisplay;
  /** `<first 12 hex of SHA-256 of the first 1 MiB>.<size in bytes>` */
  fingerprint: string | null;
  /** base64url of a gzip-compressed capture. */
  packets: string | null;
  url: string | null;
  demo: boolean;
}

/** A lone UTF-16 surrogate: it cannot be percent-encoded, so a link carries U+FFFD instead (as URLs do). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` cut to at most `max` UTF-16 units without splitting a surrogate pair. */
function cutWhole(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

function intOrNull(text: string | null): number | null {
  if (text === null || !/^\d{1,10}$/.test(text)) return null;
  return Number(text);
}

/** Parse a fragment (with or without '#'); anything unknown or malformed is ignored. */
export function parseHash(hash: string): ParsedHash {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const p = new URLSearchParams(raw);
  const sortText = p.get('sort');
  const sortKey = sortText?.replace(/^-/, '') ?? '';
  const sev = p.get('sev');
  const range = p.get('t')?.split('~').map(Number);
  const filters: ConnectionFilters = {
    // The filter box's own cap: an expression is read up to MAX_FILTER_LENGTH; words are cut further
    // by filterTerms (MAX_FILTER_TEXT).
    text: cutWhole(p.get('q') ?? '', MAX_FILTER_LENGTH),
    scenario: p.get('scn'),
    severity: sev !== null && (SEVERITY_CODES as readonly string[]).includes(sev) ? (sev as Severity) : null,
    state: p.get('st'),
    finding: p.get('fnd'),
    timeRange: range?.length === 2 && range.every(Number.isFinite) ? [range[0] ?? 0, range[1] ?? 0] : null,
  };
  return {
    view: {
      connection: intOrNull(p.get('c')),
      frame: intOrNull(p.get('f')),
      filters,
      sort: (SORT_KEYS as readonly string[]).includes(sortKey) ? { key: sortKey as SortKey, desc: sortText?.startsWith('-') ?? false } : { key: null, desc: false },
    },
    display: parseDisplay(p),
    fingerprint: p.get('fp'),
    packets: p.get('pkt'),
    url: p.get('url'),
    demo: p.has('demo'),
  };
}

/**
 * The fragment (without '#') for a view; the capture reference first, the fingerprint last. Display
 * settings are written only where they differ from the defaults.
 */
export function formatHash(
  view: LinkView,
  capture: { fingerprint?: string | null; packets?: string | null; url?: string | null } = {},
  display: LinkDisplay = {},
): string {
  const parts: string[] = [];
  const add = (key: string, value: string) =>
    parts.push(`${key}=${encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(/%3A/gi, ':').replace(/%2F/gi, '/')}`);
  if (capture.packets) add('pkt', capture.packets);
  if (capture.url) add('url', capture.url);
  if (view.connection !== null) add('c', String(view.connection));
  if (view.frame !== null) add('f', String(view.frame));
  const f = view.filters;
  if (f.text.trim() !== '') add('q', f.text);
  if (f.scenario !== null) add('scn', f.scenario);
  if (f.severity !== null) add('sev', f.severity);
  if (f.state !== null) add('st', f.state);
  if (f.finding !== null) add('fnd', f.finding);
  if (f.timeRange !== null) add('t', `${f.timeRange[0]}~${f.timeRange[1]}`);
  if (view.sort.key !== null) add('sort', `${view.sort.desc ? '-' : ''}${view.sort.key}`);
  if (display.timeFormat && display.timeFormat !== 'relative') add('time', TIME_CODES[display.timeFormat]);
  if (display.timeZone === 'local') add('tz', 'local');
  if (display.reference !== undefined) {
    const time = display.referenceTime;
    add('ref', time === undefined || !(time >= 0) ? String(display.reference) : `${display.reference}~${time.toFixed(9).replace(/\.?0+$/, '')}`);
  }
  if (display.ladderSpacing === 'time') add('ladder', 'time');
  if (display.connectionView === 'stream') add('panel', 'stream');
  if (capture.fingerprint && !capture.packets && !capture.url) add('fp', capture.fingerprint);
  return parts.join('&');
}
