/**
 * Follow a TCP stream: plan it from the packet columns (plan.ts), then read back from the file the
 * payloads of the part asked for, and only those, so one request is bounded whatever the size of
 * the connection. Nothing is kept after the request.
 */
import type { AnalysisResult } from '../analyze-api.ts';
import { ForwardReader } from '../capture/read-back.ts';
import type { ByteSource } from '../capture/source.ts';
import { PacketDecoder, Skip } from '../decode/packet.ts';
import { pcapLayout, readLengths } from '../export/extract.ts';
import { interfaceOf } from '../model/packet-table.ts';
import { planStream, type PlannedItem, type PlanWindow, type StreamPlan, type StreamSide } from './plan.ts';

export type { StreamSide } from './plan.ts';

/** Stream bytes of one side in a row, from one or more frames. */
export interface StreamData {
  kind: 'data';
  side: StreamSide;
  /** The frames the bytes came from, in the order shown. */
  frames: number[];
  /** Offset of the first byte in its direction's stream (0 = the first byte after the SYN). */
  offset: number;
  /** Where the bytes are in `FollowedStream.bytes`, and how many. */
  at: number;
  length: number;
  /** The bytes fill part of a gap shown before them (the capture holds them out of place). */
  late: boolean;
}

/**
 * Bytes the capture does not hold: `not-captured` a sequence hole (no frame carried them),
 * `cut` cut off by the snapshot length (the frame says how long it was, its record holds less),
 * `unreadable` a frame that could not be read back.
 */
export interface StreamGap {
  kind: 'gap';
  side: StreamSide;
  reason: 'not-captured' | 'cut' | 'unreadable';
  offset: number;
  length: number;
  frame: number;
  /** Of `length`, the bytes that came later after all (a `not-captured` gap only): shown there, as late data. */
  late: number;
}

export interface StreamFin {
  kind: 'fin';
  side: StreamSide;
  frame: number;
}

/** Where RSTs cut the conversation: `count` RSTs from `side`, frames `frame`..`lastFrame`. */
export interface StreamReset {
  kind: 'reset';
  side: StreamSide;
  frame: number;
  lastFrame: number;
  count: number;
}

export type StreamChunk = StreamData | StreamGap | StreamFin | StreamReset;

/** Which part of the stream to return: stream bytes [from, from + maxBytes) in the order shown. */
export interface StreamRequest {
  from?: number;
  maxBytes?: number;
}

/** A part of a followed stream: its chunks in order, their bytes, and what the whole stream holds. */
export interface FollowedStream {
  /** Stream bytes [from, to) of `total`, both directions together in the order shown. */
  from: number;
  to: number;
  total: number;
  chunks: StreamChunk[];
  bytes: Uint8Array;
  /** The whole stream's bytes per side, retransmitted bytes left out, bytes in sequence holes. */
  sideBytes: { client: number; server: number };
  duplicateBytes: number;
  gapBytes: { client: number; server: number };
  outOfWindow: number;
}

/** What one request returns at most unless it says otherwise. */
export const STREAM_PAGE_BYTES = 256_000;

/**
 * The captured TCP payload of each packet row asked for (shorter than its TCP length when the
 * snapshot length cut it); a row missing from the map could not be read back.
 */
export type PayloadReader = (rows: number[]) => Promise<Map<number, Uint8Array>>;

/** Part of a planned stream, with its bytes read by `read`; see `StreamRequest`. */
export async function materializeStream(plan: StreamPlan, read: PayloadReader, request: StreamRequest = {}): Promise<FollowedStream> {
  const from = Math.max(0, Math.min(plan.total, Math.floor(request.from ?? 0)));
  const to = Math.min(plan.total, from + Math.max(1, Math.floor(request.maxBytes ?? STREAM_PAGE_BYTES)));
  const atEnd = to === plan.total;

  // The plan's items in the window, each data item cut to it.
  const picked: { item: PlannedItem; skip: number; take: number }[] = [];
  for (const item of plan.items) {
    const pos = item.at;
    if (item.kind === 'data') {
      const a = Math.max(from, pos);
      const b = Math.min(to, pos + item.length);
      if (b > a) picked.push({ item, skip: a - pos, take: b - a });
    } else if ((pos >= from && pos < to) || (atEnd && pos === to)) {
      picked.push({ item, skip: 0, take: 0 });
    }
  }

  const rows = [...new Set(picked.flatMap((p) => (p.item.kind === 'data' ? [p.item.row] : [])))];
  const payloads = rows.length > 0 ? await read(rows) : new Map<number, Uint8Array>();

  const bytes = new Uint8Array(to - from);
  let used = 0;
  const chunks: StreamChunk[] = [];
  for (const { item, skip, take } of picked) {
    if (item.kind !== 'data') {
      const { at: _at, ...marker } = item;
      chunks.push(marker.kind === 'gap' ? { ...marker, reason: 'not-captured' } : marker);
      continue;
    }
    const payload = payloads.get(item.row);
    const start = item.from + skip;
    const have = payload ? Math.max(0, Math.min(take, payload.length - start)) : 0;
    if (have > 0) {
      const last = chunks[chunks.length - 1];
      if (
        last?.kind === 'data' &&
        last.side === item.side &&
        last.late === item.late &&
        last.offset + last.length === item.offset + skip &&
        last.at + last.length === used
      ) {
        last.length += have;
        if (last.frames[last.frames.length - 1] !== item.frame) last.frames.push(item.frame);
      } else {
        chunks.push({ kind: 'data', side: item.side, frames: [item.frame], offset: item.offset + skip, at: used, length: have, late: item.late });
      }
      bytes.set(payload!.subarray(start, start + have), used);
      used += have;
    }
    if (have < take) {
      chunks.push({
        kind: 'gap',
        side: item.side,
        reason: payload ? 'cut' : 'unreadable',
        offset: item.offset + skip + have,
        length: take - have,
        frame: item.frame,
        late: 0,
      });
    }
  }
  return {
    from,
    to,
    total: plan.total,
    chunks,
    bytes: bytes.slice(0, used),
    sideBytes: { ...plan.bytes },
    duplicateBytes: plan.duplicateBytes,
    gapBytes: { ...plan.gapBytes },
    outOfWindow: plan.outOfWindow,
  };
}

/** Rows `connStart[id] .. connStart[id + 1]` of the packet table. */
function connectionRows(result: Pick<AnalysisResult, 'connStart'>, id: number): Uint32Array {
  const start = result.connStart[id] ?? 0;
  const end = result.connStart[id + 1] ?? start;
  const rows = new Uint32Array(Math.max(0, end - start));
  for (let i = 0; i < rows.length; i++) rows[i] = start + i;
  return rows;
}

/** Plan connection `id`'s stream from the packet columns; null when there is no such connection. */
export function planConnectionStream(
  result: Pick<AnalysisResult, 'connections' | 'connStart' | 'packets'>,
  id: number,
  window?: PlanWindow,
): StreamPlan | null {
  if (!Number.isInteger(id) || id < 0 || id >= result.connections.length) return null;
  const conn = result.connections.get(id);
  return planStream({
    packets: result.packets,
    rows: connectionRows(result, id),
    bases: {
      client: conn.dir.client.baseSeq ?? conn.dir.client.isn,
      server: conn.dir.server.baseSeq ?? conn.dir.server.isn,
    },
  }, window);
}

/**
 * Reads the TCP payloads of packet rows back from the capture: the frames in file order (one
 * forward pass, so a gzip file is inflated once), each cut to its captured length.
 */
export function capturePayloadReader(source: ByteSource, result: Pick<AnalysisResult, 'packets' | 'report'>): PayloadReader {
  return async (rows) => {
    const { packets, report } = result;
    const sorted = [...rows].sort((a, b) => packets.fileOffset[a]! - packets.fileOffset[b]!);
    const out = new Map<number, Uint8Array>();
    const reader = await ForwardReader.open(source);
    const decoder = new PacketDecoder();
    try {
      const { littleEndian, recordHeader } = await pcapLayout(reader);
      for (const row of sorted) {
        const offset = packets.fileOffset[row]!;
        const lengths = await readLengths(reader, offset, report.file.format, littleEndian, recordHeader);
        if (!lengths) continue;
        const data = await reader.read(offset, lengths.caplen);
        const linkType = report.interfaces[interfaceOf(packets, row)]?.linkType ?? 1;
        const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
        const p = decoder.decode(data, view, 0, data.length, linkType);
        if (p.skip !== Skip.none && p.skip !== Skip.cutBySnaplen) continue;
        out.set(row, data.slice(p.payloadOffset, p.payloadOffset + p.payloadCaptured));
      }
    } finally {
      reader.close();
    }
    return out;
  };
}

/**
 * Part of connection `id`'s stream, its bytes read back from `source` (the analysed capture);
 * null when there is no such connection.
 */
export async function followStream(
  source: ByteSource,
  result: Pick<AnalysisResult, 'connections' | 'connStart' | 'packets' | 'report'>,
  id: number,
  request: StreamRequest = {},
): Promise<FollowedStream | null> {
  const from = Math.max(0, Math.floor(request.from ?? 0));
  const to = from + Math.max(1, Math.floor(request.maxBytes ?? STREAM_PAGE_BYTES));
  const plan = planConnectionStream(result, id, { from, to });
  if (!plan) return null;
  return materializeStream(plan, capturePayloadReader(source, result), request);
}
