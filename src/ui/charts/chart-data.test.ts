import { describe, expect, it } from 'vitest';
import { EMPTY_LIST, listOf } from '../../core/model/list-columns.ts';
import { makeConnection, makeReset } from '../../../test/support/connections.ts';
import { resetTimeline, scenarioCounts, timelineRows } from './chart-data.ts';

const conns = listOf([
  makeConnection(0, { resets: [makeReset({ time: 0.5, scenario: 'refused' }), makeReset({ time: 9.99, scenario: 'refused' })] }),
  makeConnection(1, { resets: [makeReset({ time: 3.2, scenario: 'abort' })] }),
  makeConnection(2),
]);

describe('resetTimeline', () => {
  it('counts resets per bucket and scenario, the last one inclusive of the end', () => {
    const t = resetTimeline(conns, 10, 5);
    expect(t.bucketSeconds).toBe(2);
    expect(t.buckets.map((b) => b.total)).toEqual([1, 1, 0, 0, 1]);
    expect(t.scenarios).toEqual(['refused', 'abort']);
    expect(timelineRows(t)[1]).toEqual({ bucketStart: 2, bucketEnd: 4, refused: 0, abort: 1 });
  });

  it('cuts a day-long capture into half hours, not thousands of seconds', () => {
    const day = listOf([makeConnection(0, { resets: [makeReset({ time: 86_000, scenario: 'abort' })] })]);
    const t = resetTimeline(day, 86341, 60);
    expect(t.bucketSeconds).toBe(1800);
    expect(t.buckets).toHaveLength(48);
    expect(t.buckets[47]!.total).toBe(1);
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
