import { describe, expect, it } from 'vitest';
import { listOf } from './list-columns.ts';
import { analyzeBytes, readTestdata } from '../../../test/support/captures.ts';
import { DEFAULT_SORT, NO_FILTERS, selectConnectionRows } from './connection-rows.ts';

describe('the text filter: an expression, or words to search for', async () => {
  const result = await analyzeBytes('port-scan.pcap', readTestdata('lab', 'port-scan.pcap'));
  const table = result.connections;
  const list = listOf(table.heads(), table.length);
  const rows = (text: string) => [...selectConnectionRows(list, { ...NO_FILTERS, text }, { key: 'id', desc: false })];
  const all = Array.from({ length: table.length }, (_, i) => i);

  it('applies an expression', () => {
    const want = all.filter((id) => table.head(id).server.port < 2010 && table.resetsOf(id).some((r) => r.scenario === 'port-scan'));
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all.length);
    expect(rows('rst.scenario == port-scan and tcp.dstport < 2010')).toEqual(want);
    expect(rows('tcp.stream in {0, 2}')).toEqual([0, 2]);
  });

  it('ignores an expression it cannot read, rather than emptying the list', () => {
    expect(rows('tcp.port == http')).toEqual(all);
  });

  it('searches addresses and ports for words that are no expression', () => {
    const c = table.head(1);
    expect(rows(`${c.client.ip}:${c.client.port}`)).toEqual([1]);
  });

  it('sorts and combines with the other filters as before', () => {
    const sorted = [...selectConnectionRows(list, { ...NO_FILTERS, text: 'tcp.stream <= 3' }, DEFAULT_SORT)];
    expect(sorted.sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
    expect([...selectConnectionRows(list, { ...NO_FILTERS, text: 'tcp.stream <= 3', state: 'REJ' }, { key: 'id', desc: false })]).toEqual(
      [0, 1, 2, 3].filter((id) => table.stateOf(id) === 'REJ'),
    );
  });
});
