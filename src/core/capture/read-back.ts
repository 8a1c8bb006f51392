/**
 * Reading bytes of an analysed capture back from its file, by their offset in the (decompressed)
 * capture, as the packet table records them: plain files are read where asked, gzip files are
 * inflated front to back.
 */
import type { ChunkStream } from './chunks.ts';
import { openChunks } from './sniff.ts';
import type { ByteSource } from './source.ts';

/**
 * Reads ranges of the (decompressed) file at offsets that never go backwards. Plain files are read
 * in windows of at least `window` bytes around what is asked; gzip files are inflated once.
 */
export class ForwardReader {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  private ended = false;

  private constructor(
    private readonly source: ByteSource,
    private readonly stream: ChunkStream | null,
    private readonly window: number,
  ) {}

  static async open(source: ByteSource, window = 1 << 20): Promise<ForwardReader> {
    const { stream, compressed } = await openChunks(source, 1 << 20);
    if (!compressed) stream.cancel();
    return new ForwardReader(source, compressed ? stream : null, window);
  }

  /** Bytes [offset, offset + length) of the capture, fewer at its end. Valid until the next call. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = offset + length;
    if (!this.stream) {
      if (offset < this.bufStart || end > this.bufStart + this.buf.length) {
        this.bufStart = offset;
        this.buf = await this.source.read(offset, Math.min(this.source.size, Math.max(end, offset + this.window)));
      }
      return this.buf.subarray(offset - this.bufStart, Math.min(this.buf.length, end - this.bufStart));
    }
    if (offset < this.bufStart) throw new Error(`read-back went backwards (${offset} < ${this.bufStart})`);
    const drop = Math.min(this.buf.length, offset - this.bufStart);
    this.buf = this.buf.subarray(drop);
    this.bufStart += drop;
    // Inflate until the range is in; the stream position is always bufStart + buf.length.
    while (!this.ended && this.bufStart + this.buf.length < end) {
      const chunk = await this.stream.next();
      if (!chunk) {
        this.ended = true;
        break;
      }
      const pos = this.bufStart + this.buf.length;
      if (pos + chunk.length <= offset) {
        this.bufStart = pos + chunk.length;
      } else if (pos < offset) {
        this.buf = chunk.slice(offset - pos);
        this.bufStart = offset;
      } else {
        const merged = new Uint8Array(this.buf.length + chunk.length);
        merged.set(this.buf, 0);
        merged.set(chunk, this.buf.length);
        this.buf = merged;
      }
    }
    return this.buf.subarray(offset - this.bufStart, Math.max(0, Math.min(this.buf.length, end - this.bufStart)));
  }

  close(): void {
    this.stream?.cancel();
  }
}

/** Bytes [offset, offset + length) of the capture in `source` (fewer at its end), read once. */
export async function readBack(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const reader = await ForwardReader.open(source, length);
  try {
    return (await reader.read(offset, length)).slice();
  } finally {
    reader.close();
  }
}
