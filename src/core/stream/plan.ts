/**
 * Follow a TCP stream, first without its bytes: from the packet columns alone (sequence and
 * acknowledgement numbers, flags, TCP lengths), which byte range of which frame's payload is new, in
 * what order the two directions' bytes are shown, where bytes are missing, and where FINs and RSTs
 * came. The bytes are then read back for the part asked for (see follow.ts), so a connection of
 * gigabytes is planned from its columns and only a page of it is ever read.
 *
 * As Wireshark's "Follow TCP Stream" (follow.c): each direction is put in sequence order (RFC 9293
 * §3.4: SYN and FIN take one sequence number each), bytes already shown are not shown again
 * (retransmissions, overlapping or not), segments that arrive early wait for the hole before them,
 * and a hole becomes a gap when the receiver acknowledges past it (it had the bytes: the capture
 * missed them), when too much waits behind it, or at the end of the connection.
 */
import { PacketMark, TcpFlag } from '../model/types.ts';
import { isFromClient, tcpFlags, type PacketColumns } from '../model/packet-table.ts';
import { seqDiff } from '../tcp/seq.ts';

export type StreamSide = 'client' | 'server';

/** Bytes [from, from + length) of the TCP payload of packet row `row`: stream bytes shown once. */
export interface PlannedData {
  kind: 'data';
  side: StreamSide;
  row: number;
  frame: number;
  /** Offset in the frame's TCP payload. */
  from: number;
  length: number;
  /** Offset of the first byte in its direction's stream (0 = the byte after the SYN). */
  offset: number;
  /** The bytes fill part of a gap shown before them: the capture holds them after the segment that showed the gap. */
  late: boolean;
}

/** Bytes of one direction the capture does not hold (a sequence hole). */
export interface PlannedGap {
  kind: 'gap';
  side: StreamSide;
  /** Offset of the first missing byte in its direction's stream, and how many are missing. */
  offset: number;
  length: number;
  /** The frame that showed the hole: the first segment after it, or the acknowledgement past it. */
  frame: number;
  /** Bytes of the hole that came later after all (shown there, as late data). */
  late: number;
}

/** A side's FIN (its first one, when it comes in sequence order). */
export interface PlannedFin {
  kind: 'fin';
  side: StreamSide;
  frame: number;
}

/** A run of RSTs from one side with no stream bytes between them. */
export interface PlannedReset {
  kind: 'reset';
  side: StreamSide;
  frame: number;
  lastFrame: number;
  count: number;
}

/** Every item is at a position in the stream: the stream bytes (both sides) shown before it. */
export type PlannedItem = (PlannedData | PlannedGap | PlannedFin | PlannedReset) & { at: number };

export interface StreamPlan {
  items: PlannedItem[];
  /** Stream bytes per side (what the data items hold), and the total. */
  bytes: { client: number; server: number };
  total: number;
  /** Payload bytes left out because they had been shown already (retransmissions). */
  duplicateBytes: number;
  /** Bytes in sequence holes, per side. */
  gapBytes: { client: number; server: number };
  /** Data segments left out because they were outside the receiver's window. */
  outOfWindow: number;
}

/**
 * Stream positions [from, to] whose items the plan keeps (the totals always count everything): a
 * connection of a million segments is planned without a million items when one page is asked for.
 */
export interface PlanWindow {
  from: number;
  to: number;
}

export interface PlanInput {
  /** The packet columns and the rows of one connection in them, in file order. */
  packets: Pick<PacketColumns, 'frame' | 'seq' | 'ack' | 'flags' | 'payloadLen' | 'marks'>;
  rows: ArrayLike<number>;
  /**
   * Sequence number each side counts from (its ISN, or the first sequence seen minus one, as the
   * connection records it); null for a side with no packet.
   */
  bases: { client: number | null; server: number | null };
}

/** Out-of-order segments one side may have waiting for a hole before it is taken as a gap. */
const MAX_WAITING = 256;
const MAX_WAITING_BYTES = 4 << 20;
/** Gaps per side kept to be filled by bytes that come late (a capture that wrote an ACK before the data it acknowledges). */
const MAX_OPEN_GAPS = 64;

interface Waiting {
  start: number;
  end: number;
  row: number;
  frame: number;
  fin: boolean;
}

/** What one direction has shown so far; positions are sequence offsets from the side's base. */
class Direction {
  /** Last sequence number seen and its offset (unwrapped: a stream may pass 4 GiB). */
  private lastSeq: number;
  private lastRel = 0;
  /** Next position to show: everything before it is shown, or a gap, or the SYN. */
  next = 1;
  /** Highest position the other side has acknowledged. */
  acked = 0;
  finAt: number | null = null;
  finShown = false;
  /** The holes shown as gaps, what of them is still unfilled (recent ones only). */
  gaps: { holes: [number, number][]; item: PlannedGap }[] = [];
  waiting: Waiting[] = [];
  waitingBytes = 0;

  constructor(
    readonly side: StreamSide,
    base: number,
  ) {
    this.lastSeq = base;
  }

  /** The position of sequence number `seq`, taken as the nearest to the last one seen. */
  position(seq: number, remember: boolean): number {
    const rel = this.lastRel + seqDiff(seq, this.lastSeq);
    if (remember) {
      this.lastSeq = seq;
      this.lastRel = rel;
    }
    return rel;
  }
}

/** Plan the stream of one connection; see the module comment. */
export function planStream(input: PlanInput, window: PlanWindow = { from: 0, to: Infinity }): StreamPlan {
  const { packets, rows } = input;
  const items: PlannedItem[] = [];
  const plan: StreamPlan = {
    items,
    bytes: { client: 0, server: 0 },
    total: 0,
    duplicateBytes: 0,
    gapBytes: { client: 0, server: 0 },
    outOfWindow: 0,
  };
  const client = input.bases.client === null ? null : new Direction('client', input.bases.client);
  const server = input.bases.server === null ? null : new Direction('server', input.bases.server);
  let lastReset: (PlannedReset & { at: number }) | null = null;
  /** Keep an item at position `at` spanning `length` stream bytes, if it touches the window. */
  const keep = (item: PlannedItem, length: number): void => {
    const { at } = item;
    if (length > 0 ? at < window.to && at + length > window.from : at >= window.from && at <= window.to) items.push(item);
  };

  const emitData = (d: Direction, row: number, frame: number, start: number, from: number, to: number, late = false): void => {
    if (to <= from) return;
    keep({ kind: 'data', side: d.side, row, frame, from: from - start, length: to - from, offset: from - 1, late, at: plan.total }, to - from);
    plan.bytes[d.side] += to - from;
    plan.total += to - from;
    lastReset = null;
  };
  const emitGap = (d: Direction, to: number, frame: number): void => {
    if (to <= d.next) return;
    const item: PlannedGap & { at: number } = { kind: 'gap', side: d.side, offset: d.next - 1, length: to - d.next, frame, late: 0, at: plan.total };
    keep(item, 0);
    d.gaps.push({ holes: [[d.next, to]], item });
    if (d.gaps.length > MAX_OPEN_GAPS) d.gaps.shift();
    plan.gapBytes[d.side] += to - d.next;
    d.next = to;
    lastReset = null;
  };
  const emitFin = (d: Direction, frame: number): void => {
    d.next = Math.max(d.next, (d.finAt ?? d.next) + 1);
    if (d.finShown) return;
    d.finShown = true;
    keep({ kind: 'fin', side: d.side, frame, at: plan.total }, 0);
  };
  /**
   * Bytes [from, to) of a segment, before the next position, that fall in gaps shown earlier: shown
   * now as late data, taken off their gaps. Returns how many.
   */
  const fillGaps = (d: Direction, row: number, frame: number, start: number, from: number, to: number): number => {
    let filled = 0;
    for (const gap of d.gaps) {
      const rest: [number, number][] = [];
      for (const [a, b] of gap.holes) {
        const lo = Math.max(a, from);
        const hi = Math.min(b, to);
        if (hi <= lo) {
          rest.push([a, b]);
          continue;
        }
        emitData(d, row, frame, start, lo, hi, true);
        gap.item.late += hi - lo;
        plan.gapBytes[d.side] -= hi - lo;
        filled += hi - lo;
        if (a < lo) rest.push([a, lo]);
        if (hi < b) rest.push([hi, b]);
      }
      gap.holes = rest;
    }
    if (filled > 0) d.gaps = d.gaps.filter((g) => g.holes.length > 0);
    return filled;
  };

  /** Show what waits and is now in order; drop what was shown meanwhile. */
  const drain = (d: Direction): void => {
    let progressed = true;
    while (progressed && d.waiting.length > 0) {
      progressed = false;
      for (let i = 0; i < d.waiting.length; i++) {
        const w = d.waiting[i]!;
        if (w.start > d.next) continue;
        d.waiting.splice(i, 1);
        d.waitingBytes -= w.end - w.start;
        if (w.end > d.next) {
          emitData(d, w.row, w.frame, w.start, d.next, w.end);
          d.next = w.end;
        } else if (w.end < d.next) {
          plan.duplicateBytes += w.end - w.start;
        }
        if (w.fin && w.end >= d.next) emitFin(d, w.frame);
        progressed = true;
        break;
      }
    }
  };
  /** Take the hole before the first waiting segment as a gap, then show what follows it. */
  const fillFirstHole = (d: Direction, frame: number): void => {
    let first = Infinity;
    for (const w of d.waiting) first = Math.min(first, w.start);
    if (first === Infinity) return;
    emitGap(d, first, frame);
    drain(d);
  };
  /** Holes the receiver has acknowledged past are gaps: it had those bytes. */
  const settleAcked = (d: Direction, frame: number): void => {
    for (;;) {
      let first = Infinity;
      for (const w of d.waiting) first = Math.min(first, w.start);
      if (first === Infinity || first > d.acked) return;
      fillFirstHole(d, frame);
    }
  };

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const fromClient = isFromClient(packets, row);
    const d = fromClient ? client : server;
    const peer = fromClient ? server : client;
    if (!d) continue;
    const flags = tcpFlags(packets, row);
    const frame = packets.frame[row]!;
    const seq = packets.seq[row]!;
    const len = packets.payloadLen[row]!;
    const syn = (flags & TcpFlag.SYN) !== 0;
    const rst = (flags & TcpFlag.RST) !== 0;
    const fin = (flags & TcpFlag.FIN) !== 0 && !rst;

    // Only a plausible segment moves the unwrapping reference: a forged RST or an out-of-window
    // segment half the sequence space away would otherwise shift what follows by 4 GiB.
    const at = d.position(seq, false);
    const plausible = !rst && (packets.marks[row]! & PacketMark.outOfWindow) === 0 && Math.abs(at - d.next) < 1 << 30;
    if (plausible) d.position(seq, true);
    const start = at + (syn ? 1 : 0);
    const end = start + len;
    if (len > 0 && (packets.marks[row]! & PacketMark.outOfWindow) !== 0) {
      plan.outOfWindow++;
    } else if (len > 0 || fin) {
      if (fin && d.finAt === null) d.finAt = end;
      if (start <= d.next) {
        let seen = Math.min(end, d.next) - start;
        if (seen > 0 && d.gaps.length > 0) seen -= fillGaps(d, row, frame, start, start, Math.min(end, d.next));
        plan.duplicateBytes += seen;
        if (end > d.next) {
          emitData(d, row, frame, start, d.next, end);
          d.next = end;
        }
        if (fin && end >= d.next) emitFin(d, frame);
        drain(d);
      } else {
        d.waiting.push({ start, end, row, frame, fin });
        d.waitingBytes += len;
        settleAcked(d, frame);
        while (d.waiting.length > MAX_WAITING || d.waitingBytes > MAX_WAITING_BYTES) fillFirstHole(d, frame);
      }
    }

    if (rst) {
      // Where the RST cut the stream: after its own bytes (a reason text some stacks send, which
      // Wireshark's Follow shows as stream bytes too). A run of RSTs is one mark.
      if (lastReset && lastReset.side === d.side) {
        lastReset.lastFrame = frame;
        lastReset.count++;
      } else {
        lastReset = { kind: 'reset', side: d.side, frame, lastFrame: frame, count: 1, at: plan.total };
        keep(lastReset, 0);
      }
      continue;
    }

    if (peer && (flags & TcpFlag.ACK) !== 0) {
      const acked = peer.position(packets.ack[row]!, false);
      if (acked > peer.acked) {
        peer.acked = acked;
        settleAcked(peer, frame);
      }
    }
  }

  // The end of the connection: what still waits comes after gaps, and a FIN seen past the last
  // byte shown means bytes before it were not captured. An acknowledgement past the last byte alone
  // is not taken as a gap: it may cover a FIN not captured, or be forged (an injected segment).
  const lastFrame = rows.length > 0 ? packets.frame[rows[rows.length - 1]!]! : 0;
  for (const d of [client, server]) {
    if (!d) continue;
    while (d.waiting.length > 0) fillFirstHole(d, lastFrame);
    if (d.finAt !== null && !d.finShown) {
      emitGap(d, d.finAt, lastFrame);
      emitFin(d, lastFrame);
    }
  }
  return plan;
}
