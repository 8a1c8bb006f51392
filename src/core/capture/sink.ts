import type { InterfaceInfo, Warning } from '../model/types.ts';

/**
 * What a format reader hands on for every record. Called once per frame on the hot path, so it takes
 * plain numbers and a view into the reader's buffer instead of allocating a record object.
 */
export interface RecordSink {
  /**
   * One frame. `bytes[offset .. offset+caplen)` is the captured data (valid only during the call).
   * `interfaceId` indexes the interfaces announced so far (always 0 for pcap). `tsSec`/`tsNsec` are
   * the absolute time (seconds since the epoch and nanoseconds 0..999,999,999). `recordOffset` is the
   * position of the frame's data in the (decompressed) file.
   */
  frame(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    caplen: number,
    origlen: number,
    interfaceId: number,
    tsSec: number,
    tsNsec: number,
    recordOffset: number,
  ): void;
  interface(info: InterfaceInfo): void;
  warning(warning: Warning): void;
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
  /**
   * The largest amount of unconsumed data the reader may legitimately need at once; the driver
   * treats growth past it as corruption the reader failed to notice.
   */
  readonly maxRecordBytes: number;
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
