import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nthSmallest } from './packet-index.ts';

describe('nthSmallest', () => {
  it('gives what a sort puts at k, for any values (duplicates, negatives, zeros)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        (values, pick) => {
          const k = pick % values.length;
          const sorted = Float64Array.from(values).sort();
          // + 0: a sort orders -0 before 0, the selection takes them as equal (so does JSON).
          expect(nthSmallest(Float64Array.from(values), values.length, k) + 0).toBe(sorted[k]! + 0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('looks only at the first n values', () => {
    expect(nthSmallest(Float64Array.of(5, 1, 3, -100, -100), 3, 1)).toBe(3);
  });

  it('stays right on inputs that defeat its pivots (it falls back to sorting)', () => {
    // Sorted, reversed and organ-pipe orders of 100,000 values, with many equal ones.
    const n = 100_000;
    const orders = [
      Float64Array.from({ length: n }, (_, i) => i),
      Float64Array.from({ length: n }, (_, i) => n - i),
      Float64Array.from({ length: n }, (_, i) => Math.min(i, n - i)),
      Float64Array.from({ length: n }, (_, i) => i % 3),
    ];
    for (const a of orders) {
      const sorted = a.slice().sort();
      expect(nthSmallest(a, n, n >> 1)).toBe(sorted[n >> 1]);
    }
  });
});
