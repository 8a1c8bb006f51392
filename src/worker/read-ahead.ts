/**
 * A dropped file read ahead: a Blob read in the worker costs a round trip to the browser's file
 * thread per slice, and the analysis waits for each one unless several are on their way. This source
 * notices a sequential reader (each read starting where the one before ended, of the same length)
 * and keeps the next `ahead` slices of that length in flight, so the parser finds each one there.
 * Any other read (a header, a frame read back) is a plain slice and drops what was read ahead; reads
 * shorter than `minAhead` (the format sniffing its first bytes) never start any.
 */
import type { BlobLike, ByteSource } from '../core/capture/source.ts';

/** Reads shorter than this are not a sequential reader's chunks. */
const MIN_AHEAD = 1 << 20;

interface Pending {
  start: number;
  end: number;
  bytes: Promise<Uint8Array>;
}

export function readAheadSource(name: string, blob: BlobLike, ahead: number, minAhead = MIN_AHEAD): ByteSource {
  const size = blob.size;
  let queue: Pending[] = [];
  const slice = (start: number, end: number): Promise<Uint8Array> => {
    const bytes = blob
      .slice(start, end)
      .arrayBuffer()
      .then((b) => new Uint8Array(b));
    // A slice read ahead and then dropped is never awaited: its failure is not news.
    bytes.catch(() => undefined);
    return bytes;
  };
  return {
    name,
    size,
    read(start, end) {
      const to = Math.min(end, size);
      const head = queue[0];
      let bytes: Promise<Uint8Array>;
      if (head && head.start === start && head.end === to) {
        queue.shift();
        bytes = head.bytes;
      } else {
        queue = [];
        bytes = slice(start, to);
      }
      // Keep the following slices of this length on their way.
      const length = end - start;
      let from = queue.length > 0 ? queue[queue.length - 1]!.end : to;
      while (length >= minAhead && queue.length < ahead && from < size) {
        const until = Math.min(size, from + length);
        queue.push({ start: from, end: until, bytes: slice(from, until) });
        from = until;
      }
      return bytes;
    },
  };
}
