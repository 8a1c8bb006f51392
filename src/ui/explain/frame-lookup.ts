import type { PacketColumns } from '../../core/model/packet-table.ts';
import type { FrameNumber } from '../../core/model/types.ts';

/** Row of `frame` in the packet columns (frames ascend in file order), or -1 when it is not TCP. */
export function packetRowOfFrame(packets: Pick<PacketColumns, 'frame'>, frame: FrameNumber): number {
  const frames = packets.frame;
  let lo = 0;
  let hi = frames.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const f = frames[mid]!;
    if (f === frame) return mid;
    if (f < frame) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The packet columns and their by-connection index, as the analysis result has them. */
export interface PacketIndex {
  packets: Pick<PacketColumns, 'frame'>;
  connStart: Uint32Array;
  connPackets: Uint32Array;
}

/**
 * The connection a frame belongs to, or null. The rows keep no connection id of their own (4 bytes
 * a packet): the row is found in the by-connection index, one pass over it (about a millisecond per
 * million packets, once per click), and its position there names the connection.
 */
export function connectionOfFrame(index: PacketIndex, frame: FrameNumber): number | null {
  const row = packetRowOfFrame(index.packets, frame);
  if (row < 0) return null;
  const at = index.connPackets.indexOf(row);
  if (at < 0) return null;
  // The last connection whose list starts at or before `at`.
  const starts = index.connStart;
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
