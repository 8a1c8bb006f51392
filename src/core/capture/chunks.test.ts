import { describe, expect, it } from 'vitest';
import { plainChunks } from './chunks.ts';
import type { ByteSource } from './source.ts';

/** A source of `size` bytes (byte i is i mod 251) that fills buffers, counting reads in flight. */
function fillingSource(size: number, failAt = -1): ByteSource & { inFlight: number; maxInFlight: number } {
  const s = {
    name: 'x',
    size,
    inFlight: 0,
    maxInFlight: 0,
    read: (start: number, end: number) => Promise.resolve(Uint8Array.from({ length: Math.min(end, size) - start }, (_, i) => (start + i) % 251)),
    async readInto(target: Uint8Array, start: number) {
      s.inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
      await new Promise((r) => setTimeout(r, 1));
      s.inFlight--;
      if (start === failAt) throw new Error('EIO');
      const n = Math.min(target.length, size - start);
      for (let i = 0; i < n; i++) target[i] = (start + i) % 251;
      return n;
    },
  };
  return s;
}

describe('plainChunks', () => {
  it('hands out every byte in order, reading the next chunk while the caller holds one', async () => {
    const source = fillingSource(10_000);
    const stream = plainChunks(source, 1024);
    let pos = 0;
    for (let chunk = await stream.next(); chunk; chunk = await stream.next()) {
      const copy = chunk.slice();
      // The read ahead must not write into the chunk the caller holds.
      await new Promise((r) => setTimeout(r, 3));
      expect(chunk).toEqual(copy);
      for (let i = 0; i < chunk.length; i++) expect(chunk[i]).toBe((pos + i) % 251);
      pos += chunk.length;
      expect(stream.storedBytesRead).toBe(pos);
    }
    expect(pos).toBe(10_000);
    expect(source.maxInFlight).toBe(1);
  });

  it('reports a failed read when that chunk is asked for, not before', async () => {
    const stream = plainChunks(fillingSource(4096, 2048), 1024);
    expect((await stream.next())?.length).toBe(1024);
    expect((await stream.next())?.length).toBe(1024);
    await expect(stream.next()).rejects.toThrow('EIO');
  });

  it('stops at cancel, leaving no read to fail unheard', async () => {
    const stream = plainChunks(fillingSource(4096, 1024), 1024);
    expect((await stream.next())?.length).toBe(1024);
    stream.cancel();
    expect(await stream.next()).toBeNull();
    await new Promise((r) => setTimeout(r, 5));
  });
});
