/**
 * How the page shows times and spaces the ladder: preferences that outlive a capture (kept in the
 * URL fragment with the view), and the time reference frame, which belongs to one capture.
 */

export const TIME_FORMATS = ['relative', 'absolute', 'delta', 'reference'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export const TIME_ZONES = ['utc', 'local'] as const;
export type TimeZoneChoice = (typeof TIME_ZONES)[number];

export const LADDER_SPACINGS = ['even', 'time'] as const;
export type LadderSpacing = (typeof LADDER_SPACINGS)[number];

/** What the selected connection's panel shows: the ladder diagram or the followed stream. */
export const CONNECTION_VIEWS = ['ladder', 'stream'] as const;
export type ConnectionView = (typeof CONNECTION_VIEWS)[number];

/** The reference frame; its time (seconds since the first frame) is null until it is looked up. */
export interface TimeReferenceState {
  frame: number;
  time: number | null;
}

export interface DisplaySlice {
  timeFormat: TimeFormat;
  timeZone: TimeZoneChoice;
  timeReference: TimeReferenceState | null;
  ladderSpacing: LadderSpacing;
  connectionView: ConnectionView;

  setTimeFormat(format: TimeFormat): void;
  setTimeZone(zone: TimeZoneChoice): void;
  /** Set (or clear, with null) the reference frame. */
  setTimeReference(reference: TimeReferenceState | null): void;
  setLadderSpacing(spacing: LadderSpacing): void;
  setConnectionView(view: ConnectionView): void;
}

export const DEFAULT_DISPLAY = { timeFormat: 'relative', timeZone: 'utc', timeReference: null, ladderSpacing: 'even', connectionView: 'ladder' } as const;

export function createDisplaySlice(set: (patch: Partial<DisplaySlice>) => void, get: () => DisplaySlice): DisplaySlice {
  return {
    ...DEFAULT_DISPLAY,
    setTimeFormat(timeFormat) {
      if (get().timeFormat !== timeFormat) set({ timeFormat });
    },
    setTimeZone(timeZone) {
      if (get().timeZone !== timeZone) set({ timeZone });
    },
    setTimeReference(reference) {
      const now = get().timeReference;
      if (now === reference || (now && reference && now.frame === reference.frame && now.time === reference.time)) return;
      set({ timeReference: reference });
    },
    setLadderSpacing(ladderSpacing) {
      if (get().ladderSpacing !== ladderSpacing) set({ ladderSpacing });
    },
    setConnectionView(connectionView) {
      if (get().connectionView !== connectionView) set({ connectionView });
    },
  };
}
