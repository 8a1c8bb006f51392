import { describe, expect, it } from 'vitest';
import { capturesIn, readTestdata } from '../../../test/support/captures.ts';
import { analyze } from '../analyze.ts';
import { jsonReportChunks } from '../export/report-json.ts';
import { writePcapng } from './pcapng-writer.ts';
import { bytesSource } from './source.ts';

/** The JSON report of a capture read in chunks of `chunkSize` bytes (timings left out). */
async function reportIn(name: string, bytes: Uint8Array, chunkSize?: number): Promise<string> {
  const result = await analyze(bytesSource(name, bytes), chunkSize ? { chunkSize } : {});
  return [...jsonReportChunks(result)].join('');
}

describe('feed', () => {
  it('reads every lab and regression capture the same whatever the chunk size', async () => {
    let checked = 0;
    for (const folder of ['lab', 'regressions']) {
      for (const file of capturesIn(folder)) {
        const bytes = readTestdata(folder, file);
        const whole = await reportIn(file, bytes);
        // Chunks smaller than a record header, than a record, and a little over the join step.
        for (const size of [5, 61, 1500, 65536 + 7]) {
          if (size >= bytes.length) continue;
          expect(await reportIn(file, bytes, size), `${file} in chunks of ${size}`).toBe(whole);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('completes a record far larger than the join step across many chunks (pcapng)', async () => {
    // Frames of 200,000 bytes read in 10,000-byte chunks: each is joined over twenty chunks.
    const frame = (i: number) => ({ timestampNs: BigInt(i) * 1000n, data: new Uint8Array(200_000).fill(i) });
    const file = writePcapng([frame(1), frame(2), frame(3)], { interfaces: [{ tsresol: 9, linkType: 1 }] });
    const result = await analyze(bytesSource('big.pcapng', file), { chunkSize: 10_000 });
    expect(result.report.packets).toBe(3);
    expect(result.report.warnings).toEqual([]);
    expect(await reportIn('big.pcapng', file, 10_000)).toBe(await reportIn('big.pcapng', file));
  });
});
