/** Packet columns from a short, readable list, for unit tests of the app layers. */
import { FROM_CLIENT, PacketTable, type PacketColumns } from '../../src/core/model/packet-table.ts';

export interface PacketSpec {
  frame: number;
  /** Seconds since the capture's first frame. */
  t: number;
  fromClient: boolean;
  flags: number;
  seq: number;
  ack?: number;
  len?: number;
  marks?: number;
  conn?: number;
  window?: number;
}

export function makePackets(specs: readonly PacketSpec[]): { packets: PacketColumns; rows: Uint32Array } {
  const table = new PacketTable(specs.length);
  for (const s of specs) {
    const r = table.push();
    const c = table.cols;
    c.frame[r] = s.frame;
    c.conn[r] = s.conn ?? 0;
    c.timeNs[r] = Math.round(s.t * 1e9);
    c.flags[r] = s.fromClient ? s.flags | FROM_CLIENT : s.flags;
    c.seq[r] = s.seq >>> 0;
    c.ack[r] = (s.ack ?? 0) >>> 0;
    c.payloadLen[r] = s.len ?? 0;
    c.marks[r] = s.marks ?? 0;
    c.window[r] = s.window ?? 64240;
  }
  return { packets: table.trimmed().packets, rows: Uint32Array.from(specs, (_, i) => i) };
}
