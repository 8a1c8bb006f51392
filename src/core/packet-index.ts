/** The packet rows indexed by connection once the file is read, and the per-connection gaps. */
import type { PacketColumns } from './model/packet-table.ts';
import type { ConnColumns } from './tcp/connection-table.ts';

/**
 * The rows grouped by connection (file order kept within each): a counting sort by `conn`, each
 * column moved into its new order in turn. Connection c's packets are then rows
 * `connStart[c] .. connStart[c + 1]` and no per-packet index is needed to find them.
 */
export function groupByConnection(packets: PacketColumns, conn: Uint32Array, nConn: number): { packets: PacketColumns; connStart: Uint32Array } {
  const n = conn.length;
  const connStart = new Uint32Array(nConn + 1);
  for (let i = 0; i < n; i++) connStart[conn[i]! + 1]!++;
  for (let c = 0; c < nConn; c++) connStart[c + 1]! += connStart[c]!;
  // Where each row goes.
  const fill = connStart.slice(0, nConn);
  const to = new Uint32Array(n);
  for (let i = 0; i < n; i++) to[i] = fill[conn[i]!]!++;
  const out = {} as Record<keyof PacketColumns, unknown>;
  for (const key of Object.keys(packets) as (keyof PacketColumns)[]) {
    const from = packets[key];
    // An empty column (no interface column for interface 0 only) stays empty.
    const moved = new (from.constructor as new (n: number) => typeof from)(from.length === 0 ? 0 : n);
    if (from.length > 0) for (let i = 0; i < n; i++) moved[to[i]!] = from[i]!;
    out[key] = moved;
    // Let the old column go before the next one is made.
    (packets as unknown as Record<string, unknown>)[key] = undefined;
  }
  return { packets: out as PacketColumns, connStart };
}

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
