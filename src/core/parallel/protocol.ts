/**
 * What crosses between the thread that analyses a capture and the threads that read its ranges
 * (plain data, and the packed frames' buffers, transferred).
 */
import type { RangeEnd } from '../capture/ranges.ts';
import type { ReaderState } from '../capture/reader-state.ts';
import type { InterfaceInfo } from '../model/types.ts';
import type { PackedFrames } from './packed.ts';

/** What every range of one file shares. */
export interface RangeJob {
  /** Stored size of the file (ranges are never read from a compressed file). */
  size: number;
  chunkSize: number;
  /** The reader's state after the file header (pcap) or the leading section and interface blocks (pcapng). */
  preamble: ReaderState;
  /** The interfaces those headers announced. */
  interfaces: InterfaceInfo[];
}

/** Range `index` holds the records that start in [from, limit); range 0 starts at the file's start. */
export interface RangeTask {
  index: number;
  from: number;
  limit: number;
}

export interface RangeDone {
  index: number;
  /** File offset of the range's first record as guessed (0 for range 0); -1 when none was found. */
  start: number;
  end: RangeEnd;
  /** The reader's state at the end, its frames counted from the range's start. */
  state: ReaderState;
  /** Warnings the reader gave (a range after the first stops at its first one: it is read again). */
  warnings: number;
  /** A section's comment described a shared connection: the range must be read by the analysis. */
  sharedLink: boolean;
  /** The reader gave a Simple Packet Block the time of a frame before the range. */
  borrowedTime: boolean;
  /** The reader read a timestamped frame (so its state's time is its own). */
  timed: boolean;
  frames: PackedFrames;
}

/** Runs range tasks on threads. */
export interface RangeRunner {
  /** Threads it reads with (ranges are cut for them). */
  readonly threads: number;
  open(job: RangeJob, tasks: RangeTask[]): RangeSession;
}

/** The tasks of one file: `result` is asked in index order, each once. */
export interface RangeSession {
  result(index: number): Promise<RangeDone>;
  /** Buffers of a range's windows once tracked, for the threads to read into again. */
  recycle?(buffers: ArrayBuffer[]): void;
  /** Stop: results not asked for are dropped. */
  close(): void;
}

