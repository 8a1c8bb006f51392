import { describe, expect, it } from 'vitest';
import { keyToMove, moveIndex } from './list-keys.ts';

describe('list keyboard', () => {
  it('maps j/k and the arrows', () => {
    expect(keyToMove('j')).toBe('next');
    expect(keyToMove('ArrowDown')).toBe('next');
    expect(keyToMove('k')).toBe('prev');
    expect(keyToMove('ArrowUp')).toBe('prev');
    expect(keyToMove('Enter')).toBe('open');
    expect(keyToMove('x')).toBeNull();
  });

  it('moves within bounds', () => {
    expect(moveIndex(-1, 'next', 5, 10)).toBe(0);
    expect(moveIndex(0, 'next', 5, 10)).toBe(1);
    expect(moveIndex(4, 'next', 5, 10)).toBe(4);
    expect(moveIndex(0, 'prev', 5, 10)).toBe(0);
    expect(moveIndex(1, 'pageDown', 5, 10)).toBe(4);
    expect(moveIndex(4, 'pageUp', 5, 2)).toBe(2);
    expect(moveIndex(2, 'last', 5, 2)).toBe(4);
    expect(moveIndex(2, 'next', 0, 2)).toBe(-1);
  });
});
