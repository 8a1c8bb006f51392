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

export async function readRangeTask(source: ByteSource, job: RangeJob, task: RangeTask): Promise<RangeDone> {
  const first = task.index === 0;
  const sink = new PackingSink(first ? [] : job.interfaces);
  const start = first ? 0 : await findRangeStart(source, task.from, job.preamble);
  let reader: RangeReader;
  if (first) reader = job.preamble.kind === 'pcap' ? new PcapReader(sink) : new PcapngReader(sink);
  else reader = resumeReader(sink, { ...job.preamble, frameNo: 0 });
  reader.limit = task.limit;
  let end: RangeEnd = { stop: start, eof: false, stopped: false };
  if (start >= 0) {
    end = await readRange(source, reader, start, job.chunkSize, (bytes) => sink.window(bytes), () => !sink.sharedLink && (first || sink.warnings === 0));
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
