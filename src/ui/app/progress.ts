import type { Progress } from '../../core/analyze-api.ts';

/** Fraction of the file read, 0..1. */
export function progressFraction(p: Progress | null): number {
  if (!p || p.totalBytes <= 0) return 0;
  return Math.min(1, Math.max(0, p.bytesRead / p.totalBytes));
}

/**
 * Seconds left at the average rate so far; null until the estimate means something (a little time
 * and a few percent of the file read).
 */
export function secondsLeft(p: Progress | null): number | null {
  if (!p || p.elapsed < 0.5 || p.bytesRead <= 0 || p.totalBytes <= 0) return null;
  const fraction = progressFraction(p);
  if (fraction < 0.02 || fraction >= 1) return null;
  return (p.elapsed * (1 - fraction)) / fraction;
}
