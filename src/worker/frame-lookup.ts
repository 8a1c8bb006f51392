import type { PacketColumns } from '../core/model/packet-table.ts';
import type { FrameNumber } from '../core/model/types.ts';

/**
 * Row of `frame` in the packet columns, or -1 when it is not TCP. The rows are grouped by
 * connection, so frames do not ascend across the table: one native scan of the frame column
 * (about a millisecond per million packets, once per click).
 */
export function packetRowOfFrame(packets: Pick<PacketColumns, 'frame'>, frame: FrameNumber): number {
  return packets.frame.indexOf(frame);
}

/** The packet columns and where each connection's rows start, as the analysis result has them. */
export interface PacketIndex {
  packets: Pick<PacketColumns, 'frame'>;
  connStart: Uint32Array;
}

/** The connection a frame belongs to (the one whose range of rows holds it), or null. */
export function connectionOfFrame(index: PacketIndex, frame: FrameNumber): number | null {
  const row = packetRowOfFrame(index.packets, frame);
  if (row < 0) return null;
  // The last connection whose rows start at or before `row`.
  const starts = index.connStart;
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
