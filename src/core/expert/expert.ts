/**
 * The expert list, as Wireshark's Expert Info: every packet the TCP analysis marked (retransmission,
 * duplicate ACK, zero window, keep-alive, ...) and every connection event (SYN, FIN, RST), one item
 * per frame and kind, with a severity.
 *
 * Items are read from the packet columns the tracker wrote (its `marks` byte and the flags); the
 * tracker's retransmission mark is split here the way Wireshark splits it (fast retransmission,
 * out-of-order, spurious retransmission, retransmission: packet-tcp.c, tcp_analyze_sequence_number),
 * and "window full" is found here, replaying each connection's ACKs and windows once. Where we differ
 * from tshark by design is written in expert.tshark.test.ts.
 *
 * A million items are a few typed arrays, not a million objects.
 */
import type { PacketColumns } from '../model/packet-table.ts';
import { isFromClient, tcpFlags } from '../model/packet-table.ts';
import { PacketMark, TcpFlag } from '../model/types.ts';
import { seqAdd, seqGt, seqLe } from '../tcp/seq.ts';

/** Wireshark's expert severities, most severe first (no kind here is an error: malformed frames are warnings of the report). */
export type ExpertSeverity = 'error' | 'warning' | 'note' | 'chat';

export interface ExpertKindDef {
  /** Stable id (URL, tests, `data-kind`). */
  id: string;
  severity: ExpertSeverity;
  /** Wireshark's words for it, shortened. */
  title: string;
  /** The display-filter field Wireshark and our filter use for it, or null (ours only, or a flag). */
  field: string | null;
}

/**
 * Every kind, in the order the list shows them (most severe first). The index in this table is the
 * kind's code in `ExpertItems.kind`.
 */
export const EXPERT_KINDS = [
  { id: 'reset', severity: 'warning', title: 'Connection reset (RST)', field: null },
  { id: 'lost-segment', severity: 'warning', title: 'Previous segment not captured', field: 'tcp.analysis.lost_segment' },
  { id: 'acked-unseen', severity: 'warning', title: 'ACKed segment that was not captured', field: 'tcp.analysis.ack_lost_segment' },
  { id: 'out-of-order', severity: 'warning', title: 'Out-of-order segment', field: 'tcp.analysis.out_of_order' },
  { id: 'zero-window', severity: 'warning', title: 'Zero window', field: 'tcp.analysis.zero_window' },
  { id: 'window-full', severity: 'warning', title: 'Window full', field: 'tcp.analysis.window_full' },
  { id: 'out-of-window', severity: 'warning', title: "Outside the receiver's window", field: null },
  { id: 'retransmission', severity: 'note', title: 'Retransmission', field: 'tcp.analysis.retransmission' },
  { id: 'fast-retransmission', severity: 'note', title: 'Fast retransmission', field: 'tcp.analysis.fast_retransmission' },
  { id: 'spurious-retransmission', severity: 'note', title: 'Spurious retransmission', field: 'tcp.analysis.spurious_retransmission' },
  { id: 'duplicate-ack', severity: 'note', title: 'Duplicate ACK', field: 'tcp.analysis.duplicate_ack' },
  { id: 'keep-alive', severity: 'note', title: 'Keep-alive', field: 'tcp.analysis.keep_alive' },
  { id: 'syn', severity: 'chat', title: 'Connection establish request (SYN)', field: null },
  { id: 'syn-ack', severity: 'chat', title: 'Connection establish acknowledge (SYN+ACK)', field: null },
  { id: 'fin', severity: 'chat', title: 'Connection finish (FIN)', field: null },
] as const satisfies readonly ExpertKindDef[];

export type ExpertKind = (typeof EXPERT_KINDS)[number]['id'];

const CODE = new Map<string, number>(EXPERT_KINDS.map((k, i) => [k.id, i]));

/** The code of a kind id, or -1. */
export function expertKindCode(id: string): number {
  return CODE.get(id) ?? -1;
}

const K = Object.fromEntries(EXPERT_KINDS.map((k, i) => [k.id, i])) as Record<ExpertKind, number>;

/** The list's items as columns, grouped by connection (then by frame), as the packet rows are. */
export interface ExpertItems {
  count: number;
  frame: Uint32Array;
  /** Packet row of the item (into the columns it was read from). */
  row: Uint32Array;
  conn: Uint32Array;
  /** Index into EXPERT_KINDS. */
  kind: Uint8Array;
  /** Connection c's items are `itemStart[c] .. itemStart[c + 1]`. */
  itemStart: Uint32Array;
  /** Items per kind (index into EXPERT_KINDS). */
  counts: Uint32Array;
}

/** What the expert analysis needs of a connection beyond its packets. */
export interface ExpertContext {
  /** The handshake's round trip in seconds, or null (out-of-order's threshold; Wireshark's 3 ms without one). */
  rtt(conn: number): number | null;
  /**
   * The window scale shift a side's windows are multiplied by, or -1 when it is not known (its SYN
   * was not captured): without it, "window full" is not judged, as in Wireshark.
   */
  windowShift(conn: number, fromClient: boolean): number;
}

/** Wireshark's fast retransmission: within 20 ms of the last duplicate ACK. */
const FAST_RETRANSMISSION_NS = 20e6;
/** Wireshark's out-of-order threshold without a handshake round trip. */
const DEFAULT_OOO_NS = 3e6;

const { SYN, FIN, RST, ACK } = TcpFlag;

class Growing {
  frame = new Uint32Array(256);
  row = new Uint32Array(256);
  conn = new Uint32Array(256);
  kind = new Uint8Array(256);
  length = 0;

  push(frame: number, row: number, conn: number, kind: number): void {
    if (this.length === this.frame.length) {
      const n = this.length * 2;
      this.frame = grow(this.frame, new Uint32Array(n));
      this.row = grow(this.row, new Uint32Array(n));
      this.conn = grow(this.conn, new Uint32Array(n));
      this.kind = grow(this.kind, new Uint8Array(n));
    }
    const i = this.length++;
    this.frame[i] = frame;
    this.row[i] = row;
    this.conn[i] = conn;
    this.kind[i] = kind;
  }
}

function grow<T extends Uint8Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Every expert item of the connections whose packet rows `connStart` delimits (connection c's rows are
 * `connStart[c] .. connStart[c + 1]`, in file order), one pass over the rows.
 */
export function collectExpertItems(packets: PacketColumns, connStart: ArrayLike<number>, context: ExpertContext): ExpertItems {
  const out = new Growing();
  const conns = Math.max(0, connStart.length - 1);
  const itemStart = new Uint32Array(conns + 1);
  walkExpertItems(packets, connStart, context, {
    connection: (c) => (itemStart[c] = out.length),
    item: (f, r, c, kind) => out.push(f, r, c, kind),
  });
  itemStart[conns] = out.length;
  const n = out.length;
  const kind = out.kind.slice(0, n);
  const counts = new Uint32Array(EXPERT_KINDS.length);
  for (let i = 0; i < n; i++) counts[kind[i]!]!++;
  return { count: n, frame: out.frame.slice(0, n), row: out.row.slice(0, n), conn: out.conn.slice(0, n), kind, itemStart, counts };
}

/** Where a walk over the expert items puts them: each connection as it begins, then its items. */
interface ExpertSink {
  connection(conn: number): void;
  item(frame: number, row: number, conn: number, kind: number): void;
}

/** The one pass over the rows behind `collectExpertItems` and `connectionExpertMasks`. */
function walkExpertItems(packets: PacketColumns, connStart: ArrayLike<number>, context: ExpertContext, out: ExpertSink): void {
  const conns = Math.max(0, connStart.length - 1);
  // Per direction (0: client, 1: server): highest sequence end and when it moved, the last ACK, when,
  // and how many duplicates of it, the last window and whether it came in a SYN (never scaled).
  const nextSeq = [0, 0];
  const nextSeqNs = [0, 0];
  const lastAck = [0, 0];
  const lastAckNs = [0, 0];
  const dupAcks = [0, 0];
  const window = [0, 0];
  const windowInSyn = [false, false];
  const shift = [0, 0];
  const peerKeepAlive = [false, false];
  let oooNs = DEFAULT_OOO_NS;

  /**
   * Which of Wireshark's four a segment the tracker marked as retransmitted is, in Wireshark's order
   * (spurious, fast, out-of-order, plain), or -1 when Wireshark would not call it one (more than a
   * byte starting one below the highest sequence: new data after a zero-window probe).
   */
  const retransmissionKind = (s: number, len: number, flags: number, t: number, d: number): number => {
    const p = 1 - d;
    const segEnd = seqAdd(s, len);
    if (len > 0 && lastAck[p]! > 0 && seqLe(segEnd, lastAck[p]!)) return K['spurious-retransmission'];
    if (len > 1 && seqAdd(nextSeq[d]!, -1) === s) return -1;
    if (dupAcks[p]! >= 2 && lastAck[p] === s && t - lastAckNs[p]! < FAST_RETRANSMISSION_NS) return K['fast-retransmission'];
    const end = seqAdd(segEnd, flags & (SYN | FIN) ? 1 : 0);
    if (t - nextSeqNs[d]! < oooNs && nextSeq[d] !== end) return K['out-of-order'];
    return K.retransmission;
  };
  const { frame, seq, ack, payloadLen, marks, timeNs } = packets;
  for (let c = 0; c < conns; c++) {
    out.connection(c);
    nextSeq[0] = nextSeq[1] = lastAck[0] = lastAck[1] = window[0] = window[1] = -1;
    dupAcks[0] = dupAcks[1] = 0;
    peerKeepAlive[0] = peerKeepAlive[1] = false;
    const rtt = context.rtt(c);
    oooNs = rtt === null ? DEFAULT_OOO_NS : rtt * 1e9;
    shift[0] = context.windowShift(c, true);
    shift[1] = context.windowShift(c, false);
    for (let r = connStart[c]!, end = connStart[c + 1]!; r < end; r++) {
      const f = frame[r]!;
      const flags = tcpFlags(packets, r);
      const m = marks[r]!;
      const d = isFromClient(packets, r) ? 0 : 1;
      const p = 1 - d;
      const s = seq[r]!;
      const a = ack[r]!;
      const len = payloadLen[r]!;
      const t = timeNs[r]!;
      if (flags & SYN) out.item(f, r, c, flags & ACK ? K['syn-ack'] : K.syn);
      if (flags & FIN) out.item(f, r, c, K.fin);
      if (flags & RST) out.item(f, r, c, K.reset);
      if (m & PacketMark.lostSegment) out.item(f, r, c, K['lost-segment']);
      if (m & PacketMark.ackedUnseen) out.item(f, r, c, K['acked-unseen']);
      if (m & PacketMark.retransmission) {
        const kind = retransmissionKind(s, len, flags, t, d);
        if (kind >= 0) out.item(f, r, c, kind);
      }
      if (m & PacketMark.zeroWindow) out.item(f, r, c, K['zero-window']);
      // The segment reaches the right edge of the window the receiver last advertised.
      if (len > 0 && !(flags & (SYN | FIN | RST)) && shift[p]! >= 0 && lastAck[p]! >= 0 && window[p]! >= 0) {
        const edge = seqAdd(lastAck[p]!, window[p]! * 2 ** (windowInSyn[p] ? 0 : shift[p]!));
        if (seqAdd(s, len) === edge) out.item(f, r, c, K['window-full']);
      }
      if (m & PacketMark.outOfWindow) out.item(f, r, c, K['out-of-window']);
      // Wireshark's duplicate ACK: nothing new but the ACK it repeats, same window, not the answer to a keep-alive.
      const w = packets.window[r]!;
      const dup =
        len === 0 &&
        !(flags & (SYN | FIN | RST)) &&
        w !== 0 &&
        w === window[d] &&
        s === nextSeq[d] &&
        a === lastAck[d] &&
        !peerKeepAlive[p];
      if (dup) {
        dupAcks[d]!++;
        out.item(f, r, c, K['duplicate-ack']);
      } else if (a !== lastAck[d]) dupAcks[d] = 0;
      if (m & PacketMark.keepalive) out.item(f, r, c, K['keep-alive']);

      const seqEnd = seqAdd(s, len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0));
      if (nextSeq[d]! < 0 || seqGt(seqEnd, nextSeq[d]!)) {
        nextSeq[d] = seqEnd;
        nextSeqNs[d] = t;
      }
      lastAck[d] = a;
      lastAckNs[d] = t;
      window[d] = w;
      windowInSyn[d] = (flags & SYN) !== 0;
      peerKeepAlive[d] = (m & PacketMark.keepalive) !== 0;
    }
  }
}

/** One kind's count, for the list's groups. */
export interface ExpertCount {
  kind: ExpertKind;
  severity: ExpertSeverity;
  count: number;
}

/** The kinds present in items `from .. to` (all of them by default) with their counts, in EXPERT_KINDS order. */
export function expertCounts(items: ExpertItems, from = 0, to = items.count): ExpertCount[] {
  let counts = items.counts;
  if (from !== 0 || to !== items.count) {
    counts = new Uint32Array(EXPERT_KINDS.length);
    for (let i = from; i < to; i++) counts[items.kind[i]!]!++;
  }
  const out: ExpertCount[] = [];
  EXPERT_KINDS.forEach((k, i) => {
    if (counts[i]! > 0) out.push({ kind: k.id, severity: k.severity, count: counts[i]! });
  });
  return out;
}

/**
 * The item indices of one kind (or of every kind, null) in frame order, for a list that pages through
 * them. Within one kind a frame appears once, so frames order them fully.
 */
export function expertOrder(items: ExpertItems, kind: number | null): Uint32Array {
  let n = 0;
  for (let i = 0; i < items.count; i++) if (kind === null || items.kind[i] === kind) n++;
  const order = new Uint32Array(n);
  n = 0;
  for (let i = 0; i < items.count; i++) if (kind === null || items.kind[i] === kind) order[n++] = i;
  const { frame, kind: kinds } = items;
  order.sort((a, b) => frame[a]! - frame[b]! || kinds[a]! - kinds[b]!);
  return order;
}

/** Bits of a connection's expert mask a kind's items set: client's packets in the low 16, the server's in the high. */
export const EXPERT_SERVER_SHIFT = 16;

/**
 * Which kinds each connection has, per direction, as one number a connection (bit k: kind code k
 * on a packet the client sent; bit 16 + k: the server sent it). The connection filter reads the
 * `tcp.analysis.*` fields from it, so a million connections are filtered without their items.
 */
export function expertMasks(items: ExpertItems, packets: PacketColumns): Uint32Array {
  const conns = Math.max(0, items.itemStart.length - 1);
  const masks = new Uint32Array(conns);
  for (let i = 0; i < items.count; i++) {
    const bit = items.kind[i]! + (isFromClient(packets, items.row[i]!) ? 0 : EXPERT_SERVER_SHIFT);
    masks[items.conn[i]!]! |= 1 << bit;
  }
  return masks;
}

/**
 * The same masks straight from the packets, without keeping the items: what the worker and the
 * command line compute when the analysis ends (a million connections' items would be tens of MB).
 */
export function connectionExpertMasks(packets: PacketColumns, connStart: ArrayLike<number>, context: ExpertContext): Uint32Array {
  const masks = new Uint32Array(Math.max(0, connStart.length - 1));
  walkExpertItems(packets, connStart, context, {
    connection: () => {},
    item: (_f, r, c, kind) => {
      masks[c]! |= 1 << (kind + (isFromClient(packets, r) ? 0 : EXPERT_SERVER_SHIFT));
    },
  });
  return masks;
}

/** The mask bits (client's) of every kind that has a Wireshark `tcp.analysis.*` field: what `tcp.analysis.flags` stands for. */
export const ANALYSIS_FLAGS_MASK = EXPERT_KINDS.reduce((m, k, i) => (k.field?.startsWith('tcp.analysis.') ? m | (1 << i) : m), 0);
