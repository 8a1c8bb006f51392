/**
 * A dropped file read in chunks into a few buffers that go round: `localReader` fills each buffer
 * lent back with the next chunk through a BYOB reader over that chunk's slice, several chunks ahead
 * (a pipe each, which the browser fills while the parser works), so no fresh 16 MiB buffer per chunk
 * is allocated, faulted in and collected (a third of the worker's time reading a 1 GB file as
 * `slice().arrayBuffer()` went there).
 *
 * The analysis side (`chunkedSource`) hands chunk i out as a view of its buffer and gives the buffer
 * back once chunk i + 2 is asked for: the analysis' sequential reader holds at most the chunk it
 * parses and the one read ahead (core/capture/chunks.ts: a chunk is valid until the next one is
 * taken). Any other read (the format's first bytes, a read out of order) is a plain slice of the
 * Blob, and a reader that fails leaves plain slices for the rest.
 */
import type { BlobLike, ByteSource } from '../core/capture/source.ts';

/** What the reader says: chunk `index` in `buffer` (its first `length` bytes), or why it stopped. */
export type ReaderMessage = { index: number; buffer: ArrayBuffer; length: number } | { error: string };

/** The analysis side's end of a reader (`localReader`; tests put their own in between). */
export interface ReaderChannel {
  /** Called once, before any message is delivered. */
  listen(onMessage: (m: ReaderMessage) => void): void;
  /** A buffer the analysis is done with, to fill again. */
  recycle(buffer: ArrayBuffer): void;
  /** No more chunks are wanted (cancels the reads on their way). */
  close(): void;
}

export interface ChunkedSource extends ByteSource {
  /** Stops the reader; later reads are plain slices. */
  close(): void;
}

export function chunkedSource(name: string, blob: BlobLike, chunkSize: number, channel: ReaderChannel): ChunkedSource {
  const size = blob.size;
  const chunks = Math.ceil(size / chunkSize);
  /** Chunks arrived and not yet asked for. */
  const arrived = new Map<number, Uint8Array>();
  /** Chunks handed out, whose buffers go back to the reader two chunks later. */
  const handed = new Map<number, ArrayBuffer>();
  let waiting: { index: number; resolve: (bytes: Uint8Array | null) => void } | null = null;
  /** The next chunk the reader can still give (asked for in order from here). */
  let next = 0;
  let closed = false;
  const slice = (start: number, end: number): Promise<Uint8Array> =>
    blob
      .slice(start, end)
      .arrayBuffer()
      .then((b) => new Uint8Array(b));
  const stop = (): void => {
    if (closed) return;
    closed = true;
    arrived.clear();
    handed.clear();
    channel.close();
    // Whoever waits for a chunk reads it as a plain slice.
    const w = waiting;
    waiting = null;
    w?.resolve(null);
  };
  channel.listen((m) => {
    if (closed) return;
    if ('error' in m) {
      stop();
      return;
    }
    const bytes = new Uint8Array(m.buffer, 0, m.length);
    if (waiting?.index === m.index) {
      const w = waiting;
      waiting = null;
      w.resolve(bytes);
    } else if (m.index >= next) arrived.set(m.index, bytes);
    else channel.recycle(m.buffer);
  });
  const give = (index: number): void => {
    const buffer = handed.get(index);
    if (buffer === undefined) return;
    handed.delete(index);
    channel.recycle(buffer);
  };
  const chunk = async (index: number): Promise<Uint8Array | null> => {
    // Chunks skipped over go back to the reader unread; the one two before this is done with.
    for (let i = next; i < index; i++) {
      const skipped = arrived.get(i);
      arrived.delete(i);
      if (skipped) channel.recycle(skipped.buffer as ArrayBuffer);
    }
    next = index + 1;
    for (const i of [...handed.keys()]) if (i <= index - 2) give(i);
    const bytes = arrived.get(index) ?? (await new Promise<Uint8Array | null>((resolve) => (waiting = { index, resolve })));
    arrived.delete(index);
    if (bytes && !closed) handed.set(index, bytes.buffer as ArrayBuffer);
    return bytes;
  };
  return {
    name,
    size,
    async read(start, end) {
      const to = Math.min(end, size);
      const index = start / chunkSize;
      const isChunk = Number.isInteger(index) && index < chunks && to === Math.min(size, start + chunkSize);
      if (!closed && isChunk && index >= next) {
        const bytes = await chunk(index);
        if (bytes) return bytes;
      }
      return slice(start, to);
    },
    close: stop,
  };
}

/** A BYOB read that gives no byte for about this long is given up (see `localReader`). */
const STALL_MS = 1000;

/**
 * Reads `file` ahead in chunks of `chunkSize` bytes (the last one shorter) into `buffers` buffers
 * lent in turn: every buffer not lent out is being filled with the next chunk, each through a BYOB
 * reader over that chunk's slice (a pipe of its own, which the browser fills while the parser
 * works), and the chunks are handed over in order. Where the platform has no BYOB reader, a chunk is
 * read as a slice into a buffer of its own instead.
 */
export function localReader(file: Blob, chunkSize: number, buffers: number): ReaderChannel {
  const chunks = Math.ceil(file.size / chunkSize);
  const free: ArrayBuffer[] = [];
  let made = 0;
  let next = 0;
  let delivered = 0;
  let closed = false;
  const done = new Map<number, ReaderMessage>();
  const readers = new Set<ReadableStreamBYOBReader>();
  let byob = true;
  let onMessage: (m: ReaderMessage) => void = () => undefined;
  const deliver = (): void => {
    for (let m = done.get(delivered); m !== undefined && !closed; m = done.get(delivered)) {
      done.delete(delivered++);
      onMessage(m);
    }
  };
  const fill = async (index: number, buffer: ArrayBuffer): Promise<ReaderMessage> => {
    const from = index * chunkSize;
    const want = Math.min(chunkSize, file.size - from);
    const slice = file.slice(from, from + want);
    let reader: ReadableStreamBYOBReader | null = null;
    try {
      if (byob) reader = slice.stream().getReader({ mode: 'byob' });
    } catch {
      // No byte stream here: the slice's own buffer.
    }
    let length = 0;
    if (reader && byob) {
      readers.add(reader);
      // Chromium's Blob streams now and then stop giving bytes for good (their pending read never
      // settles): a read that has not moved for a while is given up, and this chunk and the rest of
      // the file read as slices.
      let stalled: () => void = () => undefined;
      const stall = new Promise<null>((resolve) => (stalled = () => resolve(null)));
      let seen = -1;
      const watch = setInterval(() => {
        if (length === seen) stalled();
        seen = length;
      }, STALL_MS / 2);
      let gaveUp = false;
      try {
        while (length < want && !closed) {
          const r = await Promise.race([reader.read(new Uint8Array(buffer, length, want - length)), stall]);
          if (r === null) {
            gaveUp = true;
            break;
          }
          if (r.value) buffer = r.value.buffer as ArrayBuffer;
          if (r.done || !r.value) break;
          length += r.value.length;
        }
      } finally {
        clearInterval(watch);
        readers.delete(reader);
        if (gaveUp) void reader.cancel().catch(() => undefined);
        else reader.releaseLock();
      }
      if (gaveUp && !closed) {
        // The buffer went with the read that never came back: the chunk in a buffer of its own.
        byob = false;
        buffer = await slice.arrayBuffer();
        length = buffer.byteLength;
      }
    } else {
      buffer = await slice.arrayBuffer();
      length = buffer.byteLength;
    }
    // A file that changed size under us: the analysis reads what is left as plain slices.
    if (length < want && !closed) throw new Error(`the file ended after ${from + length} of ${file.size} bytes`);
    return { index, buffer, length };
  };
  const pump = (): void => {
    // The first chunk alone, so the first rows come as soon as they can; then the others.
    while (!closed && next < chunks && (next === 0 || delivered > 0)) {
      const buffer = free.pop() ?? (made < buffers ? (made++, new ArrayBuffer(chunkSize)) : null);
      if (!buffer) return;
      const index = next++;
      fill(index, buffer).then(
        (m) => {
          done.set(index, m);
          deliver();
          if (index === 0) pump();
        },
        (e: unknown) => {
          if (closed) return;
          closed = true;
          onMessage({ error: e instanceof Error ? e.message : String(e) });
        },
      );
    }
  };
  return {
    listen(f) {
      onMessage = f;
      pump();
    },
    recycle(buffer) {
      if (buffer.byteLength >= chunkSize) free.push(buffer);
      else made--;
      pump();
    },
    close() {
      closed = true;
      done.clear();
      for (const r of readers) void r.cancel().catch(() => undefined);
    },
  };
}
