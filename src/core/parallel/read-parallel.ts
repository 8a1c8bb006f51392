/**
 * Reading a capture on every core: the file is cut into byte ranges (capture/ranges.ts), worker
 * threads read and decode them (range-task.ts), and this thread takes their frames in file order
 * and tracks them (packed.ts), checking that each range began where the one before it ended, in the
 * same reader state; a range that did not (a boundary guessed wrong, a section or interface block
 * in an earlier range, a warning whose frame number a worker cannot know) is read again here, from
 * where the previous one ended. The result is that of a single-threaded read, always.
 */
import { findValidBlock, SHB_TYPE, BYTE_ORDER_MAGIC, BlockType } from '../capture/pcapng.ts';
import { rangeLimits, readRange, resumeReader, sameLayout } from '../capture/ranges.ts';
import type { ReaderState } from '../capture/reader-state.ts';
import type { FrameRecord, RecordSink } from '../capture/sink.ts';
import { pickReader } from '../capture/sniff.ts';
import type { ByteSource } from '../capture/source.ts';
import type { InterfaceInfo, Warning } from '../model/types.ts';
import { parseSharedLink } from '../export/shared-link.ts';
import { replayRange, type ReplaySink } from './packed.ts';
import type { RangeDone, RangeJob, RangeRunner, RangeTask } from './protocol.ts';
import { readRangeTask } from './range-task.ts';

/** Bytes of one range when the file is larger than a range per thread. */
const RANGE_BYTES = 16 * 1024 * 1024;

export interface ParallelHooks {
  chunkSize: number;
  cancelled(): boolean;
  progress(bytesRead: number): void;
  /** Range limits to use instead of the default cut (tests split at chosen offsets). */
  limits?: number[];
}

/** How a parallel read ended: cancelled, or where the last reader stopped. */
export type ParallelRead = {
  format: 'pcap' | 'pcapng';
  stop: number;
  /** Ranges taken from the threads, and ranges read again here. */
  ranges: number;
  reread: number;
} | 'cancelled';

/**
 * The leading headers of the file, read from `first` (its first bytes): the reader state after
 * them, the interfaces they announce and where records begin. Null when the file does not start as
 * the readers expect, or holds anything else there (the single-threaded read then says why).
 */
export function readPreamble(first: Uint8Array): { state: ReaderState; interfaces: InterfaceInfo[]; end: number } | null {
  const interfaces: InterfaceInfo[] = [];
  let trouble = false;
  const sink: RecordSink = {
    frame: (_r: FrameRecord) => (trouble = true),
    interface: (info: InterfaceInfo) => interfaces.push(info),
    warning: (_w: Warning) => (trouble = true),
    // A shared connection numbers its frames from their comments: read by one thread.
    sectionComment: (text: string) => {
      if (parseSharedLink(text) !== null) trouble = true;
      return false;
    },
  };
  try {
    const reader = pickReader(first, sink);
    const end = reader.format === 'pcap' ? 24 : leadingBlocksEnd(first);
    if (end <= 0 || end >= first.length) return null;
    reader.limit = end;
    const consumed = reader.parse(first, 0, false);
    if (trouble || !reader.atLimit || consumed !== end) return null;
    return { state: reader.snapshot(), interfaces, end };
  } catch {
    return null;
  }
}

/** Where the pcapng file's leading Section Header and Interface Description Blocks end. */
function leadingBlocksEnd(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || view.getUint32(0, true) !== SHB_TYPE) return -1;
  const little = view.getUint32(8, true) === BYTE_ORDER_MAGIC;
  let pos = 0;
  while (pos + 12 <= bytes.length) {
    if (findValidBlock(view, pos, bytes.length, true, little) !== pos) return -1;
    const type = view.getUint32(pos, little);
    if (pos > 0 && type !== BlockType.IDB) break;
    pos += view.getUint32(pos + 4, little);
  }
  return pos;
}

/**
 * Read the file's frames into `sink` with `runner`'s threads. Null when the file does not lend
 * itself (its first bytes are not the headers the readers know): read it single-threaded then.
 */
export async function readInParallel(
  source: ByteSource, first: Uint8Array, sink: ReplaySink, runner: RangeRunner, hooks: ParallelHooks,
): Promise<ParallelRead | null> {
  const preamble = readPreamble(first);
  if (!preamble) return null;
  const count = Math.max(runner.threads, Math.ceil((source.size - preamble.end) / RANGE_BYTES));
  const limits = hooks.limits ?? rangeLimits(source.size, preamble.end, count);
  const tasks: RangeTask[] = [];
  for (let k = 0; k <= limits.length; k++) {
    tasks.push({ index: k, from: k === 0 ? 0 : limits[k - 1]!, limit: limits[k] ?? Infinity });
  }
  const job: RangeJob = { size: source.size, chunkSize: hooks.chunkSize, preamble: preamble.state, interfaces: preamble.interfaces };
  const session = runner.open(job, tasks);
  const format = preamble.state.kind;
  let stop = 0;
  let state: ReaderState = preamble.state;
  let ranges = 0;
  let reread = 0;
  try {
    for (const task of tasks) {
      if (hooks.cancelled()) return 'cancelled';
      const done = await session.result(task.index);
      // Nothing is tracked yet: the file is read by one thread.
      if (task.index === 0 && done.sharedLink) return null;
      if (task.index === 0 || follows(done, stop, state, preamble.state)) {
        replayRange(sink, done.frames);
        session.recycle?.(done.frames.windows.map((w) => w.bytes.buffer as ArrayBuffer));
        ranges++;
        state = task.index === 0 ? done.state : carried(state, done);
        stop = done.end.stop;
        if (done.end.eof || done.end.stopped) break;
      } else {
        // Read again here, from where the previous range ended, in the state it ended in.
        reread++;
        const reader = resumeReader(sink, state);
        reader.limit = task.limit;
        const end = await readRange(source, reader, stop, hooks.chunkSize, undefined, () => !hooks.cancelled());
        if (hooks.cancelled()) return 'cancelled';
        state = reader.snapshot();
        stop = end.stop;
        if (end.eof || end.stopped) break;
      }
      hooks.progress(stop);
    }
  } finally {
    session.close();
  }
  return { format, stop, ranges, reread };
}

/** Did range `done` begin where the previous one stopped, in the state the worker assumed? */
function follows(done: RangeDone, stop: number, state: ReaderState, preamble: ReaderState): boolean {
  if (done.start !== stop || done.warnings > 0 || done.sharedLink || !sameLayout(state, preamble)) return false;
  if (done.borrowedTime && state.kind === 'pcapng' && preamble.kind === 'pcapng') {
    return state.lastSec === preamble.lastSec && state.lastNsec === preamble.lastNsec;
  }
  return true;
}

/** The true reader state after an accepted range, from the state before it and the worker's. */
function carried(before: ReaderState, done: RangeDone): ReaderState {
  const after = done.state;
  if (before.kind === 'pcap' && after.kind === 'pcap') {
    return { ...after, frameNo: before.frameNo + after.frameNo, warnedOverSnaplen: before.warnedOverSnaplen || after.warnedOverSnaplen };
  }
  if (before.kind === 'pcapng' && after.kind === 'pcapng') {
    return {
      ...after,
      frameNo: before.frameNo + after.frameNo,
      lastSec: done.timed ? after.lastSec : before.lastSec,
      lastNsec: done.timed ? after.lastNsec : before.lastNsec,
    };
  }
  return after;
}

/** Runs the range tasks one after the other in this thread (tests, and a page without workers). */
export function inProcessRunner(source: ByteSource, threads = 2): RangeRunner {
  return {
    threads,
    open(job, tasks) {
      return {
        result: (index) => readRangeTask(source, job, tasks[index]!),
        close() {},
      };
    },
  };
}
