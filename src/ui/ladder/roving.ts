/**
 * The ladder is one Tab stop: one arrow (or folded run) at a time takes the focus, and the arrow keys
 * move it (a roving tabindex). Gap rows are not stops.
 */
import type { LadderRow } from './ladder-layout.ts';

export type RovingKey = 'ArrowDown' | 'ArrowUp' | 'Home' | 'End';

export function isRovingKey(key: string): key is RovingKey {
  return key === 'ArrowDown' || key === 'ArrowUp' || key === 'Home' || key === 'End';
}

const isStop = (row: LadderRow | undefined): boolean => row !== undefined && row.kind !== 'gap';

/** The row that holds the Tab stop: `wanted` when it is a stop, else the first stop; -1 when none. */
export function rovingStop(rows: readonly LadderRow[], wanted: number): number {
  if (isStop(rows[wanted])) return wanted;
  return rows.findIndex(isStop);
}

/** The stop a key moves to from `current` (which stays when there is none that way). */
export function rovingMove(rows: readonly LadderRow[], current: number, key: RovingKey): number {
  const step = key === 'ArrowDown' || key === 'Home' ? 1 : -1;
  let i = key === 'Home' ? 0 : key === 'End' ? rows.length - 1 : current + step;
  for (; i >= 0 && i < rows.length; i += step) if (isStop(rows[i])) return i;
  return current;
}
