/**
 * A connection's resets for writers (the JSON report, the text summary): its full verdicts, and its
 * runs of repeated resets as spans over the connection table's columns, so that a million repeats
 * are written without a verdict object apiece.
 */
import type { RepeatedResets } from '../model/repeated-resets.ts';
import type { ResetVerdict } from '../model/types.ts';
import type { ConnectionTable } from '../tcp/connection-table.ts';
import { connectionJsonPartsOf } from './connection-json.ts';

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

/**
 * Connection `id` as `JSON.stringify(connection, null, 2)` indented by `indent` would write it, in
 * pieces: its resets one at a time. A reset that repeats another
 * (`repeatOf`) is written as a short record on one line: frame, time, side, flags, scenario,
 * severity, confidence, findings and the frame whose verdict it shares.
 */
export function* connectionJsonChunks(table: ConnectionTable, id: number, indent: string): Generator<string> {
  const [before, after] = connectionJsonPartsOf(table, id, indent);
  const inner = `${indent}    `;
  let n = 0;
  for (const v of resetsAndRuns(table, id)) {
    if (isRun(v)) {
      // Repeats on one line each, written from the columns: a million of them, no object apiece.
      const tail = repeatTail(v.of);
      const { frames, times } = v.repeats;
      // Joined a thousand at a time: one flat string per piece, not a tree of a million small ones.
      for (let i = v.from; i < v.to; i += 1000) {
        const parts: string[] = [];
        for (let j = i; j < Math.min(v.to, i + 1000); j++) {
          const json = `{"frame":${frames[j]},"time":${times[j]},${tail}}`;
          parts.push(n++ ? `,\n${inner}${json}` : `${before}"resets": [\n${inner}${json}`);
        }
        yield parts.join('');
      }
      continue;
    }
    const json = JSON.stringify(v, null, 2).replace(/\n/g, `\n${inner}`);
    yield n++ ? `,\n${inner}${json}` : `${before}"resets": [\n${inner}${json}`;
  }
  yield n ? `\n${indent}  ]${after}` : `${before}"resets": []${after}`;
}

/** What a repeat of `of` says after its frame and time: `"from":...,"repeatOf":N` (JSON). */
function repeatTail(of: ResetVerdict): string {
  const { from, flags, scenario, severity, confidence, findings } = of;
  return JSON.stringify({ from, flags, scenario, severity, confidence, findings, repeatOf: of.frame }).slice(1, -1);
}
