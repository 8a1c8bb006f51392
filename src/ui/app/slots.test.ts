import { describe, expect, it } from 'vitest';
import { addToSlot, slotContents } from './slots.ts';

describe('slots', () => {
  it('adds and removes components in order', () => {
    const A = () => null;
    const B = () => null;
    const removeA = addToSlot('connection-actions', A);
    const removeB = addToSlot('connection-actions', B);
    expect(slotContents('connection-actions')).toEqual([A, B]);
    const before = slotContents('connection-actions');
    removeA();
    expect(slotContents('connection-actions')).toEqual([B]);
    expect(before).toEqual([A, B]); // snapshots are immutable, as useSyncExternalStore needs
    removeB();
    expect(slotContents('connection-actions')).toEqual([]);
  });
});
