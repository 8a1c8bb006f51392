import { describe, expect, it } from 'vitest';
import { makePackets } from '../../../test/support/packets.ts';
import { TcpFlag } from '../../core/model/types.ts';
import { createAppStore } from '../../state/store.ts';
import type { ConnectionDetail, PageAnalysis } from '../../worker/protocol.ts';
import { frameTime, startTimeReference } from './time-reference.ts';

const { packets } = makePackets([
  { frame: 7, t: 1.5, fromClient: true, flags: TcpFlag.SYN, seq: 1 },
  { frame: 9, t: 2.25, fromClient: false, flags: TcpFlag.RST, seq: 5 },
]);

/** A worker that knows frames 7 and 9 (connection 3) and nothing else. */
const engine = {
  connectionOfFrame: (frame: number) => Promise.resolve(frame === 7 || frame === 9 ? 3 : null),
  connection: (id: number) => Promise.resolve(id === 3 ? ({ connection: { id: 3 }, packets } as unknown as ConnectionDetail) : null),
};

const settled = () => new Promise((r) => setTimeout(r, 0));

function doneStore() {
  const store = createAppStore();
  store.setState({ status: 'done', runId: 1, result: {} as PageAnalysis });
  return store;
}

describe('the time reference', () => {
  it('finds a frame\'s time in a connection\'s packets', () => {
    expect(frameTime(packets, 9)).toBe(2.25);
    expect(frameTime(packets, 8)).toBeNull();
    expect(frameTime(null, 9)).toBeNull();
  });

  it('looks up the time of a reference a link names, once the capture is analysed', async () => {
    const store = doneStore();
    const missing: number[] = [];
    const stop = startTimeReference(store, engine, (f) => missing.push(f));
    store.getState().setTimeReference({ frame: 9, time: null });
    await settled();
    expect(store.getState().timeReference).toEqual({ frame: 9, time: 2.25 });

    // A frame that is not a TCP frame of the capture: dropped, and the user told.
    store.getState().setTimeReference({ frame: 8, time: null });
    await settled();
    expect(store.getState().timeReference).toBeNull();
    expect(missing).toEqual([8]);
    stop();
  });

  it('forgets the reference when another capture is opened', () => {
    const store = doneStore();
    const stop = startTimeReference(store, engine);
    store.getState().setTimeReference({ frame: 7, time: 1.5 });
    store.setState({ runId: 2, status: 'running' });
    expect(store.getState().timeReference).toBeNull();
    stop();
  });
});
