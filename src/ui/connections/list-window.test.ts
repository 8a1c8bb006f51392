import { describe, expect, it } from 'vitest';
import { listOffset, listWindow, scrollToRow, scrollTopFor, spaceOf } from './list-window.ts';

const H = 30;

describe('listWindow', () => {
  it('is plain windowing while the list fits in the space', () => {
    const w = listWindow({ count: 1000, rowHeight: H, scrollTop: 3000, viewport: 300, overscan: 5 });
    expect(w.space).toBe(30_000);
    expect(w.start).toBe(95);
    expect(w.padTop).toBe(95 * H);
    expect(w.end).toBe(110 + 5);
    expect(w.padTop + (w.end - w.start) * H + w.padBottom).toBe(w.space);
  });

  it('maps a capped space onto the whole list, each row in view exactly where it belongs', () => {
    const count = 1_000_000;
    const maxSpace = 3_000_000;
    const viewport = 600;
    expect(spaceOf(count, H, maxSpace)).toBe(maxSpace);
    for (const scrollTop of [0, 7, 29, 31, 12_345.5, 1_500_000, maxSpace - viewport - 1, maxSpace - viewport]) {
      const w = listWindow({ count, rowHeight: H, scrollTop, viewport, overscan: 4, maxSpace });
      const offset = listOffset(scrollTop, count, H, viewport, maxSpace);
      expect(w.padTop).toBeGreaterThanOrEqual(0);
      const height = w.padTop + (w.end - w.start) * H + w.padBottom;
      expect(height).toBeGreaterThanOrEqual(maxSpace - 1e-6);
      expect(height).toBeLessThan(maxSpace + H);
      // Row r is drawn at padTop + (r - start) * H in the space, and the view shows the space from
      // scrollTop: it appears at r * H - offset, as in the whole list.
      for (let r = w.start; r < w.end; r++) expect(w.padTop + (r - w.start) * H - scrollTop).toBeCloseTo(r * H - offset, 6);
      // Every row in view is drawn (a row cut by the very top of a scaled list may be left out).
      const firstInView = Math.floor(offset / H);
      const lastInView = Math.min(count - 1, Math.floor((offset + viewport - 1) / H));
      expect(w.start).toBeLessThanOrEqual(firstInView + 1);
      expect(w.end).toBeGreaterThan(lastInView);
    }
    // The end of the space shows the end of the list.
    const end = listWindow({ count, rowHeight: H, scrollTop: maxSpace, viewport, overscan: 4, maxSpace });
    expect(end.end).toBe(count);
    expect(listOffset(maxSpace, count, H, viewport, maxSpace)).toBe(count * H - viewport);
  });

  it('has nothing to draw for no rows', () => {
    expect(listWindow({ count: 0, rowHeight: H, scrollTop: 0, viewport: 300, overscan: 5 })).toEqual({
      start: 0,
      end: 0,
      padTop: 0,
      padBottom: 0,
      space: 0,
    });
  });
});

describe('scrollToRow', () => {
  it('moves as little as possible to show a row, in a capped space too', () => {
    for (const maxSpace of [Infinity, 3_000_000]) {
      const input = { count: 1_000_000, rowHeight: H, viewport: 600, maxSpace };
      expect(scrollToRow(3, { ...input, scrollTop: 0 })).toBeNull();
      const down = scrollToRow(500_000, { ...input, scrollTop: 0 })!;
      expect(listOffset(down, 1_000_000, H, 600, maxSpace)).toBeCloseTo(500_001 * H - 600, 4);
      const up = scrollToRow(10, { ...input, scrollTop: down })!;
      expect(listOffset(up, 1_000_000, H, 600, maxSpace)).toBeCloseTo(10 * H, 4);
      expect(scrollTopFor(listOffset(down, 1_000_000, H, 600, maxSpace), 1_000_000, H, 600, maxSpace)).toBeCloseTo(down, 4);
    }
  });
});
