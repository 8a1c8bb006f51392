/**
 * What one worker thread does with one range of a capture (the same function runs in a Node worker
 * thread, a Web Worker, or in process for the tests): find where the range's records begin, read
 * them with a reader resumed from the state after the file's leading headers, decode and pack them.
 */
import { PcapReader } from '../capture/pcap.ts';
import { PcapngReader } from '../capture/pcapng.ts';
import { findRangeStart, readRange, resumeReader, type RangeEnd } from '../capture/ranges.ts';
import type { RangeReader } from '../capture/sink.ts';
import type { ByteSource } from '../capture/source.ts';
import { PackingSink } from './packed.ts';
import type { RangeDone, RangeJob, RangeTask } from './protocol.ts';

/**
 * `spare`: buffers of earlier windows given back by the analysis, reused for this range's windows
 * (so a long read does not allocate, and collect, a window every few megabytes).
 */
/** Room past a chunk in a new window buffer, for the rest of the record the last window cut. */
const WINDOW_SLACK = 64 * 1024;

export async function readRangeTask(source: ByteSource, job: RangeJob, task: RangeTask, spare: ArrayBuffer[] = []): Promise<RangeDone> {
  const first = task.index === 0;
  const sink = new PackingSink(first ? [] : job.interfaces);
  const start = first ? 0 : await findRangeStart(source, task.from, job.preamble);
  let reader: RangeReader;
  if (first) reader = job.preamble.kind === 'pcap' ? new PcapReader(sink) : new PcapngReader(sink);
  else reader = resumeReader(sink, { ...job.preamble, frameNo: 0 });
  reader.limit = task.limit;
  let end: RangeEnd = { stop: start, eof: false, stopped: false };
  if (start >= 0) {
    const alloc = (n: number): Uint8Array => {
      const i = spare.findIndex((b) => b.byteLength >= n);
      if (i < 0) return new Uint8Array(new ArrayBuffer(Math.max(n, job.chunkSize + WINDOW_SLACK)), 0, n);
      return new Uint8Array(spare.splice(i, 1)[0]!, 0, n);
    };
    end = await readRange(source, reader, start, job.chunkSize, (bytes) => sink.window(bytes), () => !sink.sharedLink && (first || sink.warnings === 0), alloc);
  }
  const ng = reader instanceof PcapngReader ? reader : null;
  return {
    index: task.index,
    start,
    end,
    state: reader.snapshot(),
    warnings: sink.warnings,
    sharedLink: sink.sharedLink,
    borrowedTime: ng?.borrowedTime ?? false,
    timed: ng?.timed ?? false,
    frames: sink.finish(),
  };
}
