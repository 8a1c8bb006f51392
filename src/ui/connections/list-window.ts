/**
 * Which rows of a long list of fixed-height rows to draw, and where, for a scroll position.
 *
 * A million rows of 30 px are 30,000,000 px: at that height Chromium places rows with float32
 * precision (2 px steps, so rows look unevenly spaced) and past 33,554,432 px it cannot lay them out
 * at all. So the scrolled space is capped (`MAX_SPACE`) and, beyond it, a scroll position maps
 * proportionally onto the list: the scrollbar spans the whole list, the rows in view are drawn exactly
 * where they belong, a row at a time.
 */

/** Tallest scrolled space: positions up to 2^24 px are exact in float32. */
export const MAX_SPACE = 15_000_000;

export interface WindowInput {
  count: number;
  rowHeight: number;
  /** Scroll position of the rows' area (the scroller's scrollTop). */
  scrollTop: number;
  /** Height of the rows' area in view (the scroller's height less a sticky header). */
  viewport: number;
  /** Rows drawn beyond the view on each side. */
  overscan: number;
  maxSpace?: number;
}

export interface ListWindow {
  /** Rows [start, end) are drawn. */
  start: number;
  end: number;
  /** Space above and below the drawn rows, in px; padTop + rows + padBottom = space (plus less than a row). */
  padTop: number;
  padBottom: number;
  /** Height of the scrolled space. */
  space: number;
}

/** Height of the scrolled space for `count` rows. */
export function spaceOf(count: number, rowHeight: number, maxSpace = MAX_SPACE): number {
  return Math.min(count * rowHeight, maxSpace);
}

/** Offset into the whole list (px) shown at the top of the view for a scroll position. */
export function listOffset(scrollTop: number, count: number, rowHeight: number, viewport: number, maxSpace = MAX_SPACE): number {
  const total = count * rowHeight;
  const space = spaceOf(count, rowHeight, maxSpace);
  const top = Math.max(0, Math.min(scrollTop, space - viewport));
  if (space === total || space <= viewport) return top;
  return (top * (total - viewport)) / (space - viewport);
}

/** The scroll position that shows list offset `offset` at the top of the view. */
export function scrollTopFor(offset: number, count: number, rowHeight: number, viewport: number, maxSpace = MAX_SPACE): number {
  const total = count * rowHeight;
  const space = spaceOf(count, rowHeight, maxSpace);
  const clamped = Math.max(0, Math.min(offset, total - viewport));
  if (space === total || space <= viewport) return clamped;
  return (clamped * (space - viewport)) / (total - viewport);
}

export function listWindow({ count, rowHeight, scrollTop, viewport, overscan, maxSpace = MAX_SPACE }: WindowInput): ListWindow {
  const space = spaceOf(count, rowHeight, maxSpace);
  if (count === 0) return { start: 0, end: 0, padTop: 0, padBottom: 0, space };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, space - viewport)));
  const offset = listOffset(top, count, rowHeight, viewport, maxSpace);
  const first = Math.min(count - 1, Math.floor(offset / rowHeight));
  // Row `first` goes where it shows at offset (first * rowHeight - offset) from the top of the view.
  let padTop = top + first * rowHeight - offset;
  let start = first;
  if (padTop < 0) {
    // Only within a row's height of the top of a scaled list: that row is left out.
    start = first + 1;
    padTop += rowHeight;
  }
  const above = Math.min(overscan, start, Math.floor(padTop / rowHeight));
  start -= above;
  padTop -= above * rowHeight;
  // Rows in view, then overscan as far as the space goes (a scaled list has more rows than space
  // below the view); a row cut by the bottom of the view may overhang the space by less than a row.
  const inView = Math.min(count, Math.ceil((offset + viewport) / rowHeight));
  const fits = start + Math.floor((space - padTop) / rowHeight + 1e-9);
  const end = Math.max(inView, Math.min(count, inView + overscan, fits));
  const padBottom = Math.max(0, space - padTop - (end - start) * rowHeight);
  return { start, end: Math.max(start, end), padTop, padBottom, space };
}

/**
 * The scroll position that brings row `index` fully into view, moving as little as possible
 * (`null` when it already is).
 */
export function scrollToRow(index: number, input: Omit<WindowInput, 'overscan'>): number | null {
  const { count, rowHeight, scrollTop, viewport, maxSpace = MAX_SPACE } = input;
  const offset = listOffset(scrollTop, count, rowHeight, viewport, maxSpace);
  const rowTop = index * rowHeight;
  if (rowTop < offset) return scrollTopFor(rowTop, count, rowHeight, viewport, maxSpace);
  if (rowTop + rowHeight > offset + viewport) return scrollTopFor(rowTop + rowHeight - viewport, count, rowHeight, viewport, maxSpace);
  return null;
}
