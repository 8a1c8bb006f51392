import { resized } from '../model/columns.ts';
import type { ChunkStream } from './chunks.ts';
import type { FormatReader } from './sink.ts';

/** Between two chunks: `cancelled` is asked before each, `progress` told after each. */
export interface FeedHooks {
  cancelled(): boolean;
  progress(storedBytesRead: number): void;
}

/** Bytes of a new chunk first joined to a record left over from the chunk before (doubled as needed). */
const JOIN_BYTES = 64 * 1024;

/**
 * Feed a capture's chunks (`first`, then the rest of `stream`) to a format reader until the end or
 * until the reader stops, then let it finish what was cut short. Returns the offset in the
 * (decompressed) capture where the reader stopped consuming.
 *
 * Each chunk is parsed where it lies. A record cut at a chunk's end is kept in one working buffer
 * and completed with the start of the next chunk (as much as it takes, not the whole chunk); the
 * rest of that chunk is then parsed in place. So the bytes are not copied again, nothing is
 * allocated per chunk, and memory stays flat however long the file (the working buffer grows only
 * for a record bigger than it). Returns null when cancelled.
 */
export async function feed(reader: FormatReader, stream: ChunkStream, first: Uint8Array, chunkSize: number, hooks: FeedHooks): Promise<number | null> {
  let work = new Uint8Array(Math.max(2 * JOIN_BYTES, Math.min(2 * chunkSize, 1 << 20)));
  /** Bytes at the start of `work` the reader has not consumed yet (a cut record). */
  let pending = 0;
  let base = 0;
  let chunk: Uint8Array | null = first;
  while (chunk) {
    if (hooks.cancelled()) return null;
    /** Where the chunk's bytes not yet handed to the reader start. */
    let at = 0;
    let take = JOIN_BYTES;
    while (pending > 0 && at < chunk.length && !reader.stopped) {
      // Complete the cut record in `work` with the next bytes of the chunk.
      const n = Math.min(take, chunk.length - at);
      if (pending + n > work.length) work = resized(work, 2 * (pending + n), pending);
      work.set(chunk.subarray(at, at + n), pending);
      at += n;
      const joined = pending + n;
      const consumed = reader.parse(work.subarray(0, joined), base, false);
      base += consumed;
      const left = joined - consumed;
      if (left <= n) {
        // What is left came from the chunk: parse it where it lies instead.
        at -= left;
        pending = 0;
      } else {
        work.copyWithin(0, consumed, joined);
        pending = left;
        take *= 2;
      }
    }
    if (pending === 0 && at < chunk.length && !reader.stopped) {
      const data = at === 0 ? chunk : chunk.subarray(at);
      const consumed = reader.parse(data, base, false);
      base += consumed;
      pending = data.length - consumed;
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
