/** The per-connection gaps between packets, once the rows are grouped by connection (`PacketTable.grouped`). */
import type { PacketColumns } from './model/packet-table.ts';
import type { ConnColumns } from './tcp/connection-table.ts';

/** Each connection's largest and median gap between consecutive packets (its rows are a range). */
export function fillGaps(conns: ConnColumns, packets: PacketColumns, connStart: Uint32Array): void {
  const n = connStart.length - 1;
  let longest = 0;
  for (let id = 0; id < n; id++) longest = Math.max(longest, connStart[id + 1]! - connStart[id]!);
  const scratch = new Float64Array(Math.max(0, longest - 1));
  const time = packets.timeNs;
  for (let id = 0; id < n; id++) {
    const from = connStart[id]!;
    const to = connStart[id + 1]!;
    if (to - from < 2) continue;
    const gaps = scratch.subarray(0, to - from - 1);
    let max = 0;
    for (let i = from + 1; i < to; i++) {
      const g = time[i]! - time[i - 1]!;
      gaps[i - from - 1] = g;
      if (g > max) max = g;
    }
    gaps.sort();
    conns.maxIdleNs[id] = max;
    conns.medianGapNs[id] = gaps[gaps.length >> 1]!;
  }
}
