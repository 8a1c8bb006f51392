/**
 * pcapng files (draft-ietf-opsawg-pcapng): Section Header Block (§4.1), Interface Description Block
 * (§4.2), Enhanced Packet Block (§4.3), Simple Packet Block (§4.4) and the obsolete Packet Block
 * (Appendix A), with options (§3.5), several sections, either byte order.
 */
import { ChunkedOutput, concatChunks, splitNanos, utf8, type ChunkOptions } from './bytes.ts';
import type { CaptureRecord } from './pcap-writer.ts';
import { BlockType, BYTE_ORDER_MAGIC } from './pcapng.ts';

// The block layout constants are the reader's: one definition for both directions.
export { BlockType, BYTE_ORDER_MAGIC };

export interface PcapngSectionOptions {
  /** shb_hardware, shb_os, shb_userappl, opt_comment. */
  hardware?: string;
  os?: string;
  userApplication?: string;
  comment?: string;
  /** More opt_comment options, after `comment` (§3.5 allows several). */
  comments?: readonly string[];
  /** Default false. Each section may have its own byte order. */
  bigEndian?: boolean;
}

export interface PcapngInterface {
  /** LINKTYPE_* (default 1, Ethernet). */
  linkType?: number;
  /** Default 262144; 0 means no limit. */
  snaplen?: number;
  /** if_name, if_description. */
  name?: string;
  description?: string;
  /**
   * if_tsresol as written: 6 = µs (the default when absent), 9 = ns, 0x80 | n = 2^-n s. Omit to
   * write no option (µs).
   */
  tsresol?: number;
  /** if_tsoffset: seconds added to every timestamp of the interface. */
  tsoffset?: bigint;
  /** Cut EPB/OPB/SPB data to the snaplen (default true). */
  truncate?: boolean;
}

interface InterfaceState {
  snaplen: number;
  truncate: boolean;
  /** Units per second as a power of 10 (`pow10` >= 0) or of 2 (`pow2` >= 0). */
  pow10: number;
  pow2: number;
  offsetNs: bigint;
}

type Option = [code: number, value: Uint8Array];

/**
 * A pcapng file written block by block into chunks: `section()` and `addInterface()` first, then
 * packets; take the chunks as they complete (or receive them through `onChunk`), `end()` for the rest.
 */
export class PcapngStreamWriter {
  readonly out: ChunkedOutput;
  private little = true;
  private interfaces: InterfaceState[] = [];
  /** Packets written so far (all sections). */
  records = 0;

  constructor(chunks: ChunkOptions = {}) {
    this.out = new ChunkedOutput(chunks);
  }

  /** Starts a section (SHB, section length -1 = not given); its interfaces start again at 0. */
  section(options: PcapngSectionOptions = {}): this {
    this.little = !options.bigEndian;
    this.interfaces = [];
    const opts: Option[] = [];
    if (options.comment !== undefined) opts.push([1, utf8(options.comment)]);
    for (const c of options.comments ?? []) opts.push([1, utf8(c)]);
    if (options.hardware !== undefined) opts.push([2, utf8(options.hardware)]);
    if (options.os !== undefined) opts.push([3, utf8(options.os)]);
    if (options.userApplication !== undefined) opts.push([4, utf8(options.userApplication)]);
    const body = 16 + optionsLength(opts);
    const p = this.beginBlock(BlockType.SHB, body);
    const v = this.out.view;
    v.setUint32(p + 8, BYTE_ORDER_MAGIC, this.little);
    v.setUint16(p + 12, 1, this.little);
    v.setUint16(p + 14, 0, this.little);
    v.setInt32(p + 16, -1, this.little);
    v.setInt32(p + 20, -1, this.little);
    this.writeOptions(p + 24, opts);
    this.endBlock(p, body);
    return this;
  }

  /** Describes an interface (IDB) in the current section; returns its index. */
  addInterface(iface: PcapngInterface = {}): number {
    if (this.out.length === 0) this.section();
    const opts: Option[] = [];
    if (iface.name !== undefined) opts.push([2, utf8(iface.name)]);
    if (iface.description !== undefined) opts.push([3, utf8(iface.description)]);
    if (iface.tsresol !== undefined) opts.push([9, Uint8Array.of(iface.tsresol)]);
    if (iface.tsoffset !== undefined) {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, iface.tsoffset, this.little);
      opts.push([14, b]);
    }
    const snaplen = iface.snaplen ?? 262144;
    const body = 8 + optionsLength(opts);
    const p = this.beginBlock(BlockType.IDB, body);
    const v = this.out.view;
    v.setUint16(p + 8, iface.linkType ?? 1, this.little);
    v.setUint16(p + 10, 0, this.little);
    v.setUint32(p + 12, snaplen, this.little);
    this.writeOptions(p + 16, opts);
    this.endBlock(p, body);
    const r = iface.tsresol ?? 6;
    this.interfaces.push({
      snaplen,
      truncate: iface.truncate ?? true,
      pow10: r & 0x80 ? -1 : r,
      pow2: r & 0x80 ? r & 0x7f : -1,
      offsetNs: (iface.tsoffset ?? 0n) * 1_000_000_000n,
    });
    return this.interfaces.length - 1;
  }

  /** An Enhanced Packet Block. */
  packet(record: CaptureRecord): void {
    const id = record.interfaceId ?? 0;
    const [hi, lo] = this.units(id, record.timestampNs);
    const opts: Option[] = [];
    if (record.epbFlags !== undefined) opts.push([2, this.u32(record.epbFlags)]);
    if (record.comment !== undefined) opts.push([1, utf8(record.comment)]);
    const at = this.reserveEnhanced(id, hi, lo, record.data.length, record.originalLength, opts);
    this.out.buf.set(record.data.subarray(0, this.lastCaplen), at);
  }

  /** A Simple Packet Block: interface 0, no timestamp; data cut to interface 0's snaplen. */
  simplePacket(data: Uint8Array, originalLength = data.length): void {
    const iface = this.iface(0);
    const caplen = this.caplen(iface, data.length);
    const body = 4 + pad4(caplen);
    const p = this.beginBlock(BlockType.SPB, body);
    this.out.view.setUint32(p + 8, originalLength, this.little);
    this.out.buf.set(data.subarray(0, caplen), p + 12);
    this.endBlock(p, body);
    this.records++;
  }

  /** The obsolete Packet Block (type 2), with its drops count. */
  obsoletePacket(record: CaptureRecord, drops = 0): void {
    const id = record.interfaceId ?? 0;
    const iface = this.iface(id);
    const [hi, lo] = this.units(id, record.timestampNs);
    const caplen = this.caplen(iface, record.data.length);
    const body = 20 + pad4(caplen);
    const p = this.beginBlock(BlockType.OPB, body);
    const v = this.out.view;
    v.setUint16(p + 8, id, this.little);
    v.setUint16(p + 10, drops, this.little);
    v.setUint32(p + 12, hi, this.little);
    v.setUint32(p + 16, lo, this.little);
    v.setUint32(p + 20, caplen, this.little);
    v.setUint32(p + 24, record.originalLength ?? record.data.length, this.little);
    this.out.buf.set(record.data.subarray(0, caplen), p + 28);
    this.endBlock(p, body);
    this.records++;
  }

  private lastCaplen = 0;

  /**
   * The fast path for an EPB on an interface with if_tsresol 9 (ns) and no offset: writes the block
   * around a frame of `length` bytes and returns where in `out.buf` the caller writes them.
   */
  reserveNs(interfaceId: number, sec: number, nsec: number, length: number, originalLength = length): number {
    if (this.caplen(this.iface(interfaceId), length) < length) {
      throw new Error('reserveNs cannot cut a frame to the snaplen; use packet()');
    }
    const [hi, lo] = splitNanos(sec, nsec);
    return this.reserveEnhanced(interfaceId, hi, lo, length, originalLength, []);
  }

  private reserveEnhanced(
    id: number,
    hi: number,
    lo: number,
    length: number,
    originalLength: number | undefined,
    opts: Option[],
  ): number {
    const iface = this.iface(id);
    const caplen = this.caplen(iface, length);
    const padded = pad4(caplen);
    const body = 20 + padded + optionsLength(opts);
    const p = this.beginBlock(BlockType.EPB, body);
    const v = this.out.view;
    const little = this.little;
    v.setUint32(p + 8, id, little);
    v.setUint32(p + 12, hi, little);
    v.setUint32(p + 16, lo, little);
    v.setUint32(p + 20, caplen, little);
    v.setUint32(p + 24, originalLength ?? length, little);
    // The padding bytes must be zero; the chunk may hold an earlier frame's bytes there.
    this.out.buf.fill(0, p + 28 + caplen, p + 28 + padded);
    this.writeOptions(p + 28 + padded, opts);
    this.endBlock(p, body);
    this.lastCaplen = caplen;
    this.records++;
    return p + 28;
  }

  /** Completed chunks not yet taken. */
  take(): Uint8Array[] {
    return this.out.take();
  }

  /** Ends the file: every chunk not yet taken. */
  end(): Uint8Array[] {
    return this.out.finish();
  }

  get length(): number {
    return this.out.length;
  }

  private iface(id: number): InterfaceState {
    const iface = this.interfaces[id];
    if (!iface) throw new Error(`interface ${id} was not added to this section`);
    return iface;
  }

  private caplen(iface: InterfaceState, length: number): number {
    return iface.truncate && iface.snaplen > 0 ? Math.min(length, iface.snaplen) : length;
  }

  /** Converts an absolute time to the interface's units, as the two 32-bit halves. */
  private units(id: number, ns: bigint): [number, number] {
    const iface = this.iface(id);
    let t = ns - iface.offsetNs;
    if (iface.pow10 >= 0) {
      t = iface.pow10 >= 9 ? t * 10n ** BigInt(iface.pow10 - 9) : t / 10n ** BigInt(9 - iface.pow10);
    } else {
      t = (t << BigInt(iface.pow2)) / 1_000_000_000n;
    }
    return [Number((t >> 32n) & 0xffffffffn), Number(t & 0xffffffffn)];
  }

  private u32(value: number): Uint8Array {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value, this.little);
    return b;
  }

  /** Writes type and total length; `body` excludes the 12 bytes of type and the two lengths. */
  private beginBlock(type: number, body: number): number {
    const out = this.out;
    out.ensure(12 + body);
    const p = out.pos;
    out.view.setUint32(p, type, this.little);
    out.view.setUint32(p + 4, 12 + body, this.little);
    return p;
  }

  private endBlock(p: number, body: number): void {
    this.out.view.setUint32(p + 8 + body, 12 + body, this.little);
    this.out.pos = p + 12 + body;
  }

  /** Options (§3.5): code, length, value padded to 4; then opt_endofopt. */
  private writeOptions(p: number, opts: Option[]): void {
    if (opts.length === 0) return;
    const v = this.out.view;
    for (const [code, value] of opts) {
      v.setUint16(p, code, this.little);
      v.setUint16(p + 2, value.length, this.little);
      this.out.buf.set(value, p + 4);
      this.out.buf.fill(0, p + 4 + value.length, p + 4 + pad4(value.length));
      p += 4 + pad4(value.length);
    }
    v.setUint32(p, 0);
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function optionsLength(opts: Option[]): number {
  if (opts.length === 0) return 0;
  let n = 4;
  for (const [, value] of opts) n += 4 + pad4(value.length);
  return n;
}

export interface PcapngFileOptions {
  section?: PcapngSectionOptions;
  /** Default: one Ethernet interface with nanosecond timestamps. */
  interfaces?: PcapngInterface[];
}

/** A whole single-section pcapng file in memory; records name their interface by index. */
export function writePcapng(records: Iterable<CaptureRecord>, options: PcapngFileOptions = {}): Uint8Array {
  const w = new PcapngStreamWriter();
  w.section(options.section);
  for (const iface of options.interfaces ?? [{ tsresol: 9 }]) w.addInterface(iface);
  for (const r of records) w.packet(r);
  return concatChunks(w.end());
}
