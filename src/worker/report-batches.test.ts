import { describe, expect, it } from 'vitest';
import { makeConnection, makeReset } from '../../test/support/connections.ts';
import { CONNECTION_COST, RESET_COST, ReportAssembler, reportBatches, type ReportBatch } from './report-batches.ts';

function connections(resetCounts: number[]) {
  return resetCounts.map((n, id) =>
    makeConnection(id, { resets: Array.from({ length: n }, (_, i) => makeReset({ frame: id * 1000 + i + 1 })) }),
  );
}

function shape(batches: ReportBatch[]): string[] {
  return batches.map((b) =>
    b.kind === 'connections'
      ? `conns ${b.connections.map((c) => `${c.id}(${c.resets.length})`).join(' ')}`
      : `resets of ${b.conn}: ${b.resets.length}`,
  );
}

describe('reportBatches', () => {
  it('groups small connections up to the budget, in id order', () => {
    const budget = 3 * CONNECTION_COST + RESET_COST;
    expect(shape([...reportBatches(connections([0, 1, 0, 0, 0]), budget)])).toEqual(['conns 0(0) 1(1) 2(0)', 'conns 3(0) 4(0)']);
  });

  it('splits the resets of a connection too big for one batch', () => {
    const budget = 10 * RESET_COST;
    expect(shape([...reportBatches(connections([2, 25, 1]), budget)])).toEqual([
      'conns 0(2)',
      'conns 1(10)',
      'resets of 1: 10',
      'resets of 1: 5',
      'conns 2(1)',
    ]);
  });

  it('yields nothing for no connection', () => {
    expect([...reportBatches([])]).toEqual([]);
  });
});

describe('ReportAssembler', () => {
  it('rebuilds exactly what was split, without touching the originals', () => {
    const original = connections([3, 0, 40, 7, 0, 0, 120]);
    const before = JSON.stringify(original);
    const assembler = new ReportAssembler();
    // Each batch crosses a thread boundary as a structured clone.
    for (const batch of reportBatches(original, 10 * RESET_COST)) assembler.add(structuredClone(batch));
    expect(assembler.connections).toEqual(original);
    expect(JSON.stringify(original)).toBe(before);
  });

  it('refuses resets of a connection it has not seen', () => {
    expect(() => new ReportAssembler().add({ kind: 'resets', conn: 3, resets: [] })).toThrow(/before the connection/);
  });
});

describe('ReportAssembler for one connection', () => {
  it('rebuilds a single connection whose id is not 0', () => {
    const [, , big] = connections([0, 0, 40]);
    const assembler = new ReportAssembler();
    for (const batch of reportBatches([big!], 10 * RESET_COST)) assembler.add(structuredClone(batch));
    expect(assembler.connections).toEqual([big]);
  });
});
