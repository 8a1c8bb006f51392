import { describe, expect, it } from 'vitest';
import { streamSource } from './stream-source.ts';

/** A stream the test feeds by hand. */
function handFed() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return { stream, push: (...bytes: number[]) => controller.enqueue(Uint8Array.from(bytes)), end: () => controller.close(), fail: () => controller.error(new Error('network')) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('streamSource', () => {
  it('answers a read once its bytes have arrived, not before', async () => {
    const feed = handFed();
    const { source, complete } = streamSource('x.pcap', 6, feed.stream);
    feed.push(1, 2);
    let answer: Uint8Array | null = null;
    void source.read(0, 4).then((b) => (answer = b));
    await tick();
    expect(answer).toBeNull();
    feed.push(3, 4, 5);
    await tick();
    await tick();
    expect(answer).toEqual(Uint8Array.of(1, 2, 3, 4));
    feed.push(6);
    feed.end();
    expect(await source.read(4, 100)).toEqual(Uint8Array.of(5, 6));
    const whole = await complete;
    expect(new Uint8Array(await whole.file.arrayBuffer())).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6));
    expect(whole.error).toBeNull();
  });

  it('gives short reads when the stream ends or fails before the announced size', async () => {
    const feed = handFed();
    const { source, complete } = streamSource('x.pcap', 10, feed.stream);
    feed.push(1, 2, 3);
    feed.fail();
    expect(await source.read(0, 10)).toEqual(Uint8Array.of(1, 2, 3));
    expect((await complete).error).toBe('network');
  });

  it('keeps what goes on past the announced size, without reading it as the capture', async () => {
    const feed = handFed();
    const { source, complete } = streamSource('x.pcap', 2, feed.stream);
    feed.push(1, 2, 3, 4);
    feed.end();
    expect(await source.read(0, 4)).toEqual(Uint8Array.of(1, 2));
    expect((await complete).received).toBe(4);
  });
});
