import { describe, expect, it } from 'vitest';
import { craftCollidingTuples, flowKey, oldFlowHash, randomTuples, type Tuple } from '../../../bench/hash-flood.ts';
import { FlowTable, WordIndex, type FlowHashKey } from './flow-table.ts';

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

  it('finds every conversation again after its look-up cache has been overwritten many times', () => {
    // Far more conversations than the cache has entries, with addresses and ports past 2^31 and
    // 2^15 (signed words), looked up in a scrambled order from either side, three times over.
    const table = new FlowTable(16);
    const tuples = randomTuples(60_000).map((t, i) => (i % 3 === 0 ? { ...t, client: (t.client | 0x80000000) >>> 0, clientPort: 40000 + (i % 20000) } : t));
    const { inserted, found } = fill(table, tuples);
    expect(found).toEqual(inserted);
    const src = new Uint32Array(4);
    const dst = new Uint32Array(4);
    for (let round = 0; round < 3; round++) {
      for (let j = 0; j < tuples.length; j++) {
        const i = (j * 7919 + round * 104729) % tuples.length;
        const t = tuples[i]!;
        const fromClient = (i + round) % 2 === 0;
        src[0] = fromClient ? t.client : t.server;
        dst[0] = fromClient ? t.server : t.client;
        const idx = table.lookup(4, src, dst, fromClient ? t.clientPort : t.serverPort, fromClient ? t.serverPort : t.clientPort);
        if (idx !== inserted[i]) expect({ i, idx }).toEqual({ i, idx: inserted[i] });
      }
    }
    // A conversation never inserted is not found, whatever the cache holds.
    src[0] = 0x01020304;
    dst[0] = 0x05060708;
    expect(table.lookup(4, src, dst, 1, 2)).toBe(-1);
  });
});

describe('WordIndex', () => {
  it('gives back the value stored for each word, and -1 for words never stored', () => {
    const index = new WordIndex(4, [7, 9]);
    const words = new Set<number>([0, 1, 0x7fffffff, 0x80000000, 0xffffffff]);
    for (let i = 0; words.size < 30_000; i++) words.add(Math.imul(i, 0x9e3779b1) >>> 0);
    const list = [...words];
    list.forEach((w, i) => {
      expect(index.get(w)).toBe(-1);
      index.set(w, i);
    });
    list.forEach((w, i) => {
      if (index.get(w) !== i) expect({ w, got: index.get(w) }).toEqual({ w, got: i });
    });
    expect(index.get(0x12345679)).toBe(words.has(0x12345679) ? list.indexOf(0x12345679) : -1);
  });
});
