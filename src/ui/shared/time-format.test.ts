import { describe, expect, it } from 'vitest';
import { formatDuration } from './format.ts';
import {
  REFERENCE_MARK,
  UTC_OFFSET,
  formatAbsolute,
  formatAxisTime,
  formatSeconds,
  formatTime,
  formatZone,
  niceTimeStep,
  parseCaptureClock,
  timeContext,
  timeWidth,
  wallClock,
  type CaptureClock,
  type TimeFormat,
  type ZoneOffset,
} from './time-format.ts';

// The demo's first frame: tshark -t ud prints "2026-11-22 15:29:08.811116".
const DEMO: CaptureClock = { sec: 1795361348, nsec: 811116000 };
// zeek-fddi-llc-repeated-rst.pcap: 1996-03-07 09:30:58.128321 UTC, 86341.07373 s long.
const FDDI: CaptureClock = { sec: 826191058, nsec: 128321000 };

const fixed = (minutes: number): ZoneOffset => () => minutes;
/** Central Europe's rule for 2026 (UTC+1, UTC+2 from 29 March 01:00 UTC to 25 October 01:00 UTC). */
const berlin: ZoneOffset = (ms) => (ms >= Date.UTC(2026, 2, 29, 1) && ms < Date.UTC(2026, 9, 25, 1) ? 120 : 60);

const ctx = (format: TimeFormat, over: Partial<Parameters<typeof timeContext>[0]> = {}) =>
  timeContext({ format, zone: 'utc', clock: DEMO, duration: 93.346891, reference: null, localOffset: fixed(0), ...over });

describe('parseCaptureClock', () => {
  it('reads the report\'s firstTime without losing nanoseconds', () => {
    expect(parseCaptureClock('1795361348.811116000')).toEqual(DEMO);
    expect(parseCaptureClock('12.5')).toEqual({ sec: 12, nsec: 500_000_000 });
    expect(parseCaptureClock('7')).toEqual({ sec: 7, nsec: 0 });
    expect(parseCaptureClock(null)).toBeNull();
    expect(parseCaptureClock('soon')).toBeNull();
  });
});

describe('wallClock', () => {
  it('gives UTC dates and times to the microsecond', () => {
    const w = wallClock(DEMO, 0.000057, UTC_OFFSET);
    expect([w.year, w.month, w.day, w.hour, w.minute, w.second, w.micros]).toEqual([2026, 11, 22, 15, 29, 8, 811173]);
    // The epoch, a leap day and a negative offset before 1970.
    expect(wallClock({ sec: 0, nsec: 0 }, 0, UTC_OFFSET)).toMatchObject({ year: 1970, month: 1, day: 1, hour: 0 });
    expect(wallClock({ sec: 951782400, nsec: 0 }, 0, UTC_OFFSET)).toMatchObject({ year: 2000, month: 2, day: 29 });
    expect(wallClock({ sec: -1, nsec: 0 }, 0, UTC_OFFSET)).toMatchObject({ year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59 });
  });

  it('carries fractions across seconds and days', () => {
    const w = wallClock({ sec: 86399, nsec: 999_999_600 }, 0.0000004, UTC_OFFSET);
    expect([w.day, w.hour, w.minute, w.second, w.micros]).toEqual([2, 0, 0, 0, 0]);
  });

  it('applies the local offset the zone has at that instant (summer time included)', () => {
    const winter = wallClock({ sec: Date.UTC(2026, 0, 15, 12) / 1000, nsec: 0 }, 0, berlin);
    expect([winter.hour, winter.offsetMinutes]).toEqual([13, 60]);
    const summer = wallClock({ sec: Date.UTC(2026, 6, 15, 12) / 1000, nsec: 0 }, 0, berlin);
    expect([summer.hour, summer.offsetMinutes]).toEqual([14, 120]);
    const west = wallClock(DEMO, 0, fixed(-300));
    expect([west.day, west.hour]).toEqual([22, 10]);
  });
});

describe('formatSeconds', () => {
  it('writes seconds under an hour as Wireshark does, longer spans in hours and days', () => {
    expect(formatSeconds(0)).toBe('0.000000');
    expect(formatSeconds(12.3456784)).toBe('12.345678');
    expect(formatSeconds(3599.9999994)).toBe('3599.999999');
    expect(formatSeconds(3600)).toBe('1:00:00.000000');
    expect(formatSeconds(86341.07373)).toBe('23:59:01.073730');
    expect(formatSeconds(96969540.5)).toBe('1122 d 07:59:00.500000');
    expect(formatSeconds(-1.5)).toBe('-1.500000');
    expect(formatSeconds(Number.NaN)).toBe('–');
  });
});

describe('formatDuration on long spans', () => {
  it('counts days, not thousands of hours', () => {
    expect(formatDuration(86341.07373)).toBe('23 h 59 min');
    expect(formatDuration(2 * 86400 + 3 * 3600 + 59)).toBe('2 d 03 h');
    expect(formatDuration(96969540)).toBe('1,122 d');
  });
});

describe('formatTime', () => {
  it('relative: seconds since the first frame', () => {
    expect(formatTime(ctx('relative'), 1.25)).toBe('1.250000');
  });

  it('absolute: the time of day, with the date only when the capture spans days', () => {
    expect(formatTime(ctx('absolute'), 0.000057)).toBe('15:29:08.811173');
    const day = timeContext({ format: 'absolute', zone: 'utc', clock: FDDI, duration: 86341.07373, reference: null, localOffset: fixed(0) });
    expect(day.withDate).toBe(true);
    expect(formatTime(day, 0)).toBe('1996-03-07 09:30:58.128321');
    expect(formatTime(day, 86341.07373)).toBe('1996-03-08 09:29:59.202051');
    // The same day in UTC crosses midnight in a zone 3 h east: the date shows there.
    const demoLocal = ctx('absolute', { zone: 'local', localOffset: fixed(8 * 60 + 31) });
    expect(demoLocal.withDate).toBe(false);
    expect(formatTime(demoLocal, 0)).toBe('00:00:08.811116');
    const late = ctx('absolute', { zone: 'local', localOffset: fixed(8 * 60 + 30), duration: 93 });
    expect(late.withDate).toBe(true);
    expect(formatTime(late, 93)).toBe('2026-11-23 00:00:41.811116');
    // The zone is read only when asked for.
    expect(formatTime(ctx('absolute', { localOffset: fixed(60) }), 0)).toBe('15:29:08.811116');
  });

  it('absolute without a clock (no frame) falls back to relative', () => {
    expect(formatTime(ctx('absolute', { clock: null }), 2)).toBe('2.000000');
  });

  it('delta: since the previous packet of the same connection, 0 for its first, relative where there is none', () => {
    const c = ctx('delta');
    expect(formatTime(c, 5.5, { previous: 5.25 })).toBe('0.250000');
    expect(formatTime(c, 5.5, { previous: null })).toBe('0.000000');
    expect(formatTime(c, 5.5)).toBe('5.500000');
  });

  it('reference: signed from the reference frame, the frame itself marked', () => {
    const c = ctx('reference', { reference: { frame: 7, time: 10 } });
    expect(formatTime(c, 12.5, { frame: 9 })).toBe('2.500000');
    expect(formatTime(c, 8, { frame: 3 })).toBe('-2.000000');
    expect(formatTime(c, 10, { frame: 7 })).toBe(REFERENCE_MARK);
    // Asked for with no reference set: relative, and it says so.
    const none = ctx('reference');
    expect(none.format).toBe('relative');
    expect(none.wanted).toBe('reference');
    expect(formatTime(none, 12.5, { frame: 9 })).toBe('12.500000');
  });
});

describe('widths, zones and axes', () => {
  it('measures the longest time a format writes over a capture', () => {
    expect(timeWidth(ctx('relative'), 93.3)).toBe('93.300000'.length);
    expect(timeWidth(ctx('absolute'), 93.3)).toBe('15:29:08.811116'.length);
    const day = timeContext({ format: 'absolute', zone: 'utc', clock: FDDI, duration: 86341, reference: null, localOffset: fixed(0) });
    expect(timeWidth(day, 86341)).toBe('1996-03-07 09:30:58.128321'.length);
    expect(timeWidth(ctx('reference', { reference: { frame: 1, time: 90 } }), 93.3)).toBe('-90.000000'.length);
  });

  it('names the zone', () => {
    expect(formatZone('utc', 0)).toBe('UTC');
    expect(formatZone('local', 60)).toBe('UTC+01:00');
    expect(formatZone('local', -330)).toBe('UTC−05:30');
  });

  it('labels axis ticks as spans, times of day or spans from the reference', () => {
    expect(formatAxisTime(ctx('relative'), 3 * 86400 + 7200, 86400)).toBe('3 d 02 h');
    expect(formatAxisTime(ctx('delta'), 90, 10)).toBe('1 min 30 s');
    expect(formatAxisTime(ctx('absolute'), 50, 10)).toBe('15:29:58');
    expect(formatAxisTime(ctx('absolute'), 50, 0.5)).toBe('15:29:58.811116');
    const day = timeContext({ format: 'absolute', zone: 'utc', clock: FDDI, duration: 86341, reference: null, localOffset: fixed(0) });
    expect(formatAxisTime(day, 10800, 3600)).toBe('03-07 12:30');
    const ref = ctx('reference', { reference: { frame: 3, time: 60 } });
    expect(formatAxisTime(ref, 90, 10)).toBe('+30.0 s');
    expect(formatAxisTime(ref, 30, 10)).toBe('−30.0 s');
  });

  it('steps in whole seconds, minutes, hours and days past a second', () => {
    expect(niceTimeStep(10, 10)).toBe(1);
    expect(niceTimeStep(0.03, 10)).toBeCloseTo(0.005);
    expect(niceTimeStep(3600, 60)).toBe(60);
    expect(niceTimeStep(86341, 60)).toBe(1800);
    expect(niceTimeStep(96969540, 60)).toBe(5 * 604800);
    expect(niceTimeStep(0, 60)).toBe(1);
  });
});

describe('formatAbsolute', () => {
  it('can be asked for the date whatever the capture spans', () => {
    expect(formatAbsolute(ctx('absolute'), 0, true)).toBe('2026-11-22 15:29:08.811116');
  });
});
