import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../core/analyze.ts';
import { blobSource } from '../core/capture/source.ts';
import { chunkedSource, localReader, type ReaderChannel, type ReaderMessage } from './file-chunks.ts';

const MB = 1 << 20;

function pattern(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 12)) & 0xff;
  return b;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A reader whose messages are recorded on their way, and which can be made to fail at a chunk. */
function inProcessReader(file: Blob, chunkSize: number, buffers: number, options: { failAt?: number } = {}) {
  const log = { posted: [] as number[], recycled: 0, closed: false, inFlightMax: 0 };
  const inner = localReader(file, chunkSize, buffers);
  let inFlight = 0;
  const channel: ReaderChannel = {
    listen(onMessage) {
      inner.listen((m: ReaderMessage) => {
        if ('index' in m) {
          if (m.index === options.failAt) {
            onMessage({ error: 'the disk went away' });
            return;
          }
          log.posted.push(m.index);
          log.inFlightMax = Math.max(log.inFlightMax, ++inFlight);
        }
        onMessage(m);
      });
    },
    recycle(buffer) {
      log.recycled++;
      inFlight--;
      inner.recycle(buffer);
    },
    close() {
      log.closed = true;
      inner.close();
    },
  };
  return { channel, log };
}

describe('chunkedSource over localReader', () => {
  it('gives every chunk in order as a plain slice would, with a bounded number of buffers going round', async () => {
    const bytes = pattern(9 * MB + 321);
    const file = new Blob([bytes]);
    const { channel, log } = inProcessReader(file, MB, 4);
    const source = chunkedSource('x.pcap', file, MB, channel);
    // The format's first bytes: a slice, not a chunk.
    expect(same(await source.read(0, 2), bytes.subarray(0, 2))).toBe(true);
    const held: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += MB) {
      const chunk = await source.read(at, at + MB);
      expect(same(chunk, bytes.subarray(at, Math.min(bytes.length, at + MB)))).toBe(true);
      // The chunk before this one is still intact when this one is handed out (the reader parses one
      // while holding the next).
      if (held.length > 0) expect(same(held.at(-1)!, bytes.subarray(at - MB, at))).toBe(true);
      held.push(chunk);
    }
    expect(log.posted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(log.inFlightMax).toBeLessThanOrEqual(4);
    expect(log.recycled).toBeGreaterThanOrEqual(6);
    source.close();
    expect(log.closed).toBe(true);
  });

  it('answers reads out of order, and every read after the reader failed, with slices', async () => {
    const bytes = pattern(6 * MB);
    const file = new Blob([bytes]);
    const { channel, log } = inProcessReader(file, MB, 3, { failAt: 3 });
    const source = chunkedSource('x.pcap', file, MB, channel);
    expect(same(await source.read(0, MB), bytes.subarray(0, MB))).toBe(true);
    // Back to an earlier place, and an unaligned read: slices.
    expect(same(await source.read(10, 20), bytes.subarray(10, 20))).toBe(true);
    expect(same(await source.read(0, MB), bytes.subarray(0, MB))).toBe(true);
    // Chunk 2 skipped over; chunk 3 never comes (the reader fails): a slice.
    expect(same(await source.read(3 * MB, 4 * MB), bytes.subarray(3 * MB, 4 * MB))).toBe(true);
    expect(log.closed).toBe(true);
    expect(same(await source.read(4 * MB, 5 * MB), bytes.subarray(4 * MB, 5 * MB))).toBe(true);
  });

  it('gives up a stream that stops giving bytes, and reads that chunk and the rest as slices', async () => {
    const bytes = pattern(6 * MB);
    const file = new Blob([bytes]);
    // The third chunk's stream never answers (as Chromium's Blob streams sometimes do).
    let streams = 0;
    const stalling = {
      size: file.size,
      slice(start?: number, end?: number) {
        const part = file.slice(start, end);
        if (start !== 2 * MB) {
          const stream = part.stream.bind(part);
          return Object.assign(part, { stream: () => (streams++, stream()) });
        }
        return Object.assign(part, {
          stream: () => ({ getReader: () => ({ read: () => new Promise(() => undefined), cancel: () => Promise.resolve(), releaseLock() {} }) }),
        });
      },
    } as unknown as Blob;
    // Two buffers: chunk 2 starts once chunk 0 is done with, and chunk 3 only after chunk 2 came.
    const source = chunkedSource('x.pcap', stalling, MB, localReader(stalling, MB, 2));
    for (let at = 0; at < bytes.length; at += MB) expect(same(await source.read(at, at + MB), bytes.subarray(at, at + MB))).toBe(true);
    // Chunks 0 and 1 were read as streams; after chunk 2 stalled, none was.
    expect(streams).toBe(2);
    source.close();
  });

  it('leaves the analysis as it is over a plain Blob source, plain or gzip-compressed', async () => {
    const bytes = new Uint8Array(await readFile(new URL('../../public/demo/demo.pcap', import.meta.url)));
    // Stored without compression, so the gzip file has as many chunks as the plain one (the gzip
    // reader asks for whole 16 KiB pieces).
    for (const stored of [bytes, new Uint8Array(gzipSync(bytes, { level: 0 }))]) {
      const file = new Blob([stored]);
      const plain = await analyze(blobSource('demo.pcap', file));
      const { channel, log } = inProcessReader(file, 16384, 3);
      const chunked = await analyze(chunkedSource('demo.pcap', file, 16384, channel), { chunkSize: 16384 });
      expect(chunked.report).toEqual(plain.report);
      expect([...chunked.connections.heads()]).toEqual([...plain.connections.heads()]);
      // The chunks came from the reader, its three buffers going round (more chunks than buffers).
      expect(log.posted.length).toBeGreaterThan(3);
      expect(log.posted).toEqual([...log.posted.keys()]);
    }
  });
});
