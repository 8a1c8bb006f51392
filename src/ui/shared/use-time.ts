/** The time context every view formats its times with, from the setting and the open capture. */
import { useMemo } from 'react';
import { useAppStore } from '../../state/store.ts';
import { parseCaptureClock, timeContext, type TimeContext } from './time-format.ts';

/** The browser's zone at an instant (summer time included), read at the display edge. */
export function browserZoneOffset(epochMs: number): number {
  return -new Date(epochMs).getTimezoneOffset();
}

export function useTimeContext(): TimeContext {
  const format = useAppStore((s) => s.timeFormat);
  const zone = useAppStore((s) => s.timeZone);
  const frame = useAppStore((s) => s.timeReference?.frame ?? null);
  const refTime = useAppStore((s) => s.timeReference?.time ?? null);
  const firstTime = useAppStore((s) => s.result?.report.firstTime ?? null);
  const duration = useAppStore((s) => s.result?.report.duration ?? 0);
  return useMemo(
    () =>
      timeContext({
        format,
        zone,
        clock: parseCaptureClock(firstTime),
        duration,
        reference: frame !== null && refTime !== null ? { frame, time: refTime } : null,
        localOffset: browserZoneOffset,
      }),
    [format, zone, frame, refTime, firstTime, duration],
  );
}
