import { linkTypeName } from './link-types.ts';
import type { PcapState } from './reader-state.ts';
import { FrameRecord, MAX_FRAME_BYTES, NotACaptureError, type RangeReader, type RecordSink } from './sink.ts';

/**
 * Classic libpcap files (draft-ietf-opsawg-pcap §4 file header, §5 packet record), both byte orders,
 * microsecond (a1b2c3d4) and nanosecond (a1b23c4d) magics, and Kuznetzov's "modified" format
 * (a1b2cd34) whose records carry 8 extra bytes.
 */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

export function isPcapMagic(magic: number): boolean {
  return magic === PCAP_MAGIC_US || magic === PCAP_MAGIC_NS || magic === PCAP_MAGIC_MODIFIED;
}

const FILE_HEADER = 24;

/** Bytes of a record header before the frame data: 16, or 24 in the modified format (§5). */
export function pcapRecordHeaderLength(magic: number): number {
  return magic === PCAP_MAGIC_MODIFIED ? 24 : 16;
}

export class PcapReader implements RangeReader {
  readonly format = 'pcap' as const;
  stopped = false;
  limit = Infinity;
  atLimit = false;
  private headerRead = false;
  private little = true;
  private nanos = false;
  private recordHeader = 16;
  private snaplen = 0;
  private frameNo = 0;
  private warnedOverSnaplen = false;
  private readonly record = new FrameRecord();

  constructor(private readonly sink: RecordSink) {}

  get frames(): number {
    return this.frameNo;
  }

  snapshot(): PcapState {
    return {
      kind: 'pcap', little: this.little, nanos: this.nanos, recordHeader: this.recordHeader,
      snaplen: this.snaplen, frameNo: this.frameNo, warnedOverSnaplen: this.warnedOverSnaplen,
    };
  }

  /** A reader that goes on from `state` (its file header already read, so it is not announced again). */
  static resumed(sink: RecordSink, state: PcapState): PcapReader {
    const r = new PcapReader(sink);
    r.headerRead = true;
    r.little = state.little;
    r.nanos = state.nanos;
    r.recordHeader = state.recordHeader;
    r.snaplen = state.snaplen;
    r.frameNo = state.frameNo;
    r.warnedOverSnaplen = state.warnedOverSnaplen;
    return r;
  }

  parse(bytes: Uint8Array, base: number, eof: boolean): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    if (!this.headerRead) {
      if (bytes.length < FILE_HEADER) {
        if (!eof) return 0;
        throw new NotACaptureError(`pcap file header cut short: ${bytes.length} of 24 bytes`);
      }
      this.readHeader(view);
      pos = FILE_HEADER;
    }
    if (this.stopped) return bytes.length;
    const little = this.little;
    const rh = this.recordHeader;
    const end = bytes.length;
    const limit = this.limit - base;
    while (pos + rh <= end) {
      if (pos >= limit) return this.reachLimit(pos);
      const tsSec = view.getUint32(pos, little);
      const tsFrac = view.getUint32(pos + 4, little);
      const caplen = view.getUint32(pos + 8, little);
      if (caplen > MAX_FRAME_BYTES) {
        this.stop(
          base + pos,
          `record after frame ${this.frameNo} claims ${caplen} captured bytes, more than the ${MAX_FRAME_BYTES}-byte maximum; the rest of the file from offset ${base + pos} is not read`,
        );
        return end;
      }
      if (pos + rh + caplen > end) break;
      if (caplen > this.snaplen && this.snaplen > 0 && !this.warnedOverSnaplen) {
        this.warnedOverSnaplen = true;
        this.sink.warning({
          frame: this.frameNo + 1,
          offset: base + pos,
          code: 'bad-record',
          message: `frame ${this.frameNo + 1} has ${caplen} captured bytes, more than the file's snaplen ${this.snaplen}; read anyway`,
        });
      }
      this.frameNo++;
      const nsec = this.nanos ? tsFrac : tsFrac * 1000;
      // A fraction of a second past 1e9 ns is malformed; keep the frame, carry it into seconds.
      const carry = nsec >= 1e9 ? Math.floor(nsec / 1e9) : 0;
      const r = this.record;
      r.bytes = bytes;
      r.view = view;
      r.offset = pos + rh;
      r.caplen = caplen;
      r.interfaceId = 0;
      r.tsSec = tsSec + carry;
      r.tsNsec = nsec - carry * 1e9;
      r.recordOffset = base + pos + rh;
      this.sink.frame(r);
      pos += rh + caplen;
    }
    if (pos >= limit && pos < end) return this.reachLimit(pos);
    if (eof && pos < end) {
      const have = end - pos;
      this.sink.warning({
        frame: this.frameNo + 1,
        offset: base + pos,
        code: 'truncated',
        message:
          have < rh
            ? `file ends inside the header of frame ${this.frameNo + 1} (offset ${base + pos}, ${have} of ${rh} bytes)`
            : `file ends inside frame ${this.frameNo + 1} (offset ${base + pos}): ${have - rh} of ${view.getUint32(pos + 8, little)} captured bytes present; the partial frame is not used`,
      });
      return end;
    }
    return pos;
  }

  private reachLimit(pos: number): number {
    this.atLimit = true;
    return pos;
  }

  private readHeader(view: DataView): void {
    const be = view.getUint32(0, false);
    const le = view.getUint32(0, true);
    const magic = isPcapMagic(le) ? le : be;
    this.little = isPcapMagic(le);
    if (!isPcapMagic(magic)) throw new NotACaptureError('not a pcap file');
    this.nanos = magic === PCAP_MAGIC_NS;
    this.recordHeader = pcapRecordHeaderLength(magic);
    const major = view.getUint16(4, this.little);
    const minor = view.getUint16(6, this.little);
    if (major !== 2) {
      throw new NotACaptureError(`pcap version ${major}.${minor} is not supported (only 2.x exists)`);
    }
    this.snaplen = view.getUint32(16, this.little);
    const network = view.getUint32(20, this.little);
    const reserved = (network >>> 16) & 0x3ff;
    if (reserved !== 0) {
      throw new NotACaptureError(
        `pcap link-type field has reserved bits set (0x${(network & 0x03ff0000).toString(16).padStart(8, '0')}); the header is corrupt`,
      );
    }
    const linkType = network & 0xffff;
    this.sink.interface({
      linkType,
      linkTypeName: linkTypeName(linkType),
      snaplen: this.snaplen,
      tsUnitsPerSecond: this.nanos ? 1e9 : 1e6,
    });
    this.headerRead = true;
  }

  private stop(offset: number, message: string): void {
    this.stopped = true;
    this.sink.warning({ frame: this.frameNo + 1, offset, code: 'bad-record', message });
  }
}
