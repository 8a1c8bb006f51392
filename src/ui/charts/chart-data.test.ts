import { describe, expect, it } from 'vitest';
import { EMPTY_LIST, listOf } from '../../core/model/list-columns.ts';
import { makeConnection, makeReset } from '../../../test/support/connections.ts';
import { niceBucketSeconds, resetTimeline, scenarioCounts, timelineRows } from './chart-data.ts';

const conns = listOf([
  makeConnection(0, { resets: [makeReset({ time: 0.5, scenario: 'refused' }), makeReset({ time: 9.99, scenario: 'refused' })] }),
  makeConnection(1, { resets: [makeReset({ time: 3.2, scenario: 'abort' })] }),
  makeConnection(2),
]);

describe('niceBucketSeconds', () => {
  it('rounds the width up to 1, 2 or 5 times a power of ten', () => {
    expect(niceBucketSeconds(10, 10)).toBe(1);
    expect(niceBucketSeconds(10, 6)).toBe(2);
    expect(niceBucketSeconds(0.03, 10)).toBeCloseTo(0.005);
    expect(niceBucketSeconds(3600, 60)).toBe(100);
    expect(niceBucketSeconds(0, 60)).toBe(1);
  });
});

describe('resetTimeline', () => {
  it('counts resets per bucket and scenario, the last one inclusive of the end', () => {
    const t = resetTimeline(conns, 10, 5);
    expect(t.bucketSeconds).toBe(2);
    expect(t.buckets.map((b) => b.total)).toEqual([1, 1, 0, 0, 1]);
    expect(t.scenarios).toEqual(['refused', 'abort']);
    expect(timelineRows(t)[1]).toEqual({ bucketStart: 2, bucketEnd: 4, refused: 0, abort: 1 });
  });

  it('has one bucket for a capture without duration', () => {
    expect(resetTimeline(EMPTY_LIST, 0).buckets).toHaveLength(1);
  });
});

describe('scenarioCounts', () => {
  it('counts per scenario, most first', () => {
    expect(scenarioCounts(conns)).toEqual([
      { scenario: 'refused', count: 2 },
      { scenario: 'abort', count: 1 },
    ]);
  });
});
