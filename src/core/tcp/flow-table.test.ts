import { describe, expect, it } from 'vitest';
import { craftCollidingTuples, flowKey, oldFlowHash, randomTuples, type Tuple } from '../../../bench/hash-flood.ts';
import { FlowTable, type FlowHashKey } from './flow-table.ts';

const N = 20_000;

/** Every tuple inserted once, then each looked up again from the server's side; the indices returned. */
function fill(table: FlowTable, tuples: Tuple[]): { inserted: number[]; found: number[] } {
  const src = new Uint32Array(4);
  const dst = new Uint32Array(4);
  const inserted: number[] = [];
  for (const t of tuples) {
    src[0] = t.client;
    dst[0] = t.server;
    expect(table.lookup(4, src, dst, t.clientPort, t.serverPort)).toBe(-1);
    inserted.push(table.insert());
  }
  const found: number[] = [];
  for (const t of tuples) {
    src[0] = t.server;
    dst[0] = t.client;
    found.push(table.lookup(4, src, dst, t.serverPort, t.clientPort));
  }
  return { inserted, found };
}

describe('FlowTable', () => {
  it('the crafted tuples all collide under the old unkeyed hash', () => {
    const tuples = craftCollidingTuples(N);
    expect(new Set(tuples.map((t) => `${t.client}:${t.clientPort}-${t.serverPort}`)).size).toBe(N);
    expect(new Set(tuples.map((t) => oldFlowHash(flowKey(t)))).size).toBe(1);
  });

  it('costs crafted 4-tuples the probes that random ones cost (no hash flooding)', () => {
    const crafted = new FlowTable(16);
    fill(crafted, craftCollidingTuples(N));
    const random = new FlowTable(16);
    fill(random, randomTuples(N));
    // Under the old hash the crafted set took N * (N - 1) / 2 extra probes to insert and as many
    // again to find (4e8 here). With a table at most half full, linear probing averages about one
    // extra probe per lookup; allow 4 before calling it a flood.
    expect(crafted.extraProbes).toBeLessThan(4 * 2 * N);
    expect(random.extraProbes).toBeLessThan(4 * 2 * N);
  });

  it('hands out indices in first-seen order, whatever its key', () => {
    const tuples = [...craftCollidingTuples(500), ...randomTuples(500)];
    const keys: FlowHashKey[] = [[0, 0], [1, 2], [0xdeadbeef, 0x12345678]];
    for (const key of keys) {
      const { inserted, found } = fill(new FlowTable(4, key), tuples);
      const order = tuples.map((_, i) => i);
      expect(inserted).toEqual(order);
      expect(found).toEqual(order);
    }
  });

  it('keys each table at random', () => {
    const tuples = randomTuples(2000);
    const slotsOf = (): string => {
      const t = new FlowTable(4096);
      fill(t, tuples);
      return String(t.extraProbes);
    };
    // Two random tables probe differently on the same tuples (the same count twice in a row is
    // possible, five times is not).
    expect(new Set([slotsOf(), slotsOf(), slotsOf(), slotsOf(), slotsOf()]).size).toBeGreaterThan(1);
  });

  it('keeps IPv4 and IPv6 conversations apart, and finds each from either side', () => {
    const table = new FlowTable(16);
    const a = Uint32Array.of(0x0a000001, 0, 0, 0);
    const b = Uint32Array.of(0x0a000002, 0, 0, 0);
    expect(table.lookup(4, a, b, 80, 80)).toBe(-1);
    const v4 = table.insert();
    expect(table.srcIsA).toBe(true);
    // The same words as IPv6 addresses are another conversation.
    expect(table.lookup(6, a, b, 80, 80)).toBe(-1);
    const v6 = table.insert();
    expect(v6).not.toBe(v4);
    expect(table.lookup(4, b, a, 80, 80)).toBe(v4);
    expect(table.srcIsA).toBe(false);
    expect(table.lookup(6, b, a, 80, 80)).toBe(v6);
    expect(table.srcIsA).toBe(false);
    // Same address on both sides: the lower port is endpoint A.
    expect(table.lookup(4, a, a, 5000, 80)).toBe(-1);
    const self = table.insert();
    expect(table.srcIsA).toBe(false);
    expect(table.lookup(4, a, a, 80, 5000)).toBe(self);
    expect(table.srcIsA).toBe(true);
  });
});
