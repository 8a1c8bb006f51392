/**
 * How times are shown: relative to the capture's first frame, absolute (date and time of day, UTC
 * or local), as the delta to the previous packet of the same connection, or relative to a chosen
 * reference frame (Wireshark's "Set time reference"). Pure functions without `Date`: the zone's
 * offset is handed in (`ZoneOffset`), so UTC is deterministic and local is testable.
 *
 * Times arrive as float seconds since the capture's first frame (the core's offsets); the capture's
 * own clock (`CaptureClock`) is the first frame's whole seconds and nanoseconds since the epoch, kept
 * apart so that adding an offset loses nothing at µs precision.
 */

import type { TimeFormat, TimeZoneChoice } from '../../state/display-slice.ts';
import { formatDuration } from './format.ts';

export type { TimeFormat, TimeZoneChoice };

/** What the setting's choices are called on screen. */
export const TIME_FORMAT_LABEL: Record<TimeFormat, string> = {
  relative: 'Since the capture began',
  absolute: 'Date and time of day',
  delta: 'Since the previous packet',
  reference: 'Since the reference frame',
};

/** The first frame's time since the epoch: whole seconds and nanoseconds. */
export interface CaptureClock {
  sec: number;
  nsec: number;
}

/** Minutes east of UTC at an instant given in milliseconds since the epoch. */
export type ZoneOffset = (epochMs: number) => number;

export const UTC_OFFSET: ZoneOffset = () => 0;

/** The time frame a reference stands for: its number and its offset in the capture (seconds). */
export interface TimeReference {
  frame: number;
  time: number;
}

/** Everything the formatters need, built once per change of setting or capture. */
export interface TimeContext {
  /** The format in force (`reference` without a reference falls back to `relative`). */
  format: TimeFormat;
  /** The format asked for. */
  wanted: TimeFormat;
  zone: TimeZoneChoice;
  clock: CaptureClock | null;
  zoneOffset: ZoneOffset;
  /** The capture's first and last frames fall on different days (in the zone): absolute shows dates. */
  withDate: boolean;
  reference: TimeReference | null;
}

/** `"1795361348.811116000"` (the report's `firstTime`) -> its seconds and nanoseconds; null when absent. */
export function parseCaptureClock(firstTime: string | null | undefined): CaptureClock | null {
  if (!firstTime) return null;
  const m = /^(-?\d{1,15})(?:\.(\d{1,9}))?$/.exec(firstTime);
  if (!m) return null;
  return { sec: Number(m[1]), nsec: Number((m[2] ?? '').padEnd(9, '0')) };
}

/** Build the context the formatters read. */
export function timeContext(options: {
  format: TimeFormat;
  zone: TimeZoneChoice;
  clock: CaptureClock | null;
  /** Seconds from the first frame to the last. */
  duration: number;
  reference: TimeReference | null;
  /** The local zone (only read when `zone` is local). */
  localOffset: ZoneOffset;
}): TimeContext {
  const { clock, zone, duration } = options;
  const zoneOffset = zone === 'local' ? options.localOffset : UTC_OFFSET;
  const format =
    options.format === 'reference' && options.reference === null ? 'relative' : options.format === 'absolute' && clock === null ? 'relative' : options.format;
  let withDate = false;
  if (clock) {
    const first = wallClock(clock, 0, zoneOffset);
    const last = wallClock(clock, Number.isFinite(duration) ? Math.max(0, duration) : 0, zoneOffset);
    withDate = first.year !== last.year || first.month !== last.month || first.day !== last.day;
  }
  return { format, wanted: options.format, zone, clock, zoneOffset, withDate, reference: options.reference };
}

/** The wall clock of an instant: calendar date, time of day and microseconds. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  /** The zone's offset applied, in minutes east of UTC. */
  offsetMinutes: number;
}

/** Days since 1970-01-01 -> proleptic Gregorian date (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** The wall clock `seconds` after the capture's first frame, in a zone, to the microsecond. */
export function wallClock(clock: CaptureClock, seconds: number, zoneOffset: ZoneOffset): WallClock {
  // Whole microseconds since the epoch: exact below 2^53 µs (the year 2255).
  const micros = clock.sec * 1e6 + Math.round(clock.nsec / 1e3 + seconds * 1e6);
  const offsetMinutes = zoneOffset(Math.floor(micros / 1e3));
  const local = micros + offsetMinutes * 60e6;
  const days = Math.floor(local / 86_400e6);
  const inDay = local - days * 86_400e6;
  const secondOfDay = Math.floor(inDay / 1e6);
  return {
    ...civilFromDays(days),
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor((secondOfDay % 3600) / 60),
    second: secondOfDay % 60,
    micros: Math.round(inDay - secondOfDay * 1e6),
    offsetMinutes,
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** "2026-11-22" */
export function formatDate(w: WallClock): string {
  return `${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)}`;
}

/** "15:29:08.811116" (or without the fraction). */
export function formatTimeOfDay(w: WallClock, fraction = true): string {
  const base = `${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
  return fraction ? `${base}.${String(w.micros).padStart(6, '0')}` : base;
}

/** "UTC", or the local zone's offset: "UTC+01:00", "UTC−05:00". */
export function formatZone(zone: TimeZoneChoice, offsetMinutes: number): string {
  if (zone === 'utc') return 'UTC';
  const sign = offsetMinutes < 0 ? '−' : '+';
  const m = Math.abs(offsetMinutes);
  return `UTC${sign}${two(Math.floor(m / 60))}:${two(m % 60)}`;
}

/**
 * Seconds as a time since something, µs precision: "12.345678" under an hour (as Wireshark's
 * relative column), "1:02:03.456789" under a day, "3 d 01:02:03.456789" beyond; negative with "-".
 */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const sign = seconds < 0 ? '-' : '';
  const micros = Math.round(Math.abs(seconds) * 1e6);
  if (micros < 3600e6) return `${sign}${(micros / 1e6).toFixed(6)}`;
  const whole = Math.floor(micros / 1e6);
  const frac = String(micros - whole * 1e6).padStart(6, '0');
  const d = Math.floor(whole / 86400);
  const h = Math.floor((whole % 86400) / 3600);
  const clock = `${d > 0 ? two(h) : h}:${two(Math.floor((whole % 3600) / 60))}:${two(whole % 60)}.${frac}`;
  return `${sign}${d > 0 ? `${d} d ` : ''}${clock}`;
}

/** Seconds as an absolute time in the context's zone: the time of day, with the date when the capture spans days. */
export function formatAbsolute(ctx: TimeContext, seconds: number, withDate = ctx.withDate): string {
  if (!ctx.clock) return formatSeconds(seconds);
  const w = wallClock(ctx.clock, seconds, ctx.zoneOffset);
  return withDate ? `${formatDate(w)} ${formatTimeOfDay(w)}` : formatTimeOfDay(w);
}

/** The time marker of the reference frame itself, as Wireshark writes it. */
export const REFERENCE_MARK = '*REF*';

/**
 * A point in time (seconds since the first frame) as the setting asks, for a table cell: `delta`
 * needs the previous packet of the same connection (`previous`, or null for its first packet); where
 * there is none to speak of (a connection's start in the list), it shows the relative time.
 */
export function formatTime(ctx: TimeContext, seconds: number, opts: { previous?: number | null; frame?: number } = {}): string {
  switch (ctx.format) {
    case 'absolute':
      return formatAbsolute(ctx, seconds);
    case 'delta':
      if (opts.previous === undefined) return formatSeconds(seconds);
      return formatSeconds(opts.previous === null ? 0 : seconds - opts.previous);
    case 'reference':
      if (ctx.reference && opts.frame === ctx.reference.frame) return REFERENCE_MARK;
      return formatSeconds(seconds - (ctx.reference?.time ?? 0));
    case 'relative':
      return formatSeconds(seconds);
  }
}

/** What a time in the current format is measured from, for a header's title or a field's name. */
export function timeCaption(ctx: TimeContext): string {
  switch (ctx.format) {
    case 'absolute':
      return `date and time of day (${ctx.zone === 'utc' ? 'UTC' : 'local time'})`;
    case 'delta':
      return 'seconds since the previous packet of the connection';
    case 'reference':
      return `seconds since frame ${ctx.reference?.frame ?? ''} (the reference)`;
    case 'relative':
      return 'seconds since the first frame';
  }
}

/** The width in characters of the longest time the context writes for times in [0, duration]. */
export function timeWidth(ctx: TimeContext, duration: number): number {
  const candidates = [formatTime(ctx, 0, { previous: null }), formatTime(ctx, duration, { previous: 0 })];
  if (ctx.format === 'reference' && ctx.reference) candidates.push(formatSeconds(-ctx.reference.time), formatSeconds(duration - ctx.reference.time));
  return Math.max(...candidates.map((c) => c.length));
}

/**
 * An axis tick (seconds since the first frame) for a step of `step` seconds: a span for relative
 * times ("3 min", "1 d 02 h"), the time of day for absolute ones (with the date when the capture
 * spans days), a signed span from the reference frame. Delta has no meaning on an axis: relative.
 */
export function formatAxisTime(ctx: TimeContext, seconds: number, step: number): string {
  if (ctx.format === 'absolute' && ctx.clock) {
    const w = wallClock(ctx.clock, seconds, ctx.zoneOffset);
    const time = step >= 60 ? `${two(w.hour)}:${two(w.minute)}` : step >= 1 ? formatTimeOfDay(w, false) : formatTimeOfDay(w);
    return ctx.withDate ? `${two(w.month)}-${two(w.day)} ${time}` : time;
  }
  if (ctx.format === 'reference' && ctx.reference) {
    const d = seconds - ctx.reference.time;
    return `${d > 0 ? '+' : ''}${formatDuration(d)}`;
  }
  return formatDuration(seconds);
}

/** A "nice" step for a time axis or bucket: 1-2-5 below a second, then whole seconds, minutes, hours, days. */
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** The smallest nice time step giving at most `maxBuckets` buckets over `duration` seconds. */
export function niceTimeStep(duration: number, maxBuckets: number): number {
  if (!(duration > 0)) return 1;
  const raw = duration / maxBuckets;
  if (raw < 1) {
    const exp = Math.floor(Math.log10(raw));
    for (const m of [1, 2, 5, 10]) {
      const w = m * 10 ** exp;
      if (w >= raw) return w;
    }
  }
  for (const step of NICE_STEPS) if (step >= raw) return step;
  // Beyond a week: whole weeks, rounded up to 1-2-5 of them.
  const weeks = raw / 604800;
  const exp = Math.floor(Math.log10(weeks));
  for (const m of [1, 2, 5, 10]) if (m * 10 ** exp >= weeks) return m * 10 ** exp * 604800;
  return 10 ** (exp + 1) * 604800;
}

