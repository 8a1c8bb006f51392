/**
 * Classic libpcap files (draft-ietf-opsawg-pcap §4 file header, §5 packet record): microsecond
 * (a1b2c3d4) or nanosecond (a1b23c4d) magic, either byte order.
 */
import { ChunkedOutput, concatChunks, secondsAndNanos, type ChunkOptions } from './bytes.ts';

/** One captured frame as the writers take it. */
export interface CaptureRecord {
  /** Absolute time, nanoseconds since the epoch. */
  timestampNs: bigint;
  /** The frame's bytes as captured (cut to the snaplen by the writer when `truncate` is on). */
  data: Uint8Array;
  /** Length on the wire; default `data.length`. */
  originalLength?: number;
  /** pcapng only: interface index within the section (default 0). */
  interfaceId?: number;
  /** pcapng only: an opt_comment on the EPB. */
  comment?: string;
  /** pcapng only: epb_flags (direction, reception type, FCS length, errors). */
  epbFlags?: number;
}

export interface PcapOptions {
  /** LINKTYPE_* value (default 1, Ethernet). */
  linkType?: number;
  /** Default 262144. */
  snaplen?: number;
  /** Nanosecond magic a1b23c4d instead of microseconds (default false). */
  nanosecond?: boolean;
  /** Default false (little endian, as written on x86). */
  bigEndian?: boolean;
  /** Cut records to the snaplen, keeping the original length (default true). */
  truncate?: boolean;
  /** Written into the header (default 2.4). */
  versionMajor?: number;
  versionMinor?: number;
}

export const PCAP_FILE_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;

/**
 * A pcap file written record by record into chunks: push records, take the chunks (or receive them
 * through `onChunk`), call `end()` for the rest. The file header is written at construction.
 */
export class PcapStreamWriter {
  readonly out: ChunkedOutput;
  readonly snaplen: number;
  private readonly little: boolean;
  private readonly nanos: boolean;
  private readonly truncate: boolean;
  /** Records written so far. */
  records = 0;

  constructor(options: PcapOptions = {}, chunks: ChunkOptions = {}) {
    this.out = new ChunkedOutput(chunks);
    this.little = !options.bigEndian;
    this.nanos = options.nanosecond ?? false;
    this.snaplen = options.snaplen ?? 262144;
    this.truncate = options.truncate ?? true;
    const { out, little } = this;
    out.ensure(PCAP_FILE_HEADER_LENGTH);
    const v = out.view;
    const p = out.pos;
    v.setUint32(p, this.nanos ? 0xa1b23c4d : 0xa1b2c3d4, little);
    v.setUint16(p + 4, options.versionMajor ?? 2, little);
    v.setUint16(p + 6, options.versionMinor ?? 4, little);
    v.setInt32(p + 8, 0, little); // thiszone
    v.setUint32(p + 12, 0, little); // sigfigs
    v.setUint32(p + 16, this.snaplen, little);
    v.setUint32(p + 20, options.linkType ?? 1, little);
    out.pos += PCAP_FILE_HEADER_LENGTH;
  }

  /** Appends one record. */
  push(record: CaptureRecord): void {
    const [sec, nsec] = secondsAndNanos(record.timestampNs);
    const at = this.reserve(sec, nsec, record.data.length, record.originalLength);
    this.out.buf.set(record.data.subarray(0, this.lastCaplen), at);
  }

  private lastCaplen = 0;

  /**
   * The fast path: writes a record header for a frame of `length` bytes and returns where in
   * `out.buf` the frame's bytes go; the caller writes all `length` of them there (room is made for
   * all, even when the record is cut to the snaplen).
   */
  reserve(sec: number, nsec: number, length: number, originalLength = length): number {
    const caplen = this.truncate ? Math.min(length, this.snaplen) : length;
    const out = this.out;
    out.ensure(PCAP_RECORD_HEADER_LENGTH + length);
    const v = out.view;
    const p = out.pos;
    const little = this.little;
    v.setUint32(p, sec, little);
    v.setUint32(p + 4, this.nanos ? nsec : Math.floor(nsec / 1000), little);
    v.setUint32(p + 8, caplen, little);
    v.setUint32(p + 12, originalLength, little);
    out.pos = p + PCAP_RECORD_HEADER_LENGTH + caplen;
    this.lastCaplen = caplen;
    this.records++;
    return p + PCAP_RECORD_HEADER_LENGTH;
  }

  /** Completed chunks not yet taken. */
  take(): Uint8Array[] {
    return this.out.take();
  }

  /** Ends the file: every chunk not yet taken. */
  end(): Uint8Array[] {
    return this.out.finish();
  }

  /** Bytes written so far. */
  get length(): number {
    return this.out.length;
  }
}

/** A whole pcap file in memory. */
export function writePcap(records: Iterable<CaptureRecord>, options: PcapOptions = {}): Uint8Array {
  const w = new PcapStreamWriter(options);
  for (const r of records) w.push(r);
  return concatChunks(w.end());
}
