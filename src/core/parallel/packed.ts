/**
 * A range of a capture read and decoded by a worker thread, in a form that crosses threads without
 * copying: the windows of file bytes the reader parsed (transferred, not cloned), and per frame a
 * fixed row of numbers (the decoded fields down to TCP) in one Uint32Array and one Float64Array per
 * window. The main thread hands the rows to the tracker in frame order (`replayRange`), so numbering,
 * `tcp.stream` splits and verdicts are those of a single-threaded read by construction.
 *
 * IP fragments are the one stateful part of decoding (a datagram's fragments may sit in different
 * ranges): the worker does not decode a frame that reaches the reassembly, it marks it, and the main
 * thread decodes it in order with its own decoder, which so sees every fragment of the file in
 * order, as in a single-threaded read.
 */
import { FrameRecord, type RecordSink } from '../capture/sink.ts';
import { DecodedPacket, PacketDecoder, Skip } from '../decode/packet.ts';
import { parseSharedLink } from '../export/shared-link.ts';
import type { InterfaceInfo, Warning } from '../model/types.ts';

/** What a row holds. */
const Kind = { decoded: 0, decodeOnMain: 1, noInterface: 2 } as const;
/** 32-bit words per frame. */
const W = 28;
/** 64-bit floats per frame: seconds, file offset. */
const F = 2;

/** One window of file bytes and the frames the reader found in it. */
export interface PackedWindow {
  bytes: Uint8Array;
  count: number;
  words: Uint32Array;
  floats: Float64Array;
}

/** An interface or a warning, before the frame with index `at` (counted from the range's first). */
export interface RangeEvent {
  at: number;
  interface?: InterfaceInfo;
  warning?: Warning;
}

/** Everything a worker read in one range, frames in file order. */
export interface PackedFrames {
  windows: PackedWindow[];
  events: RangeEvent[];
  frames: number;
}

/** The buffers of a packed range, to transfer rather than copy. */
export function transferables(p: PackedFrames): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const w of p.windows) out.push(w.bytes.buffer as ArrayBuffer, w.words.buffer as ArrayBuffer, w.floats.buffer as ArrayBuffer);
  return out.filter((b, i) => b.byteLength > 0 && out.indexOf(b) === i);
}

/**
 * The worker's record sink: decodes each frame with the interfaces known so far and packs it.
 * `window` closes the frames of the window the reader just parsed.
 */
export class PackingSink implements RecordSink {
  readonly interfaces: InterfaceInfo[];
  warnings = 0;
  /** A section's comment described a shared connection (see `sectionComment`). */
  sharedLink = false;
  private readonly decoder = new PacketDecoder();
  private readonly out: PackedFrames = { windows: [], events: [], frames: 0 };
  private words = new Uint32Array(W * 1024);
  private floats = new Float64Array(F * 1024);
  private count = 0;
  private bytes: Uint8Array | null = null;

  /** `interfaces`: those announced before the range (a resumed reader does not announce them again). */
  constructor(interfaces: InterfaceInfo[]) {
    this.interfaces = interfaces.slice();
  }

  interface(info: InterfaceInfo): void {
    this.interfaces.push(info);
    this.out.events.push({ at: this.out.frames, interface: info });
  }

  warning(w: Warning): void {
    this.warnings++;
    this.out.events.push({ at: this.out.frames, warning: w });
  }

  /**
   * A section's comment that describes a shared connection numbers the frames after it in a way only
   * the analysis can decide: such a range is read again by the analysis (or the file read by one
   * thread, when it is the first range).
   */
  sectionComment(text: string): boolean {
    if (parseSharedLink(text) !== null) this.sharedLink = true;
    return false;
  }

  frame(r: FrameRecord): void {
    if (this.bytes !== r.bytes && r.caplen > 0) {
      // Frames of one window all point into it (empty records into a shared empty array).
      if (this.bytes !== null && this.count > 0) throw new Error('frames of two windows in one');
      this.bytes = r.bytes;
    }
    const n = this.count++;
    this.out.frames++;
    if ((n + 1) * W > this.words.length) {
      const words = new Uint32Array(this.words.length * 2);
      words.set(this.words);
      this.words = words;
      const floats = new Float64Array(this.floats.length * 2);
      floats.set(this.floats);
      this.floats = floats;
    }
    const w = this.words;
    const o = n * W;
    const f = n * F;
    this.floats[f] = r.tsSec;
    this.floats[f + 1] = r.recordOffset;
    w[o + 1] = r.interfaceId + 1;
    w[o + 2] = r.offset;
    w[o + 3] = r.caplen;
    w[o + 4] = r.tsNsec;
    w[o + 27] = r.originalFrame;
    const iface = this.interfaces[r.interfaceId];
    if (!iface) {
      w[o] = Kind.noInterface;
      return;
    }
    const p = this.decoder.decode(r.bytes, r.view, r.offset, r.caplen, iface.linkType);
    if (p.skip === Skip.fragment || p.reassembled) {
      w[o] = Kind.decodeOnMain;
      return;
    }
    w[o] = Kind.decoded;
    packPacket(p, w, o);
  }

  /** The reader finished parsing `bytes`: its frames become one window. */
  window(bytes: Uint8Array): void {
    if (this.count === 0) return;
    const n = this.count;
    this.out.windows.push({
      bytes: this.bytes ?? bytes,
      count: n,
      words: this.words.slice(0, n * W),
      floats: this.floats.slice(0, n * F),
    });
    this.count = 0;
    this.bytes = null;
  }

  finish(): PackedFrames {
    return this.out;
  }
}

function packPacket(p: DecodedPacket, w: Uint32Array, o: number): void {
  w[o + 5] = p.skip | (p.ipVersion << 8) | (p.sackPermitted ? 1 << 16 : 0) | (p.hasTimestamps ? 1 << 17 : 0) | (p.reassembled ? 1 << 18 : 0);
  w[o + 6] = p.src[0]!;
  w[o + 7] = p.src[1]!;
  w[o + 8] = p.src[2]!;
  w[o + 9] = p.src[3]!;
  w[o + 10] = p.dst[0]!;
  w[o + 11] = p.dst[1]!;
  w[o + 12] = p.dst[2]!;
  w[o + 13] = p.dst[3]!;
  w[o + 14] = p.ttl | (p.ipId << 8);
  w[o + 15] = p.ipLength;
  w[o + 16] = p.srcPort | (p.dstPort << 16);
  w[o + 17] = p.seq;
  w[o + 18] = p.ack;
  w[o + 19] = p.flags | (p.window << 16);
  w[o + 20] = p.tcpHeaderLength | (p.mss << 16);
  w[o + 21] = p.payloadLength;
  w[o + 22] = p.payloadOffset;
  w[o + 23] = p.payloadCaptured;
  w[o + 24] = (p.windowScale + 1) | (p.tunnelDepth << 8);
  w[o + 25] = p.dnsOffset;
  w[o + 26] = p.dnsEnd;
}

function unpackPacket(p: DecodedPacket, w: Uint32Array, o: number): void {
  const a = w[o + 5]!;
  p.skip = (a & 0xff) as DecodedPacket['skip'];
  p.ipVersion = ((a >>> 8) & 0xff) as 4 | 6;
  p.sackPermitted = (a & (1 << 16)) !== 0;
  p.hasTimestamps = (a & (1 << 17)) !== 0;
  p.reassembled = (a & (1 << 18)) !== 0;
  p.src[0] = w[o + 6]!;
  p.src[1] = w[o + 7]!;
  p.src[2] = w[o + 8]!;
  p.src[3] = w[o + 9]!;
  p.dst[0] = w[o + 10]!;
  p.dst[1] = w[o + 11]!;
  p.dst[2] = w[o + 12]!;
  p.dst[3] = w[o + 13]!;
  const ttl = w[o + 14]!;
  p.ttl = ttl & 0xff;
  p.ipId = ttl >>> 8;
  p.ipLength = w[o + 15]!;
  const ports = w[o + 16]!;
  p.srcPort = ports & 0xffff;
  p.dstPort = ports >>> 16;
  p.seq = w[o + 17]!;
  p.ack = w[o + 18]!;
  const fw = w[o + 19]!;
  p.flags = fw & 0xffff;
  p.window = fw >>> 16;
  const hm = w[o + 20]!;
  p.tcpHeaderLength = hm & 0xffff;
  p.mss = hm >>> 16;
  p.payloadLength = w[o + 21]!;
  p.payloadOffset = w[o + 22]!;
  p.payloadCaptured = w[o + 23]!;
  const st = w[o + 24]!;
  p.windowScale = (st & 0xff) - 1;
  p.tunnelDepth = st >>> 8;
  p.dnsOffset = w[o + 25]!;
  p.dnsEnd = w[o + 26]!;
}

/** The analysis' record sink (analysis-sink.ts), with its entry for frames decoded elsewhere. */
export interface ReplaySink extends RecordSink {
  decodedFrame(p: DecodedPacket, bytes: Uint8Array, tsSec: number, tsNsec: number, recordOffset: number, interfaceId: number, originalFrame: number): void;
}

/**
 * Hand a packed range to the analysis, frame by frame in file order: interfaces and warnings where
 * the reader announced them, decoded frames to `decodedFrame`, the rest to `frame` (decoded here).
 */
export function replayRange(sink: ReplaySink, packed: PackedFrames): void {
  const p = new DecodedPacket();
  const record = new FrameRecord();
  const events = packed.events;
  let e = 0;
  let index = 0;
  for (const win of packed.windows) {
    const { bytes, words, floats, count } = win;
    let view: DataView | null = null;
    for (let i = 0; i < count; i++, index++) {
      while (e < events.length && events[e]!.at <= index) apply(sink, events[e++]!);
      const o = i * W;
      const f = i * F;
      const kind = words[o]!;
      const interfaceId = words[o + 1]! - 1;
      if (kind === Kind.decoded) {
        unpackPacket(p, words, o);
        sink.decodedFrame(p, bytes, floats[f]!, words[o + 4]!, floats[f + 1]!, interfaceId, words[o + 27]!);
        continue;
      }
      view ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      record.bytes = bytes;
      record.view = view;
      record.offset = words[o + 2]!;
      record.caplen = words[o + 3]!;
      record.interfaceId = interfaceId;
      record.tsSec = floats[f]!;
      record.tsNsec = words[o + 4]!;
      record.recordOffset = floats[f + 1]!;
      record.originalFrame = words[o + 27]!;
      sink.frame(record);
    }
  }
  while (e < events.length) apply(sink, events[e++]!);
}

function apply(sink: ReplaySink, e: RangeEvent): void {
  if (e.interface) sink.interface(e.interface);
  if (e.warning) sink.warning(e.warning);
}
