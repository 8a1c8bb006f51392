import { describe, expect, it } from 'vitest';
import { consumeLaunchQueue, type LaunchParamsLike, type LaunchQueueLike } from './launch-queue.ts';

function fakeQueue() {
  let consumer: ((params: LaunchParamsLike) => void | Promise<void>) | null = null;
  const queue: LaunchQueueLike = { setConsumer: (c) => (consumer = c) };
  return { queue, launch: (params: LaunchParamsLike) => consumer!(params) };
}

describe('consumeLaunchQueue', () => {
  it('opens the first launched file', async () => {
    const { queue, launch } = fakeQueue();
    const opened: string[] = [];
    expect(consumeLaunchQueue((f, name) => opened.push(name), () => {}, queue)).toBe(true);
    await launch({ files: [{ getFile: () => Promise.resolve(new File(['x'], 'a.pcap')) }] });
    expect(opened).toEqual(['a.pcap']);
  });

  it('says so when the file cannot be had, instead of an unhandled rejection', async () => {
    const { queue, launch } = fakeQueue();
    const failures: string[] = [];
    consumeLaunchQueue(() => expect.unreachable('nothing to open'), (m) => failures.push(m), queue);
    await launch({ files: [{ getFile: () => Promise.reject(new DOMException('The file was removed', 'NotFoundError')) }] });
    expect(failures).toEqual([
      'The file the system asked Resetscope to open could not be read (The file was removed). Open it again, or drop it here.',
    ]);
  });

  it('does nothing without a launch queue', () => {
    expect(consumeLaunchQueue(() => {}, () => {}, undefined)).toBe(false);
  });
});
