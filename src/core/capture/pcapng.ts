import { utf8Text } from './bytes.ts';
import { parseFrameComment } from './frame-comments.ts';
import { linkTypeName } from './link-types.ts';
import type { Iface, PcapngState } from './reader-state.ts';
import { FrameRecord, MAX_FRAME_BYTES, NotACaptureError, type RangeReader, type RecordSink } from './sink.ts';

/**
 * pcapng (draft-ietf-opsawg-pcapng): every section in either byte order, every interface with its own
 * link type, snaplen, if_tsresol and if_tsoffset; Enhanced (§4.3), Simple (§4.4) and Obsolete Packet
 * Blocks (Appendix A). Other blocks are skipped by their length. A corrupt block is reported and the
 * reader looks for the next block whose leading and trailing lengths agree (§3.1 repeats the length
 * at the end for exactly this).
 */
/** Block types (pcapng §10.1) that readers and writers of this project name. */
export const BlockType = {
  SHB: 0x0a0d0d0a,
  IDB: 1,
  OPB: 2,
  SPB: 3,
  NRB: 4,
  ISB: 5,
  EPB: 6,
  JOURNAL: 9,
  DSB: 10,
  CUSTOM: 0xbad,
  CUSTOM_NOCOPY: 0x40000bad,
} as const;
export const SHB_TYPE = BlockType.SHB;
/** The Section Header Block's byte-order magic (§4.1). */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BT_IDB = BlockType.IDB;
const BT_OPB = BlockType.OPB;
const BT_SPB = BlockType.SPB;
const BT_EPB = BlockType.EPB;
const BT_JOURNAL = BlockType.JOURNAL;
const BT_CUSTOM = BlockType.CUSTOM;
const BT_CUSTOM_NOCOPY = BlockType.CUSTOM_NOCOPY;
/** Blocks larger than this are taken as corrupt lengths (Wireshark uses the same bound). */
export const MAX_BLOCK = 16 * 1024 * 1024;
/** Every type the spec defines (IRIG and AFDX, 7 and 8, included), for resynchronising. */
const KNOWN_BLOCK_TYPES = new Set<number>([...Object.values(BlockType), 7, 8]);

export class PcapngReader implements RangeReader {
  readonly format = 'pcapng' as const;
  stopped = false;
  limit = Infinity;
  atLimit = false;
  /**
   * Set when a Simple Packet Block took the previous frame's time before any timestamped frame was
   * read by this reader: a reader resumed from a snapshot then depends on the snapshot's time.
   */
  borrowedTime = false;
  /** A timestamped frame was read (since the reader began or was resumed). */
  timed = false;
  private little = true;
  private inSection = false;
  private sectionIfaces: Iface[] = [];
  /** Interfaces of all sections, numbered as the report lists them. */
  private globalIfaceBase = 0;
  private globalIfaces = 0;
  private frameNo = 0;
  private resyncing = false;
  /** File offset of the damaged block the current resynchronisation started from. */
  private resyncFrom = 0;
  private lastSec = 0;
  private lastNsec = 0;
  /** The section's header asked for each packet's comment (a shared connection's frame numbers). */
  private frameComments = false;
  private readonly record = new FrameRecord();

  constructor(private readonly sink: RecordSink) {}

  get frames(): number {
    return this.frameNo;
  }

  snapshot(): PcapngState {
    return {
      kind: 'pcapng', little: this.little, inSection: this.inSection,
      sectionIfaces: this.sectionIfaces.map((i) => ({ ...i })),
      globalIfaceBase: this.globalIfaceBase, globalIfaces: this.globalIfaces, frameNo: this.frameNo,
      resyncing: this.resyncing, resyncFrom: this.resyncFrom, lastSec: this.lastSec, lastNsec: this.lastNsec,
      frameComments: this.frameComments,
    };
  }

  /** A reader that goes on from `state` (its section and interfaces already announced). */
  static resumed(sink: RecordSink, state: PcapngState): PcapngReader {
    const r = new PcapngReader(sink);
    r.little = state.little;
    r.inSection = state.inSection;
    r.sectionIfaces = state.sectionIfaces.map((i) => ({ ...i }));
    r.globalIfaceBase = state.globalIfaceBase;
    r.globalIfaces = state.globalIfaces;
    r.frameNo = state.frameNo;
    r.resyncing = state.resyncing;
    r.resyncFrom = state.resyncFrom;
    r.lastSec = state.lastSec;
    r.lastNsec = state.lastNsec;
    r.frameComments = state.frameComments;
    return r;
  }

  parse(bytes: Uint8Array, base: number, eof: boolean): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = bytes.length;
    let pos = 0;
    while (!this.stopped) {
      if (this.resyncing) {
        const found = this.findNextBlock(view, pos, end, eof);
        // Not decided in this window: keep the bytes from where the scan stopped.
        if (found <= -2) return -found - 2;
        if (found < 0) {
          this.sink.warning({ offset: this.resyncFrom, code: 'resync', message: `no valid block after the damage at offset ${this.resyncFrom}; the rest of the file is not read` });
          return end;
        }
        this.sink.warning({ offset: base + found, code: 'resync', message: `resumed at the block at offset ${base + found}` });
        this.resyncing = false;
        pos = found;
      }
      if (base + pos >= this.limit && pos < end) {
        this.atLimit = true;
        return pos;
      }
      if (pos + 12 > end) break;
      let type = view.getUint32(pos, this.little);
      if (!this.inSection || view.getUint32(pos, true) === SHB_TYPE) {
        if (view.getUint32(pos, true) !== SHB_TYPE) {
          throw new NotACaptureError('not a pcapng file: it does not start with a Section Header Block');
        }
        type = SHB_TYPE;
        const magicLe = view.getUint32(pos + 8, true);
        if (magicLe === BYTE_ORDER_MAGIC) this.little = true;
        else if (view.getUint32(pos + 8, false) === BYTE_ORDER_MAGIC) this.little = false;
        else {
          if (!this.inSection) throw new NotACaptureError('pcapng Section Header Block has no valid byte-order magic');
          this.corrupt(base + pos, 'Section Header Block with an invalid byte-order magic');
          pos += 4;
          continue;
        }
      }
      const len = view.getUint32(pos + 4, this.little);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
        if (!this.inSection && type === SHB_TYPE) throw new NotACaptureError(`pcapng Section Header Block has an invalid length ${len}`);
        this.corrupt(base + pos, `block at offset ${base + pos} (type 0x${type.toString(16)}) has an invalid length ${len}`);
        pos += 4;
        continue;
      }
      if (pos + len > end) {
        if (!eof) break;
        this.sink.warning({
          ...(this.isPacketBlock(type) ? { frame: this.frameNo + 1 } : {}),
          offset: base + pos,
          code: 'truncated',
          message: `file ends inside ${article(blockName(type))} at offset ${base + pos} (${end - pos} of ${len} bytes)${this.isPacketBlock(type) ? `: frame ${this.frameNo + 1} is not used` : ''}`,
        });
        return end;
      }
      if (view.getUint32(pos + len - 4, this.little) !== len) {
        if (!this.inSection) throw new NotACaptureError('pcapng Section Header Block lengths disagree');
        this.corrupt(base + pos, `${blockName(type)} at offset ${base + pos}: its trailing length does not match ${len}`);
        pos += 4;
        continue;
      }
      this.readBlock(bytes, view, pos, len, type, base);
      pos += len;
    }
    if (this.stopped) return end;
    if (eof && pos < end) {
      this.sink.warning({ offset: base + pos, code: 'truncated', message: `file ends with ${end - pos} stray bytes at offset ${base + pos}` });
      return end;
    }
    return pos;
  }

  private isPacketBlock(type: number): boolean {
    return type === BT_EPB || type === BT_SPB || type === BT_OPB;
  }

  private corrupt(offset: number, message: string): void {
    this.sink.warning({ offset, code: 'bad-block', message: `${message}; looking for the next valid block` });
    this.resyncing = true;
    this.resyncFrom = offset;
  }

  /** See `findValidBlock`. */
  private findNextBlock(view: DataView, from: number, end: number, eof: boolean): number {
    return findValidBlock(view, from, end, eof, this.little);
  }

  private readBlock(bytes: Uint8Array, view: DataView, pos: number, len: number, type: number, base: number): void {
    const little = this.little;
    switch (type) {
      case SHB_TYPE: {
        const major = view.getUint16(pos + 12, little);
        const minor = view.getUint16(pos + 14, little);
        if (major !== 1 || (minor !== 0 && minor !== 2)) {
          if (!this.inSection) throw new NotACaptureError(`pcapng version ${major}.${minor} is not supported (only 1.0 exists)`);
          this.stopped = true;
          this.sink.warning({
            offset: base + pos,
            code: 'other-section-version',
            message: `a new section at offset ${base + pos} has pcapng version ${major}.${minor}, which no reader knows; the rest of the file is not read`,
          });
          return;
        }
        this.inSection = true;
        this.globalIfaceBase = this.globalIfaces;
        this.sectionIfaces = [];
        this.frameComments = false;
        if (this.sink.sectionComment) {
          // opt_comment (§3.5, code 1): a shared connection says so here (export/shared-link.ts).
          for (const text of this.comments(bytes, view, pos + 24, pos + len - 4)) {
            if (this.sink.sectionComment(text)) this.frameComments = true;
          }
        }
        return;
      }
      case BT_IDB:
        this.readInterface(bytes, view, pos, len, base);
        return;
      case BT_EPB:
      case BT_OPB: {
        const frame = ++this.frameNo;
        const opb = type === BT_OPB;
        if (len < 32) {
          this.sink.warning({ frame, offset: base + pos, code: 'bad-block', message: `frame ${frame}: ${blockName(type)} too short (${len} bytes)` });
          this.emitEmpty(base + pos);
          return;
        }
        const ifId = opb ? view.getUint16(pos + 8, little) : view.getUint32(pos + 8, little);
        const tsHi = view.getUint32(pos + 12, little);
        const tsLo = view.getUint32(pos + 16, little);
        let caplen = view.getUint32(pos + 20, little);
        const room = len - 32;
        if (caplen > room) {
          this.sink.warning({ frame, offset: base + pos, code: 'bad-block', message: `frame ${frame}: captured length ${caplen} exceeds its block; cut to ${room}` });
          caplen = room;
        }
        if (caplen > MAX_FRAME_BYTES) caplen = MAX_FRAME_BYTES;
        const iface = this.sectionIfaces[ifId];
        if (!iface) {
          this.sink.warning({ frame, offset: base + pos, code: 'bad-interface', message: `frame ${frame} names interface ${ifId}, which this section does not define; frame not decoded` });
          this.emitEmpty(base + pos);
          return;
        }
        // The options follow the data as the block declares it (caplen before any cut).
        this.record.originalFrame = this.frameComments ? this.frameNumberOf(bytes, view, pos + 28 + ((view.getUint32(pos + 20, little) + 3) & ~3), pos + len - 4) : 0;
        this.emit(bytes, view, pos + 28, caplen, iface, ifId, tsHi, tsLo, base + pos + 28);
        return;
      }
      case BT_SPB: {
        const frame = ++this.frameNo;
        const iface = this.sectionIfaces[0];
        if (!iface || len < 16) {
          this.sink.warning({ frame, offset: base + pos, code: 'bad-interface', message: `frame ${frame}: Simple Packet Block without interface 0; frame not decoded` });
          this.emitEmpty(base + pos);
          return;
        }
        const origlen = view.getUint32(pos + 8, little);
        let caplen = Math.min(origlen, len - 16);
        if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
        // SPBs carry no timestamp: give them the previous frame's.
        this.record.originalFrame = 0;
        if (!this.timed) this.borrowedTime = true;
        this.send(bytes, view, pos + 12, caplen, this.globalIfaceBase, this.lastSec, this.lastNsec, base + pos + 12);
        return;
      }
      case BT_CUSTOM:
      case BT_CUSTOM_NOCOPY:
      case BT_JOURNAL:
        // Wireshark numbers these as frames of their own (records without packet data).
        this.frameNo++;
        this.emitEmpty(base + pos);
        return;
      default:
        return; // NRB, ISB, DSB, unknown: skipped by length
    }
  }

  /** A frame that keeps its number but has nothing to decode (interface id -1). */
  private emitEmpty(offset: number): void {
    this.record.originalFrame = 0;
    this.send(EMPTY, EMPTY_VIEW, 0, 0, -1, this.lastSec, this.lastNsec, offset);
  }

  /** Fills the reader's one frame record and hands it on. */
  private send(
    bytes: Uint8Array, view: DataView, offset: number, caplen: number,
    interfaceId: number, tsSec: number, tsNsec: number, recordOffset: number,
  ): void {
    const r = this.record;
    r.bytes = bytes;
    r.view = view;
    r.offset = offset;
    r.caplen = caplen;
    r.interfaceId = interfaceId;
    r.tsSec = tsSec;
    r.tsNsec = tsNsec;
    r.recordOffset = recordOffset;
    this.sink.frame(r);
  }

  private emit(
    bytes: Uint8Array, view: DataView, off: number, caplen: number,
    iface: Iface, ifId: number, hi: number, lo: number, fileOffset: number,
  ): void {
    if (hi !== iface.hi) {
      const big = (BigInt(hi) << 32n);
      iface.hiSec = Number(big / iface.unitsBig);
      iface.hiRem = Number(big % iface.unitsBig);
      iface.hi = hi;
    }
    let rem = iface.hiRem + lo;
    let sec = iface.hiSec;
    if (rem >= iface.units) {
      const q = Math.floor(rem / iface.units);
      sec += q;
      rem -= q * iface.units;
    }
    let nsec: number;
    if (iface.units === 1e9) nsec = rem;
    else if (iface.units === 1e6) nsec = rem * 1000;
    else if (iface.units > 1e9 && iface.units % 1e9 === 0) nsec = Math.floor(rem / (iface.units / 1e9));
    else nsec = Math.floor((rem * 1e9) / iface.units);
    this.lastSec = sec + iface.offsetSec;
    this.lastNsec = nsec;
    this.timed = true;
    this.send(bytes, view, off, caplen, this.globalIfaceBase + ifId, sec + iface.offsetSec, nsec, fileOffset);
  }

  /** The opt_comment texts among the options in [from, to) (§3.5), at most 8, each up to 64 KiB. */
  private comments(bytes: Uint8Array, view: DataView, from: number, to: number): string[] {
    const out: string[] = [];
    let o = from;
    while (o + 4 <= to && out.length < 8) {
      const code = view.getUint16(o, this.little);
      const olen = view.getUint16(o + 2, this.little);
      if (code === 0 || o + 4 + olen > to) break;
      if (code === 1) out.push(utf8Text(bytes.subarray(o + 4, o + 4 + olen)));
      o += 4 + ((olen + 3) & ~3);
    }
    return out;
  }

  /** The frame number a packet's opt_comment gives ("frame 547 of demo.pcap"), or 0. */
  private frameNumberOf(bytes: Uint8Array, view: DataView, from: number, to: number): number {
    let o = from;
    while (o + 4 <= to) {
      const code = view.getUint16(o, this.little);
      const olen = view.getUint16(o + 2, this.little);
      if (code === 0 || o + 4 + olen > to) return 0;
      // "frame " and up to ten digits, " of ": the comment's first 24 bytes say all.
      if (code === 1) return parseFrameComment(utf8Text(bytes.subarray(o + 4, o + 4 + Math.min(olen, 24))));
      o += 4 + ((olen + 3) & ~3);
    }
    return 0;
  }

  private readInterface(bytes: Uint8Array, view: DataView, pos: number, len: number, base: number): void {
    const little = this.little;
    if (len < 20) {
      this.sink.warning({ offset: base + pos, code: 'bad-block', message: `Interface Description Block at offset ${base + pos} is too short` });
      return;
    }
    const linkType = view.getUint16(pos + 8, little);
    const snaplen = view.getUint32(pos + 12, little);
    let units = 1e6;
    let offsetSec = 0;
    let name: string | undefined;
    let description: string | undefined;
    // Options (§3.5): code, length, value padded to 32 bits; end at opt_endofopt or the block's end.
    let o = pos + 16;
    const optEnd = pos + len - 4;
    while (o + 4 <= optEnd) {
      const code = view.getUint16(o, little);
      const olen = view.getUint16(o + 2, little);
      if (code === 0) break;
      if (o + 4 + olen > optEnd) {
        this.sink.warning({ offset: base + o, code: 'bad-block', message: `interface option ${code} at offset ${base + o} runs past its block; remaining options ignored` });
        break;
      }
      const v = o + 4;
      if (code === 2) name = decodeText(bytes, v, olen);
      else if (code === 3) description = decodeText(bytes, v, olen);
      else if (code === 9 && olen >= 1) {
        const r = bytes[v] ?? 6;
        const exp = r & 0x7f;
        const binary = (r & 0x80) !== 0;
        if ((binary && exp > 60) || (!binary && exp > 18)) {
          this.sink.warning({ offset: base + v, code: 'bad-interface', message: `interface ${this.sectionIfaces.length}: if_tsresol 0x${r.toString(16)} makes no sense; using microseconds` });
        } else {
          units = binary ? 2 ** exp : 10 ** exp;
        }
      } else if (code === 14 && olen >= 8) {
        offsetSec = Number(little ? view.getBigInt64(v, true) : view.getBigInt64(v, false));
      }
      o = v + ((olen + 3) & ~3);
    }
    const iface: Iface = {
      linkType, snaplen, units, unitsBig: BigInt(units), offsetSec, hi: -1, hiSec: 0, hiRem: 0,
    };
    this.sectionIfaces.push(iface);
    this.globalIfaces++;
    this.sink.interface({
      linkType,
      linkTypeName: linkTypeName(linkType),
      snaplen,
      tsUnitsPerSecond: units,
      ...(name !== undefined ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
    });
  }
}

/**
 * Next offset >= from, in 4-byte steps from `from`, where a known block's two lengths agree (and a
 * Section Header Block has its byte-order magic; other blocks are in the byte order `little`).
 * Otherwise -(q + 2) when the scan must go on at q with more data (a candidate there needs it, or
 * the window ended), so the next window keeps the same 4-byte alignment; -1 at the end of file.
 * The reader resynchronises with it after damage, and ranges.ts finds a block in a range with it.
 */
export function findValidBlock(view: DataView, from: number, end: number, eof: boolean, little: boolean): number {
  let q = from;
  for (; q + 12 <= end; q += 4) {
    for (const le of [little, !little]) {
      const type = view.getUint32(q, le);
      if (!KNOWN_BLOCK_TYPES.has(type)) continue;
      const len = view.getUint32(q + 4, le);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) continue;
      if (q + len > end) {
        if (eof) continue;
        return -q - 2; // wait for more data: the candidate may be good
      }
      if (view.getUint32(q + len - 4, le) !== len) continue;
      if (type === SHB_TYPE && view.getUint32(q + 8, le) !== BYTE_ORDER_MAGIC) continue;
      if (type !== SHB_TYPE && le !== little) continue;
      return q;
    }
  }
  return eof ? -1 : -q - 2;
}

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

function decodeText(bytes: Uint8Array, start: number, len: number): string {
  let s = '';
  for (let i = start; i < start + len; i++) {
    const c = bytes[i] ?? 0;
    if (c === 0) break;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '\uFFFD';
  }
  return s;
}

/** "an Enhanced Packet Block", "a Simple Packet Block". */
function article(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

function blockName(type: number): string {
  switch (type) {
    case SHB_TYPE: return 'Section Header Block';
    case BT_IDB: return 'Interface Description Block';
    case BT_EPB: return 'Enhanced Packet Block';
    case BT_SPB: return 'Simple Packet Block';
    case BT_OPB: return 'Packet Block';
    default: return `block of type 0x${type.toString(16)}`;
  }
}
