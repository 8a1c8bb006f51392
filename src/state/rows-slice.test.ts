import { describe, expect, it } from 'vitest';
import { makeConnection, makeReset } from '../../test/support/connections.ts';
import { selectConnectionRows } from '../core/model/connection-rows.ts';
import { listOf } from '../core/model/list-columns.ts';
import type { PageAnalysis, RowQuery } from '../worker/protocol.ts';
import { rowsCurrent } from './rows-slice.ts';
import { createAppStore } from './store.ts';

/** Connections 0..n-1 on ports 5000.., the odd ones reset (so the default order puts them first). */
function analysis(n: number): PageAnalysis {
  const all = Array.from({ length: n }, (_, i) =>
    makeConnection(i, { client: { ip: '10.0.0.1', port: 5000 + i }, resets: i % 2 === 1 ? [makeReset({ frame: 10 + i, scenario: 'abort' })] : [] }),
  );
  return { report: { connections: [] }, list: listOf(all) } as unknown as PageAnalysis;
}

/** A row source the test answers by hand, in any order. */
function manualRows() {
  const asked: { query: RowQuery; answer(ids: Uint32Array | null): void; fail(e: unknown): void }[] = [];
  const source = (query: RowQuery) =>
    new Promise<Uint32Array | null>((resolve, reject) => asked.push({ query, answer: resolve, fail: reject }));
  return { asked, source };
}

const settled = () => new Promise((r) => setTimeout(r, 0));
const ids = (a: Uint32Array) => [...a];

/** A store whose analysis of `n` connections is done, with rows from `source`. */
function doneStore(n: number, source: (query: RowQuery) => Promise<Uint32Array | null>) {
  const store = createAppStore();
  const runId = store.getState().beginCapture(new Blob(['x']), 'x.pcap', undefined, source);
  store.getState().finishCapture(runId, analysis(n));
  return store;
}

describe('the rows the list shows', () => {
  it('are worked out at once while the file is read, in capture order', () => {
    const m = manualRows();
    const store = createAppStore();
    const runId = store.getState().beginCapture(new Blob(['x']), 'x.pcap', undefined, m.source);
    store.getState().setList(runId, analysis(4).list);
    expect(ids(store.getState().shown.ids)).toEqual([0, 1, 2, 3]);
    store.getState().setFilters({ text: ':5002' });
    expect(ids(store.getState().shown.ids)).toEqual([2]);
    expect(m.asked).toHaveLength(0);
  });

  it('are worked out at once without a row source', () => {
    const store = createAppStore();
    const runId = store.getState().beginCapture(new Blob(['x']), 'x.pcap');
    const result = analysis(4);
    store.getState().finishCapture(runId, result);
    expect(store.getState().shown.list).toBe(result.list);
    expect(ids(store.getState().shown.ids)).toEqual([1, 3, 0, 2]);
  });

  it('come from the row source once the analysis is done, and the list shows them', async () => {
    const m = manualRows();
    const store = doneStore(6, m.source);
    // The final list's first rows were asked for when it came.
    expect(m.asked).toHaveLength(1);
    expect(m.asked[0]!.query.sort).toEqual({ key: null, desc: false });
    m.asked[0]!.answer(Uint32Array.of(1, 3, 5, 0, 2, 4));
    await settled();
    expect(ids(store.getState().shown.ids)).toEqual([1, 3, 5, 0, 2, 4]);

    store.getState().setFilters({ text: 'tcp.port >= 5004' });
    // The typed text is in the store at once; the list keeps its rows until the answer comes.
    expect(store.getState().filters.text).toBe('tcp.port >= 5004');
    expect(ids(store.getState().shown.ids)).toEqual([1, 3, 5, 0, 2, 4]);
    expect(rowsCurrent(store.getState())).toBe(false);
    expect(m.asked[1]!.query.filters.text).toBe('tcp.port >= 5004');
    // Whatever the source says is what the list shows (here, a made-up answer).
    m.asked[1]!.answer(Uint32Array.of(5));
    await settled();
    expect(ids(store.getState().shown.ids)).toEqual([5]);
    expect(store.getState().shown.filters.text).toBe('tcp.port >= 5004');
    expect(rowsCurrent(store.getState())).toBe(true);
  });

  it('drop an answer to a query that a newer one replaced, whichever comes first', async () => {
    const m = manualRows();
    const store = doneStore(6, m.source);
    m.asked[0]!.answer(Uint32Array.of(1, 3, 5, 0, 2, 4));
    await settled();
    store.getState().setFilters({ text: 't' });
    store.getState().setFilters({ text: 'tcp.port == 5001' });
    store.getState().setFilters({ text: 'tcp.port == 5002' });
    expect(m.asked.map((a) => a.query.filters.text)).toEqual(['', 't', 'tcp.port == 5001', 'tcp.port == 5002']);
    m.asked[3]!.answer(Uint32Array.of(2));
    await settled();
    expect(ids(store.getState().shown.ids)).toEqual([2]);
    // Older answers arriving late change nothing.
    m.asked[2]!.answer(Uint32Array.of(1));
    m.asked[1]!.answer(Uint32Array.of(0, 1, 2, 3, 4, 5));
    await settled();
    expect(ids(store.getState().shown.ids)).toEqual([2]);
    expect(store.getState().shown.filters.text).toBe('tcp.port == 5002');
  });

  it('drop the answer when the filter goes back to what is shown before it comes', async () => {
    const m = manualRows();
    const store = doneStore(4, m.source);
    m.asked[0]!.answer(Uint32Array.of(1, 3, 0, 2));
    await settled();
    store.getState().setFilters({ text: ':5001' });
    store.getState().setFilters({ text: '' });
    expect(m.asked).toHaveLength(2); // nothing to ask: the shown rows are for that
    m.asked[1]!.answer(Uint32Array.of(1));
    await settled();
    expect(ids(store.getState().shown.ids)).toEqual([1, 3, 0, 2]);
    expect(rowsCurrent(store.getState())).toBe(true);
  });

  it('ask again when only the order changes, and not for the same filters again', async () => {
    const m = manualRows();
    const store = doneStore(4, m.source);
    m.asked[0]!.answer(Uint32Array.of(1, 3, 0, 2));
    await settled();
    store.getState().setFilters({ text: '' }); // a new object, the same filters
    expect(m.asked).toHaveLength(1);
    store.getState().toggleSort('packets');
    expect(m.asked[1]!.query.sort).toEqual({ key: 'packets', desc: false });
  });

  it('are worked out here when the source cannot answer or fails', async () => {
    const m = manualRows();
    const store = doneStore(4, m.source);
    const list = store.getState().list;
    m.asked[0]!.answer(null);
    await settled();
    expect(ids(store.getState().shown.ids)).toEqual(ids(selectConnectionRows(list, store.getState().filters, store.getState().sort)));
    store.getState().setFilters({ text: ':5003' });
    m.asked[1]!.fail(new Error('worker gone'));
    await settled();
    expect(ids(store.getState().shown.ids)).toEqual([3]);
  });

  it('start empty with a new file, and drop the old analysis answer', async () => {
    const m = manualRows();
    const store = doneStore(4, m.source);
    store.getState().setFilters({ text: ':5001' });
    store.getState().beginCapture(new Blob(['y']), 'y.pcap', undefined, m.source);
    expect(store.getState().shown.ids).toHaveLength(0);
    m.asked[0]!.answer(Uint32Array.of(1, 3, 0, 2));
    m.asked[1]!.answer(Uint32Array.of(1));
    await settled();
    expect(store.getState().shown.ids).toHaveLength(0);
    expect(store.getState().shown.list.count).toBe(0);
  });
});
