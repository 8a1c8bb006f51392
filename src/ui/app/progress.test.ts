import { describe, expect, it } from 'vitest';
import { progressFraction, secondsLeft } from './progress.ts';

const p = (bytesRead: number, totalBytes: number, elapsed: number) => ({
  bytesRead,
  totalBytes,
  elapsed,
  packets: 0,
  connections: 0,
});

describe('progress', () => {
  it('reads the fraction of the file consumed', () => {
    expect(progressFraction(null)).toBe(0);
    expect(progressFraction(p(50, 200, 1))).toBe(0.25);
    expect(progressFraction(p(300, 200, 1))).toBe(1);
    expect(progressFraction(p(0, 0, 1))).toBe(0);
  });

  it('estimates time left at the average rate, once it means something', () => {
    expect(secondsLeft(p(50, 200, 2))).toBeCloseTo(6);
    expect(secondsLeft(p(50, 200, 0.1))).toBeNull();
    expect(secondsLeft(p(1, 1000, 3))).toBeNull();
    expect(secondsLeft(p(200, 200, 3))).toBeNull();
  });
});
