import type { ReaderState } from './reader-state.ts';
import type { InterfaceInfo, Warning } from '../model/types.ts';

const NO_BYTES = new Uint8Array(0);

/**
 * One frame as a format reader hands it on. Each reader fills the same record for every frame (the
 * hot path allocates nothing per frame), so it is valid only during the `frame` call.
 */
export class FrameRecord {
  /** The reader's current window: the frame's captured data is `bytes[offset .. offset + caplen)`. */
  bytes: Uint8Array = NO_BYTES;
  view: DataView = new DataView(NO_BYTES.buffer);
  offset = 0;
  caplen = 0;
  /** Index into the interfaces announced so far (always 0 for pcap); -1 for a record without packet data. */
  interfaceId = 0;
  /** Absolute time: seconds since the epoch, and nanoseconds 0..999,999,999. */
  tsSec = 0;
  tsNsec = 0;
  /** Position of the frame's data in the (decompressed) file. */
  recordOffset = 0;
  /**
   * The frame's number in the capture it was shared from, when its section asked for it and its
   * comment gives one (pcapng only); 0 otherwise.
   */
  originalFrame = 0;
}

/** What a format reader hands on: every frame (in file order), interface and warning. */
export interface RecordSink {
  frame(record: FrameRecord): void;
  interface(info: InterfaceInfo): void;
  warning(warning: Warning): void;
  /**
   * A Section Header Block's comment (pcapng); returns true when the section's packets' comments
   * give their original frame numbers (a shared connection), so the reader reads them.
   */
  sectionComment?(text: string): boolean;
}

/**
 * A format reader over a byte stream delivered in windows. `parse` consumes every complete record in
 * `bytes[0..)` (whose first byte is at `base` in the file) and returns how many bytes it consumed; the
 * driver keeps the rest and calls again with more data appended. With `eof` the reader must consume
 * everything, reporting what was cut short.
 */
export interface FormatReader {
  readonly format: 'pcap' | 'pcapng';
  parse(bytes: Uint8Array, base: number, eof: boolean): number;
  /** Set when the reader gave up on the rest of the file (corrupt beyond recovery). */
  readonly stopped: boolean;
}

/**
 * A format reader that can read one byte range of a file (ranges.ts): it stops, without consuming
 * it, at the first record that starts at or past `limit` (a file offset), and its state between two
 * records can be taken (`snapshot`) and resumed elsewhere (another thread, another range).
 */
export interface RangeReader extends FormatReader {
  limit: number;
  /** Set when `parse` stopped at `limit`. */
  readonly atLimit: boolean;
  /** Frames numbered so far. */
  readonly frames: number;
  snapshot(): ReaderState;
}

/** A capture that cannot be read at all: thrown, with a one-line reason. */
export class NotACaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotACaptureError';
  }
}

/** Frame data in a record that is larger than this is absurd (Wireshark's standard maximum). */
export const MAX_FRAME_BYTES = 262144;
