/**
 * A connection's resets for writers (the JSON report, the text summary): its full verdicts, and its
 * runs of repeated resets as spans over the connection table's columns, so that a million repeats
 * are written without a verdict object apiece.
 */
import type { RepeatedResets } from '../model/repeated-resets.ts';
import type { ResetVerdict } from '../model/types.ts';
import type { ConnectionTable } from '../tcp/connection-table.ts';

/** A run of repeated resets: indices `from .. to - 1` of `repeats`, all repeating `of`. */
export interface RepeatRun {
  of: ResetVerdict;
  repeats: RepeatedResets;
  from: number;
  to: number;
}

/**
 * Connection `id`'s resets in frame order: each full verdict, and each run of repeats as one span
 * over the table's columns, so that a million repeats are written without a million objects.
 */
export function* resetsAndRuns(table: ConnectionTable, id: number): Generator<ResetVerdict | RepeatRun> {
  const full = table.fullResetsOf(id);
  const repeats = table.repeatedResetsOf(id);
  if (!repeats) {
    yield* full;
    return;
  }
  const { frames, of } = repeats;
  let k = 0;
  let i = 0;
  while (i < frames.length) {
    while (k < full.length && full[k]!.frame < frames[i]!) yield full[k++]!;
    // The run goes on while the same verdict is repeated and no full verdict comes between.
    const next = k < full.length ? full[k]!.frame : Infinity;
    let j = i + 1;
    while (j < frames.length && of[j] === of[i] && frames[j]! < next) j++;
    yield { of: full[of[i]!]!, repeats, from: i, to: j };
    i = j;
  }
  while (k < full.length) yield full[k++]!;
}

export function isRun(x: ResetVerdict | RepeatRun): x is RepeatRun {
  return (x as RepeatRun).repeats !== undefined;
}
