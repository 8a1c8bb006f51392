import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../core/capture/source.ts';

/** A ByteSource over a file on disk: the only place the core's input touches `fs`. */
export async function fileSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  const handle: FileHandle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    name: basename(path),
    size,
    async read(start, end) {
      const length = Math.max(0, Math.min(end, size) - start);
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await handle.read(buf, got, length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === length ? buf : buf.subarray(0, got);
    },
    async readInto(target, start) {
      let got = 0;
      while (got < target.length && start + got < size) {
        const { bytesRead } = await handle.read(target, got, target.length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got;
    },
    close: () => handle.close(),
  };
}
