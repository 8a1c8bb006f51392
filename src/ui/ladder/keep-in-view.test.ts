import { describe, expect, it } from 'vitest';
import { scrollToShow } from './keep-in-view.ts';

describe('scrollToShow', () => {
  const row = (i: number, h = 70) => ({ start: i * h, end: (i + 1) * h });

  it('does not scroll when both are in view', () => {
    expect(scrollToShow(0, 300, row(1), row(2))).toBeNull();
  });

  it('brings the reset below the clicked packet back into a shrunken view', () => {
    // 300 px of ladder after the details opened; rows 3 (clicked) and 4 (the reset) end at 350.
    expect(scrollToShow(0, 300, row(3), row(4))).toBe(50);
    // The reset above the clicked packet.
    expect(scrollToShow(400, 300, row(8), row(5))).toBe(350);
  });

  it('shows the clicked packet alone when the two do not fit together', () => {
    expect(scrollToShow(0, 300, row(10), row(1))).toBe(770 - 300);
    expect(scrollToShow(2000, 300, row(2), row(20))).toBe(140);
    expect(scrollToShow(0, 300, row(2), null)).toBeNull();
  });

  it('never scrolls above the top', () => {
    expect(scrollToShow(100, 300, { start: -5, end: 20 }, null)).toBe(0);
  });
});
