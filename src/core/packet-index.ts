/** The per-connection gaps between packets, once the rows are grouped by connection (`PacketTable.grouped`). */
import type { PacketColumns } from './model/packet-table.ts';
import type { ConnColumns } from './tcp/connection-table.ts';

/** Each connection's largest and median gap between consecutive packets (its rows are a range). */
export function fillGaps(conns: ConnColumns, packets: PacketColumns, connStart: Uint32Array): void {
  const n = connStart.length - 1;
  let longest = 0;
  for (let id = 0; id < n; id++) longest = Math.max(longest, connStart[id + 1]! - connStart[id]!);
  const gaps = new Float64Array(Math.max(0, longest - 1));
  const time = packets.timeNs;
  for (let id = 0; id < n; id++) {
    const from = connStart[id]!;
    const to = connStart[id + 1]!;
    if (to - from < 2) continue;
    const count = to - from - 1;
    let max = 0;
    for (let i = from + 1; i < to; i++) {
      const g = time[i]! - time[i - 1]!;
      gaps[i - from - 1] = g;
      if (g > max) max = g;
    }
    conns.maxIdleNs[id] = max;
    conns.medianGapNs[id] = nthSmallest(gaps, count, count >> 1);
  }
}

/**
 * The `k`-th smallest of `a[0 .. n)` (what `a[k]` would be once sorted), reordering `a`: a
 * quickselect, linear on average where a sort per connection is n log n plus a call's overhead.
 * Should the pivots go badly (crafted timestamps), it sorts instead.
 */
export function nthSmallest(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  let budget = 2 * Math.ceil(Math.log2(n + 1)) + 8;
  while (hi > lo) {
    if (budget-- === 0) {
      a.subarray(lo, hi + 1).sort();
      return a[k]!;
    }
    // Median of three as the pivot, then Hoare's partition.
    const mid = (lo + hi) >> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}
