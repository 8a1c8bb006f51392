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

/** The connection a frame belongs to, or null. */
export function connectionOfFrame(packets: Pick<PacketColumns, 'frame' | 'conn'>, frame: FrameNumber): number | null {
  const row = packetRowOfFrame(packets, frame);
  return row < 0 ? null : packets.conn[row]!;
}
