import { describe, expect, it } from 'vitest';
import type { LadderRow } from './ladder-layout.ts';
import { isRovingKey, rovingMove, rovingStop } from './roving.ts';

const row = (kind: LadderRow['kind']) => ({ kind }) as LadderRow;
// packet, gap, run, packet, gap
const rows = [row('packet'), row('gap'), row('run'), row('packet'), row('gap')];

describe('roving tab stop in the ladder', () => {
  it('keeps the stop on a packet or a run, never a gap', () => {
    expect(rovingStop(rows, 3)).toBe(3);
    expect(rovingStop(rows, 1)).toBe(0);
    expect(rovingStop(rows, 99)).toBe(0);
    expect(rovingStop([row('gap')], 0)).toBe(-1);
  });

  it('moves over gaps with the arrow keys, and to the ends with Home and End', () => {
    expect(rovingMove(rows, 0, 'ArrowDown')).toBe(2);
    expect(rovingMove(rows, 2, 'ArrowDown')).toBe(3);
    expect(rovingMove(rows, 3, 'ArrowDown')).toBe(3);
    expect(rovingMove(rows, 2, 'ArrowUp')).toBe(0);
    expect(rovingMove(rows, 0, 'ArrowUp')).toBe(0);
    expect(rovingMove(rows, 2, 'End')).toBe(3);
    expect(rovingMove(rows, 3, 'Home')).toBe(0);
  });

  it('knows its keys', () => {
    expect(['ArrowDown', 'ArrowUp', 'Home', 'End', 'Tab', 'j'].map(isRovingKey)).toEqual([true, true, true, true, false, false]);
  });
});
