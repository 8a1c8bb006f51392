import { resized } from '../model/columns.ts';
import type { ChunkStream } from './chunks.ts';
import type { FormatReader } from './sink.ts';

/** Between two chunks: `cancelled` is asked before each, `progress` told after each. */
export interface FeedHooks {
  cancelled(): boolean;
  progress(storedBytesRead: number): void;
}

/**
 * Feed a capture's chunks (`first`, then the rest of `stream`) to a format reader until the end or
 * until the reader stops, then let it finish what was cut short. Returns the offset in the
 * (decompressed) capture where the reader stopped consuming.
 *
 * One working buffer for the whole read: each chunk is appended to the bytes the reader left over
 * (a record cut at the chunk's end), and the leftover moves to the front. Nothing is allocated per
 * chunk, so memory stays flat however long the file (it grows only for a record bigger than it).
 * Returns null when cancelled.
 */
export async function feed(reader: FormatReader, stream: ChunkStream, first: Uint8Array, chunkSize: number, hooks: FeedHooks): Promise<number | null> {
  let work = new Uint8Array(2 * chunkSize);
  let pending = 0;
  let base = 0;
  let chunk: Uint8Array | null = first;
  while (chunk) {
    if (hooks.cancelled()) return null;
    let data: Uint8Array;
    if (pending === 0) {
      data = chunk;
    } else {
      if (pending + chunk.length > work.length) work = resized(work, 2 * (pending + chunk.length), pending);
      work.set(chunk, pending);
      data = work.subarray(0, pending + chunk.length);
    }
    const consumed = reader.parse(data, base, false);
    base += consumed;
    pending = data.length - consumed;
    if (data.buffer === work.buffer) work.copyWithin(0, consumed, consumed + pending);
    else if (pending > 0) {
      if (pending > work.length) work = new Uint8Array(2 * pending);
      work.set(data.subarray(consumed), 0);
    }
    if (reader.stopped) break;
    hooks.progress(stream.storedBytesRead);
    chunk = await stream.next();
  }
  if (!reader.stopped) reader.parse(work.subarray(0, pending), base, true);
  return base;
}
