/** Keyboard navigation of the connection list, as a pure step from the current position. */

export type ListMove = 'next' | 'prev' | 'first' | 'last' | 'pageDown' | 'pageUp' | 'open' | null;

export function keyToMove(key: string): ListMove {
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'ArrowUp':
      return 'prev';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'PageDown':
      return 'pageDown';
    case 'PageUp':
      return 'pageUp';
    case 'Enter':
      return 'open';
    default:
      return null;
  }
}

/** The row index after a move; `current` -1 means nothing selected yet. */
export function moveIndex(current: number, move: ListMove, count: number, page: number): number {
  if (count === 0) return -1;
  const last = count - 1;
  switch (move) {
    case 'next':
      return current < 0 ? 0 : Math.min(last, current + 1);
    case 'prev':
      return current < 0 ? 0 : Math.max(0, current - 1);
    case 'first':
      return 0;
    case 'last':
      return last;
    case 'pageDown':
      return Math.min(last, Math.max(0, current) + page);
    case 'pageUp':
      return Math.max(0, current - page);
    default:
      return current;
  }
}
