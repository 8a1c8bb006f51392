/** Byte helpers shared by the capture writers and the export: chunked output, joining, text, times. */

/**
 * A growing byte output cut into chunks of about `chunkSize` bytes, so a writer can produce a file of
 * any size with only one chunk in memory. Completed chunks are either handed to `onChunk` at once
 * (push style) or kept until `take()` (pull style). A chunk handed out is never written again.
 */
export interface ChunkOptions {
  /** Bytes per chunk (default 1 MiB). A single item larger than this gets a chunk of its own size. */
  chunkSize?: number;
  /** Receives every completed chunk; without it chunks wait for `take()`. */
  onChunk?: (chunk: Uint8Array) => void;
}

export class ChunkedOutput {
  /** The current chunk; bytes [0, pos) are written. */
  buf: Uint8Array;
  view: DataView;
  pos = 0;
  /** Bytes handed out in completed chunks plus `pos`. */
  private flushed = 0;
  private readonly chunkSize: number;
  private readonly onChunk: ((chunk: Uint8Array) => void) | undefined;
  private ready: Uint8Array[] = [];

  constructor(options: ChunkOptions = {}) {
    this.chunkSize = options.chunkSize ?? 1 << 20;
    this.onChunk = options.onChunk;
    this.buf = new Uint8Array(this.chunkSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** Total bytes written so far. */
  get length(): number {
    return this.flushed + this.pos;
  }

  /** Makes room for `n` contiguous bytes at `buf[pos]`, completing the current chunk if needed. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.complete();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(Math.max(n, this.chunkSize));
      this.view = new DataView(this.buf.buffer);
    }
  }

  /** Appends bytes (any size). */
  write(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Completed chunks not yet taken (pull style). */
  take(): Uint8Array[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Completes the current chunk and returns every chunk not yet taken. */
  finish(): Uint8Array[] {
    this.complete();
    return this.take();
  }

  private complete(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.flushed += this.pos;
    this.buf = new Uint8Array(this.chunkSize);
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
    if (this.onChunk) this.onChunk(chunk);
    else this.ready.push(chunk);
  }
}

/** Concatenates chunks into one array. */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/**
 * Splits a time in whole seconds and nanoseconds (0..999,999,999) into the high and low 32-bit
 * halves of its count of nanoseconds, exactly, without a bigint: 1e9 = 512 * 1953125, and
 * sec * 1953125 stays below 2^53 for any 32-bit `sec`.
 */
export function splitNanos(sec: number, nsec: number): [hi: number, lo: number] {
  const x = sec * 1953125;
  const hi = Math.floor(x / 0x800000);
  const lo = (x - hi * 0x800000) * 512 + nsec;
  return lo >= 0x100000000 ? [hi + 1, lo - 0x100000000] : [hi, lo];
}

/** Splits a bigint nanosecond time into whole seconds and nanoseconds. */
export function secondsAndNanos(ns: bigint): [sec: number, nsec: number] {
  const sec = ns / 1_000_000_000n;
  return [Number(sec), Number(ns - sec * 1_000_000_000n)];
}

/**
 * UTF-8 bytes of a string. Written out because the core's library settings have no `TextEncoder`
 * type (it exists at run time in Node and browsers alike).
 */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** What the core needs of `TextDecoder` (the core's library settings have no DOM types). */
interface Utf8Decoder {
  decode(bytes: Uint8Array): string;
}
let decoder: Utf8Decoder | null = null;

/** Text of UTF-8 bytes; invalid sequences become U+FFFD. */
export function utf8Text(bytes: Uint8Array): string {
  decoder ??= new (globalThis as unknown as { TextDecoder: new (label: string) => Utf8Decoder }).TextDecoder('utf-8');
  return decoder.decode(bytes);
}
