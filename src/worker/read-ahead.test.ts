import { describe, expect, it } from 'vitest';
import { analyze } from '../core/analyze.ts';
import { blobSource } from '../core/capture/source.ts';
import { readAheadSource } from './read-ahead.ts';

const MB = 1 << 20;

/** A Blob that records every slice read from it. */
function recordingBlob(bytes: Uint8Array) {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  const slices: [number, number][] = [];
  return {
    slices,
    blob: {
      size: blob.size,
      slice(start?: number, end?: number) {
        slices.push([start ?? 0, end ?? blob.size]);
        return blob.slice(start, end);
      },
    },
  };
}

/** Byte for byte equal (vitest's deep equality walks a megabyte element by element). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 12)) & 0xff;
  return b;
}

describe('readAheadSource', () => {
  it('gives the same bytes as plain slices, read in order, with the next slices already asked for', async () => {
    const bytes = pattern(5 * MB + 123);
    const { blob, slices } = recordingBlob(bytes);
    const source = readAheadSource('x.pcap', blob, 2);
    const first = await source.read(0, MB);
    expect(same(first, bytes.subarray(0, MB))).toBe(true);
    // The next two slices of the same length were started with the first.
    expect(slices).toEqual([
      [0, MB],
      [MB, 2 * MB],
      [2 * MB, 3 * MB],
    ]);
    for (let at = MB; at < bytes.length; at += MB) {
      expect(same(await source.read(at, at + MB), bytes.subarray(at, Math.min(bytes.length, at + MB)))).toBe(true);
    }
    // Each slice was read once, none past the end.
    expect(slices.map(([s]) => s)).toEqual([0, 1, 2, 3, 4, 5].map((k) => k * MB));
    expect(slices.at(-1)).toEqual([5 * MB, 5 * MB + 123]);
  });

  it('answers a read elsewhere (and short reads) with a slice of its own, and starts no read-ahead for short ones', async () => {
    const bytes = pattern(4 * MB);
    const { blob, slices } = recordingBlob(bytes);
    const source = readAheadSource('x.pcap', blob, 3);
    expect(await source.read(0, 2)).toEqual(bytes.subarray(0, 2));
    expect(slices).toEqual([[0, 2]]);
    await source.read(0, MB);
    expect(await source.read(3 * MB + 5, 3 * MB + 10)).toEqual(bytes.subarray(3 * MB + 5, 3 * MB + 10));
    // The sequence goes on where it was, read again.
    expect(same(await source.read(MB, 2 * MB), bytes.subarray(MB, 2 * MB))).toBe(true);
  });

  it('leaves the analysis as it is over a plain Blob source', async () => {
    const { readFile } = await import('node:fs/promises');
    const file = new Uint8Array(await readFile(new URL('../../public/demo/demo.pcap', import.meta.url)));
    const blob = new Blob([file]);
    const plain = await analyze(blobSource('demo.pcap', blob));
    const ahead = await analyze(readAheadSource('demo.pcap', blob, 3, 4096), { chunkSize: 4096 });
    expect(ahead.report).toEqual(plain.report);
    expect([...ahead.connections.heads()]).toEqual([...plain.connections.heads()]);
  });
});
