import type { ByteSource } from './source.ts';

/**
 * The stored file as a sequence of bounded chunks: plain files are sliced, gzip files (magic 1f 8b,
 * RFC 1952) are inflated on the fly with the platform's DecompressionStream, so neither the file nor
 * its decompressed form is ever held whole.
 */
export interface ChunkStream {
  /** Next chunk, or null at the end. */
  next(): Promise<Uint8Array | null>;
  /** Bytes of the stored file consumed so far (compressed bytes for gzip). */
  readonly storedBytesRead: number;
  /** Set when the gzip stream ended early or was corrupt; data before that point was delivered. */
  readonly error: string | null;
  cancel(): void;
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export function plainChunks(source: ByteSource, chunkSize: number): ChunkStream {
  let pos = 0;
  return {
    get storedBytesRead() {
      return pos;
    },
    error: null,
    async next() {
      if (pos >= source.size) return null;
      const end = Math.min(source.size, pos + chunkSize);
      const chunk = await source.read(pos, end);
      pos = end;
      return chunk.length > 0 ? chunk : null;
    },
    cancel() {
      pos = source.size;
    },
  };
}

interface ReaderLike {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}
interface WriterLike {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
interface TransformLike {
  readable: { getReader(): ReaderLike };
  writable: { getWriter(): WriterLike };
}
type DecompressionCtor = new (format: 'gzip') => TransformLike;

export function gzipChunks(source: ByteSource, chunkSize: number): ChunkStream {
  const Ctor = (globalThis as unknown as { DecompressionStream?: DecompressionCtor }).DecompressionStream;
  if (!Ctor) throw new Error('this platform cannot decompress gzip (no DecompressionStream)');
  const ds = new Ctor('gzip');
  const reader = ds.readable.getReader();
  const writer = ds.writable.getWriter();
  let storedPos = 0;
  let error: string | null = null;
  let cancelled = false;
  // Feed the compressed file in the background, one chunk at a time, with backpressure.
  const feeding = (async () => {
    try {
      while (storedPos < source.size && !cancelled) {
        const end = Math.min(source.size, storedPos + chunkSize);
        const chunk = await source.read(storedPos, end);
        storedPos = end;
        await writer.write(chunk);
      }
      if (!cancelled) await writer.close();
    } catch {
      // The reader side reports the error.
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
      if (cancelled) return null;
      try {
        const { done, value } = await reader.read();
        if (done || !value) {
          await feeding;
          return null;
        }
        return value;
      } catch (e) {
        error = describeGzipError(e);
        return null;
      }
    },
    cancel() {
      cancelled = true;
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
