/** A stretch of the ladder's scroll content, in pixels from its top. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Where to scroll so that `must` is in view and, when both fit, `also` too (the clicked packet and the
 * selected reset, when the packet details take room from the ladder); null when no scroll is needed.
 * Scrolls as little as it can, as `scrollIntoView({block: 'nearest'})` would.
 */
export function scrollToShow(scrollTop: number, height: number, must: Span, also: Span | null): number | null {
  const both = also && Math.max(must.end, also.end) - Math.min(must.start, also.start) <= height;
  const want = both ? { start: Math.min(must.start, also.start), end: Math.max(must.end, also.end) } : must;
  if (want.start < scrollTop) return Math.max(0, want.start);
  if (want.end > scrollTop + height) return Math.max(0, Math.min(want.start, want.end - height));
  return null;
}
