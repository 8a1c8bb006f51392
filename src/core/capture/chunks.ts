import type { ByteSource } from './source.ts';

/**
 * The stored file as a sequence of bounded chunks: plain files are sliced, gzip files (magic 1f 8b,
 * RFC 1952) are inflated on the fly with the platform's DecompressionStream, so neither the file nor
 * its decompressed form is ever held whole.
 */
export interface ChunkStream {
  /** Next chunk, or null at the end. Valid until the next call (the stream may reuse its buffer). */
  next(): Promise<Uint8Array | null>;
  /** Bytes of the stored file consumed so far (compressed bytes for gzip). */
  readonly storedBytesRead: number;
  /** Set when the gzip stream ended early or was corrupt; data before that point was delivered. */
  readonly error: string | null;
  cancel(): void;
}

/**
 * A plain file in chunks, read one chunk ahead: while the caller parses a chunk, the next one is
 * already being read (into a second buffer when the source can fill one), so parsing rarely waits
 * for the disk. A chunk handed out stays untouched until the following `next` call, as promised.
 */
export function plainChunks(source: ByteSource, chunkSize: number): ChunkStream {
  /** End of the last chunk handed out (what `storedBytesRead` reports), and of the last read started. */
  let delivered = 0;
  let requested = 0;
  let cancelled = false;
  let ahead: { read: Promise<Uint8Array>; end: number } | null = null;
  const buffers: Uint8Array[] = [];
  let turn = 0;
  const start = (): { read: Promise<Uint8Array>; end: number } | null => {
    if (cancelled || requested >= source.size) return null;
    const from = requested;
    const end = Math.min(source.size, from + chunkSize);
    requested = end;
    let read: Promise<Uint8Array>;
    if (source.readInto) {
      const buffer = (buffers[turn] ??= new Uint8Array(chunkSize));
      turn ^= 1;
      read = source.readInto(buffer.subarray(0, end - from), from).then((n) => buffer.subarray(0, n));
    } else {
      read = source.read(from, end);
    }
    // A read still in flight when the stream is cancelled is never awaited: its failure is not news.
    read.catch(() => undefined);
    return { read, end };
  };
  return {
    get storedBytesRead() {
      return delivered;
    },
    error: null,
    async next() {
      const current = ahead ?? start();
      ahead = null;
      if (!current) return null;
      const chunk = await current.read;
      if (cancelled) return null;
      delivered = current.end;
      ahead = start();
      return chunk.length > 0 ? chunk : null;
    },
    cancel() {
      cancelled = true;
      ahead = null;
    },
  };
}

interface ReaderLike {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}
interface WriterLike {
  readonly ready: Promise<void>;
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
interface TransformLike {
  readable: { getReader(): ReaderLike };
  writable: { getWriter(): WriterLike };
}
type DecompressionCtor = new (format: 'gzip') => TransformLike;

/** Compressed bytes handed to the decompressor at a time (bounds what one failing write can take with it). */
const GZIP_PIECE = 16 * 1024;
/** Decompressed chunks are joined up to at least this size (or the chunk size, if smaller). */
const GZIP_MIN_CHUNK = 64 * 1024;

/**
 * A gzip file inflated on the fly. A decompression stream that fails (a cut or corrupt file) throws
 * away the output it still holds, so its output is read eagerly into our own queue, and input is
 * only fed (in small pieces, after the stream's backpressure clears) while that queue has room:
 * every byte inflated before the failure reaches the reader, and memory stays bounded.
 */
export function gzipChunks(source: ByteSource, chunkSize: number): ChunkStream {
  const Ctor = (globalThis as unknown as { DecompressionStream?: DecompressionCtor }).DecompressionStream;
  if (!Ctor) throw new Error('this platform cannot decompress gzip (no DecompressionStream)');
  const ds = new Ctor('gzip');
  const reader = ds.readable.getReader();
  const writer = ds.writable.getWriter();
  const queue: Uint8Array[] = [];
  const room = Math.max(chunkSize, GZIP_MIN_CHUNK) * 2;
  const want = Math.min(chunkSize, GZIP_MIN_CHUNK);
  let queued = 0;
  let storedPos = 0;
  let error: string | null = null;
  let ended = false;
  let cancelled = false;
  let wakeReader: (() => void) | null = null;
  let wakeFeeder: (() => void) | null = null;
  const wake = (): void => {
    const r = wakeReader;
    const f = wakeFeeder;
    wakeReader = wakeFeeder = null;
    r?.();
    f?.();
  };
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value && value.length > 0) {
          queue.push(value);
          queued += value.length;
          wake();
        }
      }
    } catch (e) {
      if (!cancelled) error ??= describeGzipError(e);
    }
    ended = true;
    wake();
  })();
  void (async () => {
    try {
      // Whole pieces per read, so the writes (and what a failing one takes with it) are the same
      // whatever the chunk size.
      const readSize = Math.ceil(chunkSize / GZIP_PIECE) * GZIP_PIECE;
      while (storedPos < source.size && !cancelled && !ended) {
        const chunk = await source.read(storedPos, Math.min(source.size, storedPos + readSize)).catch((e: unknown) => {
          // Say why, and end the stream: else the reading side waits for ever for more output.
          error ??= `the file could not be read past byte ${storedPos} (${e instanceof Error ? e.message : String(e)})`;
          void writer.abort().catch(() => undefined);
          return null;
        });
        if (!chunk || chunk.length === 0) break;
        for (let o = 0; o < chunk.length && !cancelled && !ended; o += GZIP_PIECE) {
          while (queued >= room && !cancelled && !ended) await new Promise<void>((r) => (wakeFeeder = r));
          const piece = chunk.subarray(o, Math.min(chunk.length, o + GZIP_PIECE));
          // A write that fails takes its own output with it (Node's zlib also inflates the last
          // write before close() with Z_FINISH and drops its output when the file is cut short).
          // The last 8 bytes (CRC-32 and size, RFC 1952 §2.3) go one by one, so neither a cut file
          // nor a bad checksum costs more than what its last byte decodes to.
          const tail = storedPos + piece.length === source.size ? Math.min(8, piece.length) : 0;
          const writes = [piece.subarray(0, piece.length - tail)];
          for (let i = piece.length - tail; i < piece.length; i++) writes.push(piece.subarray(i, i + 1));
          for (const w of writes) {
            if (w.length === 0 || cancelled || ended) continue;
            await writer.ready;
            await writer.write(w);
            storedPos += w.length;
          }
        }
      }
      if (!cancelled && !ended) {
        await writer.ready;
        await writer.close();
      }
    } catch {
      // The reading side reports the error.
    }
  })();
  return {
    get storedBytesRead() {
      return storedPos;
    },
    get error() {
      return error;
    },
    async next() {
      while (!cancelled && !ended && queued < want) await new Promise<void>((r) => (wakeReader = r));
      if (cancelled || queue.length === 0) return null;
      let n = 0;
      let k = 0;
      while (k < queue.length && n < want) n += queue[k++]!.length;
      const parts = queue.splice(0, k);
      queued -= n;
      wake();
      if (parts.length === 1) return parts[0]!;
      const out = new Uint8Array(n);
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    },
    cancel() {
      cancelled = true;
      wake();
      void reader.cancel().catch(() => undefined);
      void writer.abort().catch(() => undefined);
    },
  };
}

function describeGzipError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/unexpected end|premature|incomplete|truncat/i.test(msg)) return 'the gzip stream ends early (file cut short)';
  return `the gzip stream is corrupt (${msg})`;
}
