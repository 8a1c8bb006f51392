/** Data for the overview charts: resets over the capture's time by scenario, and per scenario. */
import type { ListColumns } from '../../core/model/list-columns.ts';
import { niceTimeStep } from '../shared/time-format.ts';

export interface TimeBucket {
  bucketStart: number;
  bucketEnd: number;
  /** Resets per scenario id in [bucketStart, bucketEnd). */
  counts: Record<string, number>;
  total: number;
}

export interface ResetTimeline {
  buckets: TimeBucket[];
  /** Scenario ids present, most frequent first. */
  scenarios: string[];
  bucketSeconds: number;
}

/** Over the list's reset columns (every reset of the capture). */
export function resetTimeline(list: ListColumns, duration: number, maxBuckets = 60): ResetTimeline {
  // Whole seconds, minutes, hours or days past a second: an axis a person can read.
  const width = niceTimeStep(duration, maxBuckets);
  const n = Math.max(1, Math.ceil(duration / width));
  const buckets: TimeBucket[] = Array.from({ length: n }, (_, i) => ({
    bucketStart: i * width,
    bucketEnd: (i + 1) * width,
    counts: {},
    total: 0,
  }));
  const totals = new Map<string, number>();
  for (let j = 0; j < list.resetFrame.length; j++) {
    const scenario = list.scenarios[list.resetScenario[j]!]!;
    const b = buckets[Math.min(n - 1, Math.max(0, Math.floor(list.resetTime[j]! / width)))]!;
    b.counts[scenario] = (b.counts[scenario] ?? 0) + 1;
    b.total += 1;
    totals.set(scenario, (totals.get(scenario) ?? 0) + 1);
  }
  const scenarios = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s]) => s);
  return { buckets, scenarios, bucketSeconds: width };
}

export function scenarioCounts(list: ListColumns): { scenario: string; count: number }[] {
  const totals = new Map<string, number>();
  for (let j = 0; j < list.resetScenario.length; j++) {
    const scenario = list.scenarios[list.resetScenario[j]!]!;
    totals.set(scenario, (totals.get(scenario) ?? 0) + 1);
  }
  return [...totals.entries()]
    .map(([scenario, count]) => ({ scenario, count }))
    .sort((a, b) => b.count - a.count || (a.scenario < b.scenario ? -1 : 1));
}

/** Rows as recharts wants them: one flat object per bucket, a key per scenario. */
export function timelineRows(t: ResetTimeline): Record<string, number>[] {
  return t.buckets.map((b) => {
    const row: Record<string, number> = { bucketStart: b.bucketStart, bucketEnd: b.bucketEnd };
    for (const s of t.scenarios) row[s] = b.counts[s] ?? 0;
    return row;
  });
}
