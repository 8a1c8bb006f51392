import { describe, expect, it } from 'vitest';
import { makeConnection, makeReset } from '../../test/support/connections.ts';
import { DEFAULT_SORT, NO_FILTERS, selectConnectionRows } from '../core/model/connection-rows.ts';
import { listOf } from '../core/model/list-columns.ts';
import { copyList, RowQueries } from './list-rows.ts';

const list = listOf(
  Array.from({ length: 8 }, (_, i) =>
    makeConnection(i, {
      client: { ip: `10.0.0.${i}`, port: 5000 + i },
      packets: 10 - i,
      resets: i % 3 === 0 ? [makeReset({ frame: 100 + i, scenario: i === 3 ? 'refused' : 'abort', findings: i === 6 ? ['f1'] : [] })] : [],
    }),
  ),
);

describe('copyList', () => {
  it('copies every column into buffers of its own, and keeps the tables', () => {
    const copy = copyList(list);
    expect(copy).toEqual(list);
    for (const key of Object.keys(list) as (keyof typeof list)[]) {
      const a = list[key];
      if (ArrayBuffer.isView(a)) expect((copy[key] as ArrayBufferView).buffer).not.toBe(a.buffer);
    }
    expect(copy.findings.get('f1')).toEqual(Uint32Array.of(6));
    expect(copy.findings.get('f1')!.buffer).not.toBe(list.findings.get('f1')!.buffer);
  });
});

describe('RowQueries', () => {
  it('answers with the rows the page would work out, filtered and sorted', async () => {
    const q = new RowQueries();
    const filters = { ...NO_FILTERS, text: 'tcp.port >= 5002' };
    const sort = { key: 'packets' as const, desc: false };
    const rows = await q.answer(() => list, { generation: 1, filters, sort });
    expect(rows).toEqual(selectConnectionRows(list, filters, sort));
    expect([...rows!]).toEqual([7, 6, 5, 4, 3, 2]);
    // Only the rows cross over, not the array made for every connection.
    expect(rows!.buffer.byteLength).toBe(rows!.byteLength);
  });

  it('works out only the newest of the requests waiting, the others get null', async () => {
    const q = new RowQueries();
    const asked: number[] = [];
    const source = (generation: number) => () => {
      asked.push(generation);
      return list;
    };
    const answers = await Promise.all([
      q.answer(source(1), { generation: 1, filters: { ...NO_FILTERS, text: 't' }, sort: DEFAULT_SORT }),
      q.answer(source(2), { generation: 2, filters: { ...NO_FILTERS, text: 'tc' }, sort: DEFAULT_SORT }),
      q.answer(source(3), { generation: 3, filters: { ...NO_FILTERS, text: 'rst.scenario == refused' }, sort: DEFAULT_SORT }),
    ]);
    expect(answers.slice(0, 2)).toEqual([null, null]);
    expect([...answers[2]!]).toEqual([3]);
    // A request that comes after an answer is answered too.
    expect([...(await q.answer(() => list, { generation: 4, filters: NO_FILTERS, sort: { key: 'id', desc: true } }))!]).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('answers null without a finished analysis', async () => {
    expect(await new RowQueries().answer(() => null, { generation: 1, filters: NO_FILTERS, sort: DEFAULT_SORT })).toBeNull();
  });
});
