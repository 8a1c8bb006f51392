/**
 * Reading one capture as several byte ranges, each by its own thread, with the result of one read
 * from the start (src/core/parallel puts the ranges together).
 *
 * A range [from, limit) holds the records that start in it: its reader begins at the first record
 * start at or after `from` and stops, without reading it, at the first record that starts at or
 * after `limit` (a record that straddles `limit` belongs to the range it starts in). Inside a range
 * the record boundaries are found by shape, which a payload can imitate; so the boundary found is
 * only a guess, checked when the ranges are put together: range k+1 is right when it began exactly
 * where range k's reader, itself right, stopped, with the same reader state (same section, same
 * interfaces). A wrong guess costs a re-read of that range from the right place, never a wrong
 * result.
 *
 * gzip-compressed files cannot be split (a deflate stream has no entry point in the middle): they
 * are always read by one thread.
 */
import { BYTE_ORDER_MAGIC, findValidBlock, PcapngReader, SHB_TYPE } from './pcapng.ts';
import { PcapReader } from './pcap.ts';
import type { PcapngState, PcapState, ReaderState } from './reader-state.ts';
import { MAX_FRAME_BYTES, type RangeReader, type RecordSink } from './sink.ts';
import type { ByteSource } from './source.ts';

/**
 * Where ranges end: `count` ranges over [first, size), the first beginning at 0 (where the file
 * header is); the last has no limit. `first` is where records may start (past the file header and
 * the leading section and interface blocks).
 */
export function rangeLimits(size: number, first: number, count: number): number[] {
  const limits: number[] = [];
  const span = size - first;
  if (count <= 1 || span <= 0) return limits;
  for (let k = 1; k < count; k++) {
    const at = first + Math.floor((span * k) / count);
    if (at > (limits[limits.length - 1] ?? first) && at < size) limits.push(at);
  }
  return limits;
}

/** Record headers in a row that must look right for a guess inside a classic pcap. */
const PCAP_CHAIN = 4;
/** Two records in a row further apart than this (seconds forward, or back) are taken as not in a row. */
const PCAP_MAX_GAP_SECONDS = 86400;
const PCAP_MAX_BACK_SECONDS = 3600;
/** An original length above this is not a frame's (the largest TSO/GRO frames are 64 KiB and some). */
const MAX_ORIGINAL = 1 << 20;

/** Does the record header at `q` look right (pcap §5)? Its captured length when it does, else -1. */
function pcapHeaderLength(view: DataView, q: number, st: PcapState): number {
  const little = st.little;
  const frac = view.getUint32(q + 4, little);
  if (frac >= (st.nanos ? 1e9 : 1e6)) return -1;
  const caplen = view.getUint32(q + 8, little);
  if (caplen > MAX_FRAME_BYTES || (st.snaplen > 0 && caplen > st.snaplen)) return -1;
  const origlen = view.getUint32(q + 12, little);
  if (origlen < caplen || origlen > MAX_ORIGINAL) return -1;
  return caplen;
}

/**
 * The first offset (in the window `bytes`, whose first byte is at file offset `base`) at or after
 * `from` where a chain of `PCAP_CHAIN` record headers looks right: fractions of a second below one
 * second, captured lengths within the snaplen and the original length, and seconds close to the
 * previous record's. A chain may stop short at the end of the window when `eof` says the file ends
 * there (or, with 2 headers at least, when more data would be needed). Returns a file offset, or -1.
 */
export function findPcapRecord(bytes: Uint8Array, base: number, from: number, eof: boolean, st: PcapState): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  const rh = st.recordHeader;
  let q = Math.max(0, from - base);
  for (; q + rh <= end; q++) {
    let p = q;
    let n = 0;
    let lastSec = -1;
    let ok = true;
    while (n < PCAP_CHAIN) {
      if (p === end && eof) break;
      if (p + rh > end) {
        ok = eof ? false : n >= 2;
        break;
      }
      const caplen = pcapHeaderLength(view, p, st);
      const sec = view.getUint32(p, st.little);
      if (caplen < 0 || (lastSec >= 0 && (sec - lastSec > PCAP_MAX_GAP_SECONDS || lastSec - sec > PCAP_MAX_BACK_SECONDS))) {
        ok = false;
        break;
      }
      lastSec = sec;
      n++;
      p += rh + caplen;
      if (p > end) {
        ok = !eof && n >= 2;
        break;
      }
    }
    if (ok && n > 0) return base + q;
  }
  // No record starts in what is left of the file: the range is empty.
  return eof ? base + end : -1;
}

/**
 * The first 4-byte aligned file offset at or after `from` where a pcapng block looks right (a known
 * type whose leading and trailing lengths agree: `findValidBlock`, the reader's own test when it
 * resynchronises) and so does the block after it. A block that runs past the window's end is taken
 * on its type and length alone. Returns a file offset, or -1.
 */
export function findPcapngBlock(bytes: Uint8Array, base: number, from: number, eof: boolean, st: PcapngState): number {
  if ((base & 3) !== 0) return -1; // block starts are multiples of 4 from the start of the file
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  let q = Math.max(0, ((from + 3) & ~3) - base);
  while (q + 12 <= end) {
    const at = plausibleBlock(view, q, end, st.little);
    if (at < 0) break;
    const next = at + view.getUint32(at + 4, blockLittle(view, at, st.little));
    if (next + 12 > end || plausibleBlock(view, next, end, st.little) === next) return base + at;
    q = at + 4;
  }
  // No block starts in what is left of the file: the range is empty.
  return eof ? base + end : -1;
}

/** `findValidBlock`, where a candidate that needs more bytes than the window holds is taken as found. */
function plausibleBlock(view: DataView, q: number, end: number, little: boolean): number {
  const at = findValidBlock(view, q, end, false, little);
  if (at >= 0) return at;
  const wait = -at - 2;
  return wait + 12 <= end ? wait : -1;
}

/** The byte order of the block `findValidBlock` accepted at `q` (a Section Header Block may differ). */
function blockLittle(view: DataView, q: number, little: boolean): boolean {
  return view.getUint32(q, true) === SHB_TYPE ? view.getUint32(q + 8, true) === BYTE_ORDER_MAGIC : little;
}

/** A reader that goes on from a snapshot, handing records to `sink`. */
export function resumeReader(sink: RecordSink, state: ReaderState): RangeReader {
  return state.kind === 'pcap' ? PcapReader.resumed(sink, state) : PcapngReader.resumed(sink, state);
}

/**
 * Do two reader states read what follows alike (frame counts and the time a Simple Packet Block
 * borrows aside)? Same byte order, timestamp units and link types: same section, same interfaces.
 */
export function sameLayout(a: ReaderState, b: ReaderState): boolean {
  if (a.kind === 'pcap' || b.kind === 'pcap') {
    return a.kind === 'pcap' && b.kind === 'pcap' && a.little === b.little && a.nanos === b.nanos && a.recordHeader === b.recordHeader && a.snaplen === b.snaplen;
  }
  if (a.little !== b.little || a.inSection !== b.inSection || a.frameComments !== b.frameComments || a.globalIfaceBase !== b.globalIfaceBase || a.globalIfaces !== b.globalIfaces || a.resyncing || b.resyncing) return false;
  if (a.sectionIfaces.length !== b.sectionIfaces.length) return false;
  return a.sectionIfaces.every((x, i) => {
    const y = b.sectionIfaces[i]!;
    return x.linkType === y.linkType && x.snaplen === y.snaplen && x.units === y.units && x.offsetSec === y.offsetSec;
  });
}

/** The first record start at or after `from`, guessed from the bytes there; -1 when none is found. */
export async function findRangeStart(source: ByteSource, from: number, state: ReaderState): Promise<number> {
  if (from >= source.size) return source.size;
  // Enough for a chain of the largest records (larger blocks are taken on their first 12 bytes).
  const span = PCAP_CHAIN * (MAX_FRAME_BYTES + 24) + 8;
  const start = state.kind === 'pcap' ? from : from & ~3;
  const bytes = await source.read(start, Math.min(source.size, start + span));
  const eof = start + bytes.length >= source.size;
  return state.kind === 'pcap' ? findPcapRecord(bytes, start, from, eof, state) : findPcapngBlock(bytes, start, from, eof, state);
}

/** How a range's read ended. */
export interface RangeEnd {
  /** File offset where the reader stopped: the first record of the next range, or the end. */
  stop: number;
  /** The file ended inside the range (the reader was told so). */
  eof: boolean;
  /** The reader gave up on the rest of the file. */
  stopped: boolean;
}

/**
 * Read records from file offset `start` (a record start) with `reader` until it reaches its limit,
 * gives up, or the file ends, as `feed` does from the start of a file: each window is the rest of
 * the last one and the next `chunkSize` bytes, and at the end of the file the reader is told so with
 * what is left. `window` sees every window after the reader parsed it (the frames it handed on point
 * into it); a window is never reused here. `keepGoing` is asked between windows; `alloc` gives each
 * window (exactly the size asked; a thread reuses buffers the analysis gave back).
 */
export async function readRange(
  source: ByteSource,
  reader: RangeReader,
  start: number,
  chunkSize: number,
  window?: (bytes: Uint8Array, base: number) => void,
  keepGoing: () => boolean = () => true,
  alloc: (bytes: number) => Uint8Array = (n) => new Uint8Array(n),
): Promise<RangeEnd> {
  let base = start;
  let rest: Uint8Array = new Uint8Array(0);
  let pos = start;
  while (pos < source.size && keepGoing()) {
    const want = Math.min(source.size, pos + chunkSize) - pos;
    const data = alloc(rest.length + want);
    data.set(rest, 0);
    let got: number;
    if (source.readInto) got = await source.readInto(data.subarray(rest.length), pos);
    else {
      const chunk = await source.read(pos, pos + want);
      data.set(chunk, rest.length);
      got = chunk.length;
    }
    if (got === 0) break;
    pos += got;
    const bytes = got === want ? data : data.subarray(0, rest.length + got);
    const consumed = reader.parse(bytes, base, false);
    window?.(bytes, base);
    base += consumed;
    rest = bytes.subarray(consumed);
    if (reader.atLimit || reader.stopped) return { stop: base, eof: false, stopped: reader.stopped };
  }
  if (!keepGoing()) return { stop: base, eof: false, stopped: false };
  const tail = rest.slice();
  const consumed = reader.parse(tail, base, true);
  window?.(tail, base);
  if (reader.atLimit) return { stop: base + consumed, eof: false, stopped: reader.stopped };
  return { stop: base + consumed, eof: true, stopped: reader.stopped };
}
