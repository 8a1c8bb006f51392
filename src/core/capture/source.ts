/**
 * Where capture bytes come from. The same reader runs over a browser `Blob`, a Node file handle or
 * an in-memory array: each only has to hand out slices of bounded size.
 */
export interface ByteSource {
  readonly name: string;
  /** Size in bytes of the stored file (compressed size for a .gz). */
  readonly size: number;
  /** Bytes [start, end) of the stored file; shorter at the end of the file. */
  read(start: number, end: number): Promise<Uint8Array>;
  /**
   * Optional: fill `target` with the bytes from `start` on and return how many were read (fewer at
   * the end of the file). Lets a sequential reader reuse one buffer instead of allocating a slice
   * per step, which keeps a long read's memory flat.
   */
  readInto?(target: Uint8Array, start: number): Promise<number>;
}

/** A source over bytes already in memory (tests, links that carry packets). */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read: (start, end) => Promise.resolve(bytes.subarray(start, Math.min(end, bytes.length))),
  };
}

/** Minimal structural type of a browser/worker Blob, so the core needs no DOM library. */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** A source over a `Blob`/`File`; only the requested slice is ever loaded. */
export function blobSource(name: string, blob: BlobLike): ByteSource {
  return {
    name,
    size: blob.size,
    read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
  };
}
