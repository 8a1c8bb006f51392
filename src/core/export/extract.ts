/**
 * Write some frames of an analysed capture back out as a capture of their own: one connection, a
 * filtered list, or any rows of the packet table. Bytes are read back from the original file (one
 * forward pass, so a gzip source is inflated once), timestamps are exact to the nanosecond.
 */
import { isPcapMagic, pcapRecordHeaderLength } from '../capture/pcap.ts';
import { frameComment } from '../capture/frame-comments.ts';
import { BlockType } from '../capture/pcapng.ts';
import { ForwardReader } from '../capture/read-back.ts';
import type { ByteSource } from '../capture/source.ts';
import type { PageResult } from '../analyze-api.ts';
import { PacketDecoder, Skip } from '../decode/packet.ts';
import { interfaceOf } from '../model/packet-table.ts';
import { concatChunks } from '../capture/bytes.ts';
import { PcapStreamWriter } from '../capture/pcap-writer.ts';
import { PcapngStreamWriter } from '../capture/pcapng-writer.ts';

export interface ExtractSelection {
  /** Connection ids (indices into report.connections): all their packets. */
  connections?: Iterable<number>;
  /** Packet-table rows. Combined with `connections` as a union. */
  rows?: Iterable<number>;
}

export interface ExtractOptions {
  /** Cut every frame after its TCP header (caplen < len, like a snaplen); default false. */
  headersOnly?: boolean;
  /** Checked between frames. */
  signal?: { readonly aborted: boolean };
  /**
   * Write pcapng (whatever the link types) with each frame's number in its comment ("frame 547 of
   * demo.pcap", capture/frame-comments.ts) and these comments in the section header (a shared
   * connection's metadata, export/shared-link.ts).
   */
  shared?: { fileName: string; sectionComments: readonly string[] };
}

export interface Extract {
  /** The file, in chunks (hand them to a Blob or concatenate them). */
  chunks: Uint8Array[];
  byteLength: number;
  /** Classic nanosecond pcap when every frame shares one link type, pcapng otherwise. */
  format: 'pcap' | 'pcapng';
  frames: number;
  /** Frames whose header could not be read back (file changed or cut short); left out. */
  missing: number;
}

/** Bytes of pcapng block before the frame data: EPB and OPB (§4.3, Appendix A), SPB (§4.4). */
const EPB_HEADER = 28;
const SPB_HEADER = 12;
const WINDOW = 1 << 20;

/** Rows of the packet table for a selection, in file (frame) order, without duplicates. */
export function selectRows(result: PageResult, selection: ExtractSelection): Uint32Array {
  const rows: number[] = [];
  for (const c of selection.connections ?? []) {
    const start = result.connStart[c];
    const end = result.connStart[c + 1];
    if (start === undefined || end === undefined) continue;
    for (let i = start; i < end; i++) rows.push(i);
  }
  for (const r of selection.rows ?? []) if (r >= 0 && r < result.packets.frame.length) rows.push(r);
  const sorted = Uint32Array.from(rows).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] ?? 0;
  // Rows are grouped by connection; the file's order is the frames' order.
  const frame = result.packets.frame;
  return sorted.subarray(0, n).sort((a, b) => frame[a]! - frame[b]!);
}

/** "1700000000.123456789" -> nanoseconds since the epoch. */
export function parseFirstTime(firstTime: string | null): bigint {
  if (!firstTime) return 0n;
  const [sec = '0', frac = ''] = firstTime.split('.');
  return BigInt(sec) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
}

/**
 * Write the selected frames as a capture: the original bytes, in the original order, with the
 * original timestamps. Nanosecond pcap (draft-ietf-opsawg-pcap §4, magic a1b23c4d) when one link type
 * covers them all; pcapng with one IDB per interface used otherwise (draft-ietf-opsawg-pcapng §4.2).
 */
export async function extractFrames(
  source: ByteSource,
  result: PageResult,
  selection: ExtractSelection,
  options: ExtractOptions = {},
): Promise<Extract> {
  const rows = selectRows(result, selection);
  const { packets, report } = result;
  const origin = parseFirstTime(report.firstTime);

  const used = [...new Set(Array.from(rows, (r) => interfaceOf(packets, r)))].sort((a, b) => a - b);
  const linkTypes = new Set(used.map((i) => report.interfaces[i]?.linkType ?? 1));
  const single = linkTypes.size <= 1 && !options.shared;
  const snaplen = Math.max(65535, ...used.map((i) => report.interfaces[i]?.snaplen ?? 0));

  let pcap: PcapStreamWriter | null = null;
  let pcapng: PcapngStreamWriter | null = null;
  const ifaceIds = new Map<number, number>();
  if (single) {
    pcap = new PcapStreamWriter({ linkType: [...linkTypes][0] ?? 1, nanosecond: true, snaplen, truncate: false });
  } else {
    pcapng = new PcapngStreamWriter();
    pcapng.section({ userApplication: 'Resetscope', ...(options.shared ? { comments: options.shared.sectionComments } : {}) });
    for (const i of used) {
      const info = report.interfaces[i];
      const iface = { linkType: info?.linkType ?? 1, snaplen: 0, tsresol: 9, truncate: false };
      ifaceIds.set(i, pcapng.addInterface(info?.name ? { ...iface, name: info.name } : iface));
    }
  }

  const reader = await ForwardReader.open(source, WINDOW);
  const { littleEndian, recordHeader } = await pcapLayout(reader);
  const decoder = new PacketDecoder();
  let frames = 0;
  let missing = 0;
  try {
    for (const row of rows) {
      if (options.signal?.aborted) throw new Error('extract cancelled');
      const offset = packets.fileOffset[row] ?? 0;
      const lengths = await readLengths(reader, offset, report.file.format, littleEndian, recordHeader);
      if (!lengths) {
        missing++;
        continue;
      }
      const data = await reader.read(offset, lengths.caplen);
      if (data.length < lengths.caplen) {
        missing++;
        continue;
      }
      const iface = interfaceOf(packets, row);
      let bytes = data;
      if (options.headersOnly) {
        const linkType = report.interfaces[iface]?.linkType ?? 1;
        const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
        const p = decoder.decode(data, view, 0, data.length, linkType);
        if ((p.skip === Skip.none || p.skip === Skip.cutBySnaplen) && p.payloadOffset > 0) {
          bytes = data.subarray(0, Math.min(data.length, p.payloadOffset));
        }
      }
      const timestampNs = origin + BigInt(Math.round(packets.timeNs[row] ?? 0));
      const record = { timestampNs, data: bytes, originalLength: lengths.len };
      if (pcap) pcap.push(record);
      else {
        const comment = options.shared ? { comment: frameComment(packets.frame[row] ?? 0, options.shared.fileName) } : {};
        pcapng?.packet({ ...record, interfaceId: ifaceIds.get(iface) ?? 0, ...comment });
      }
      frames++;
    }
  } finally {
    reader.close();
  }
  const chunks = pcap ? pcap.end() : (pcapng?.end() ?? []);
  return {
    chunks,
    byteLength: chunks.reduce((n, c) => n + c.length, 0),
    format: single ? 'pcap' : 'pcapng',
    frames,
    missing,
  };
}

/** The whole extract in one array (tests, links). */
export function extractBytes(extract: Extract): Uint8Array {
  return concatChunks(extract.chunks);
}

/**
 * The captured and original lengths of the frame whose data starts at `offset`: both formats keep
 * them in the 8 bytes just before the data (pcap record header §5; pcapng EPB §4.3 and OPB
 * Appendix A); a Simple Packet Block (§4.4) keeps only the original length and its block length.
 */
export async function readLengths(
  reader: ForwardReader,
  offset: number,
  format: string,
  pcapLittleEndian: boolean,
  pcapRecordHeader: number,
): Promise<{ caplen: number; len: number } | null> {
  const start = Math.max(0, offset - (format === 'pcap' ? pcapRecordHeader : EPB_HEADER));
  const head = await reader.read(start, offset - start);
  if (head.length < 8) return null;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const at = head.length;
  if (format === 'pcap') {
    // caplen and len follow the two timestamp words in every pcap record header.
    if (head.length < 16) return null;
    const little = pcapLittleEndian;
    return { caplen: v.getUint32(8, little), len: v.getUint32(12, little) };
  }
  if (head.length === EPB_HEADER) {
    for (const little of [true, false]) {
      const type = v.getUint32(0, little);
      if (type === BlockType.EPB || type === BlockType.OPB) {
        return { caplen: v.getUint32(at - 8, little), len: v.getUint32(at - 4, little) };
      }
    }
  }
  if (head.length >= SPB_HEADER) {
    const p = at - SPB_HEADER;
    for (const little of [true, false]) {
      if (v.getUint32(p, little) === BlockType.SPB) {
        const len = v.getUint32(at - 4, little);
        return { caplen: Math.min(len, v.getUint32(p + 4, little) - 16), len };
      }
    }
  }
  return null;
}

/** A pcap file's byte order and record header length, from its magic (meaningless for pcapng). */
export async function pcapLayout(reader: ForwardReader): Promise<{ littleEndian: boolean; recordHeader: number }> {
  const magic = await reader.read(0, 4);
  if (magic.length < 4) return { littleEndian: true, recordHeader: 16 };
  // A pcap magic that reads right little-endian means the file is little-endian.
  const view = new DataView(magic.buffer, magic.byteOffset, 4);
  const littleEndian = isPcapMagic(view.getUint32(0, true));
  return { littleEndian, recordHeader: pcapRecordHeaderLength(view.getUint32(0, littleEndian)) };
}
