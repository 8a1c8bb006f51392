import { describe, expect, it } from 'vitest';
import type { Connection } from '../core/model/types.ts';
import { makeConnection, makeReset } from '../../test/support/connections.ts';
import { listOf } from '../core/model/list-columns.ts';
import { CancelledError, type AnalysisEngine, type AnalysisHandlers, type ConnectionDetail, type PageAnalysis } from '../worker/protocol.ts';
import { cancelCapture, openCapture } from './open-capture.ts';
import { createAppStore } from './store.ts';

/** An engine whose analysis the test finishes by hand; it keeps the connections, as the worker does. */
function manualEngine() {
  let handlers: AnalysisHandlers | null = null;
  let settle: { resolve(r: PageAnalysis): void; reject(e: unknown): void } | null = null;
  let held: Connection[] = [];
  const engine: AnalysisEngine = {
    analyze(_file, _name, h) {
      handlers = h;
      return new Promise((resolve, reject) => (settle = { resolve, reject }));
    },
    connection: (id) => Promise.resolve(held[id] ? { connection: held[id], packets: null } : null),
    connectionOfFrame: () => Promise.resolve(null),
    // The rows are worked out on the page (rows-slice.test.ts covers the worker's answers).
    connectionRows: () => Promise.resolve(null),
    cancel() {
      settle?.reject(new CancelledError());
    },
    frameDetail: (frame) => Promise.resolve({ frame, layers: [] }),
    exportCapture: () => Promise.reject(new Error('no export in this test')),
    linkCapture: () => Promise.reject(new Error('no link in this test')),
    expertPage: () => Promise.reject(new Error('no expert list in this test')),
    endpoints: () => Promise.reject(new Error('no endpoints in this test')),
    exportDocument: () => Promise.reject(new Error('no export in this test')),
    followStream: () => Promise.resolve(null),
  };
  return {
    engine,
    handlers: () => handlers!,
    /** Provisional connections found while reading. */
    stream: (connections: Connection[]) => {
      held = connections;
      handlers!.onList(listOf(connections));
    },
    resolve: (r: PageAnalysis & { all: Connection[] }) => {
      held = r.all;
      settle!.resolve(r);
    },
    reject: (e: unknown) => settle!.reject(e),
  };
}

/** A result as the worker sends it (the list's columns, no connection objects), and the connections. */
function resultWith(n: number): PageAnalysis & { all: Connection[] } {
  const all = Array.from({ length: n }, (_, i) =>
    makeConnection(i, { resets: i === 1 ? [makeReset({ frame: 12, scenario: 'abort' })] : [] }),
  );
  return { report: { connections: [] }, list: listOf(all), all } as unknown as PageAnalysis & { all: Connection[] };
}

/** Let the store's pending detail fetch settle. */
const settled = () => new Promise((r) => setTimeout(r, 0));

const file = (text: string) => new Blob([text]);

describe('openCapture', () => {
  it('streams connections, then replaces them with the final report', async () => {
    const store = createAppStore();
    const m = manualEngine();
    const done = openCapture(store, m.engine, file('pcap bytes'), 'a.pcap');
    expect(store.getState().status).toBe('running');
    const provisional = makeConnection(0, { state: 'S0' });
    m.stream([provisional]);
    m.handlers().onProgress({ bytesRead: 5, totalBytes: 10, packets: 3, connections: 1, elapsed: 0.1 });
    expect(store.getState().list.count).toBe(1);
    expect(store.getState().progress?.bytesRead).toBe(5);
    store.getState().selectConnection(0);
    // While streaming, the selected connection is the provisional one, fetched from the engine.
    await settled();
    expect(store.getState().selectedDetail?.connection).toBe(provisional);
    m.resolve(resultWith(2));
    await done;
    expect(store.getState().status).toBe('done');
    expect(store.getState().list.count).toBe(2);
    expect(store.getState().selectedConnection).toBe(0);
    // Then the final one.
    await settled();
    expect(store.getState().selectedDetail?.connection).toEqual(makeConnection(0));
  });

  it('marks the analysis done with the final list and the rows the engine worked out for it', async () => {
    const store = createAppStore();
    const m = manualEngine();
    const asked: unknown[] = [];
    let seenWhenDone: string | null = null;
    m.engine.connectionRows = (query) => {
      asked.push(query);
      return Promise.resolve(Uint32Array.of(2, 0, 1));
    };
    store.subscribe((s, prev) => {
      if (s.status === 'done' && prev.status !== 'done') seenWhenDone = [...s.shown.ids].join(',');
    });
    const done = openCapture(store, m.engine, file('pcap bytes'), 'a.pcap');
    m.stream([makeConnection(0)]);
    expect([...store.getState().shown.ids]).toEqual([0]); // provisional rows, worked out here
    const result = resultWith(3);
    m.resolve(result);
    await done;
    expect(asked).toEqual([{ filters: store.getState().filters, sort: store.getState().sort }]);
    // "done" comes with the rows of the final list, never the provisional ones.
    expect(seenWhenDone).toBe('2,0,1');
    expect(store.getState().shown.list).toBe(result.list);
  });

  it('reports a zero-byte file without asking the engine', async () => {
    const store = createAppStore();
    const m = manualEngine();
    await openCapture(store, m.engine, file(''), 'empty.pcap');
    expect(store.getState().status).toBe('error');
    expect(store.getState().error).toMatch(/empty \(0 bytes\)/);
  });

  it('turns an engine error into a one-line message', async () => {
    const store = createAppStore();
    const m = manualEngine();
    const done = openCapture(store, m.engine, file('hello'), 'notes.txt');
    m.reject(new Error('Not a capture: unknown magic 68656c6c\nstack...'));
    await done;
    expect(store.getState().error).toBe('Could not read “notes.txt”: Not a capture: unknown magic 68656c6c.');
  });

  it('cancels, and a second file replaces the first cleanly', async () => {
    const store = createAppStore();
    const m = manualEngine();
    const first = openCapture(store, m.engine, file('one'), 'one.pcap');
    const oldHandlers = m.handlers();
    cancelCapture(store, m.engine);
    await first;
    expect(store.getState().status).toBe('cancelled');

    const second = openCapture(store, m.engine, file('two'), 'two.pcap');
    oldHandlers.onList(listOf([makeConnection(0)])); // a late message from the first run
    expect(store.getState().list.count).toBe(0);
    m.resolve(resultWith(3));
    await second;
    expect(store.getState().fileName).toBe('two.pcap');
    expect(store.getState().list.count).toBe(3);
  });
});

describe('selection', () => {
  it('opens on the first connection with a reset when the analysis ends', () => {
    const store = createAppStore();
    const runId = store.getState().beginCapture(file('x'), 'x.pcap');
    store.getState().finishCapture(runId, resultWith(3));
    expect(store.getState().selectedConnection).toBe(1);
    expect(store.getState().selectedReset).toBe(12);
  });

  it('selecting a connection opens its first reset', () => {
    const store = createAppStore();
    const runId = store.getState().beginCapture(file('x'), 'x.pcap');
    store.getState().finishCapture(runId, resultWith(3));
    store.getState().selectConnection(1);
    expect(store.getState().selectedReset).toBe(12);
    store.getState().selectConnection(2);
    expect(store.getState().selectedReset).toBeNull();
    store.getState().selectConnection(3); // no such connection
    expect(store.getState().selectedConnection).toBeNull();
  });

  it('fetches the selected connection in full, and drops an answer that comes too late', async () => {
    const store = createAppStore();
    const result = resultWith(3);
    const answers = new Map<number, (c: ConnectionDetail | null) => void>();
    const runId = store.getState().beginCapture(file('x'), 'x.pcap', (id) => new Promise((resolve) => answers.set(id, resolve)));
    store.getState().finishCapture(runId, result);
    expect(store.getState().selectedConnection).toBe(1);
    expect(store.getState().selectedDetail).toBeNull();
    store.getState().selectConnection(2);
    answers.get(1)!({ connection: result.all[1]!, packets: null }); // the answer for the previous selection
    await settled();
    expect(store.getState().selectedDetail).toBeNull();
    answers.get(2)!({ connection: result.all[2]!, packets: null });
    await settled();
    expect(store.getState().selectedDetail?.connection).toBe(result.all[2]);
  });

  it('toggles sort ascending, descending, default', () => {
    const store = createAppStore();
    store.getState().toggleSort('packets');
    expect(store.getState().sort).toEqual({ key: 'packets', desc: false });
    store.getState().toggleSort('packets');
    expect(store.getState().sort).toEqual({ key: 'packets', desc: true });
    store.getState().toggleSort('packets');
    expect(store.getState().sort.key).toBeNull();
  });
});
