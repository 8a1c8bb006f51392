/**
 * Range threads that cannot start (their module missing from a bundle, say) fail the read at once,
 * and are not started again and again: before, each failed thread was replaced by a new one that
 * failed the same way, for ever, and the process never exited.
 */
import { expect, it } from 'vitest';
import { RangePool, type RangeThread } from './pool.ts';
import type { RangeJob, RangeTask } from './protocol.ts';

const JOB: RangeJob = { size: 100, chunkSize: 10, preamble: { kind: 'pcap' } as unknown as RangeJob['preamble'], interfaces: [] };
const TASKS: RangeTask[] = [
  { index: 0, from: 0, limit: 50 },
  { index: 1, from: 50, limit: Infinity },
];

/** A thread that fails as soon as it is asked something, as one whose module cannot load does. */
function failingThread(started: { n: number }): RangeThread<string> {
  started.n++;
  let failed: ((e: Error) => void) | null = null;
  return {
    post: () => queueMicrotask(() => failed?.(new Error('Cannot find module range-thread.js'))),
    listen: (_reply, f) => (failed = f),
    terminate: () => undefined,
  };
}

it('fails the read when its threads cannot start, without starting them again', async () => {
  const started = { n: 0 };
  const pool = new RangePool(2, () => failingThread(started));
  const session = pool.runner('file').open(JOB, TASKS);
  await expect(session.result(0)).rejects.toThrow('Cannot find module');
  await new Promise((r) => setTimeout(r, 20));
  expect(started.n).toBe(2);
  // The next file fails at once, with the same reason.
  await expect(pool.runner('next').open(JOB, TASKS).result(0)).rejects.toThrow('Cannot find module');
  expect(started.n).toBe(2);
});
