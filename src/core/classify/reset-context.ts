/**
 * What the rules look at for every RST: the state of both directions of its connection just before
 * it (one forward pass over the connection's packets), what happened after it (one backward pass),
 * the sender's TTL/IP ID habits in the connection and across the capture, and the capture point.
 * Only connections with a RST get the passes; everything is linear in their packets.
 */
import { isFromClient, tcpFlags, type PacketColumns } from '../model/packet-table.ts';
import type { AppContext } from '../app/types.ts';
import { PacketMark, TcpFlag, type Completeness, type Endpoint, type Side } from '../model/types.ts';
import type { ConnView } from './conn-view.ts';
import { dirIndex, type IpIdRun, type RstRecord, type TtlRange } from '../tcp/connection-table.ts';
import { seqGt } from '../tcp/seq.ts';
import { inferCapturePoint, type CapturePoint } from './capture-point.ts';
import { kernelTtl, type HostFacts } from './host-facts.ts';

export type { TtlRange } from '../tcp/connection-table.ts';

const { FIN, SYN, RST, ACK } = TcpFlag;
const MAX_RETRANS_FRAMES = 64;
/**
 * The frames of a direction with no retransmission since the last ACK: one array for all of them
 * (most directions, and the snapshots of every reset's context), never written to: `advance` makes
 * a direction its own array at its first retransmission.
 */
const NO_RETRANS: number[] = [];
/** Packets within this many round trips (plus the slack, for jitter) after a RST were already in flight. */
export const IN_FLIGHT_FACTOR = 1.25;
export const IN_FLIGHT_SLACK_NS = 2e6;

/** One packet, read out of the columns. */
export interface Pkt {
  row: number;
  frame: number;
  timeNs: number;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  fromClient: boolean;
  window: number;
  marks: number;
}

/**
 * A RST, with the IP-level facts its tracker record keeps (packets keep no TTL or IP ID: only RSTs
 * and the sender's next packet after one have them, see `RstRecord`).
 */
export interface RstPkt extends Pkt {
  ttl: number;
  ipId: number;
}

/**
 * A packet of the RST's sender after it, with its TTL when the RST's record knows it (the record
 * keeps the TTL of the sender's first packet after the RST only; null for any other).
 */
export interface NextPkt extends Pkt {
  ttl: number | null;
}

/** Row `row` as a packet. */
export function readPkt(cols: PacketColumns, row: number): Pkt {
  return {
    row,
    frame: cols.frame[row]!,
    timeNs: cols.timeNs[row]!,
    flags: tcpFlags(cols, row),
    seq: cols.seq[row]!,
    ack: cols.ack[row]!,
    len: cols.payloadLen[row]!,
    fromClient: isFromClient(cols, row),
    window: cols.window[row]!,
    marks: cols.marks[row]!,
  };
}

/** Row `row` as a RST, with what its tracker record noted (no spread copy of `readPkt`'s object). */
function readRst(cols: PacketColumns, row: number, ttl: number, ipId: number): RstPkt {
  return {
    row,
    frame: cols.frame[row]!,
    timeNs: cols.timeNs[row]!,
    flags: tcpFlags(cols, row),
    seq: cols.seq[row]!,
    ack: cols.ack[row]!,
    len: cols.payloadLen[row]!,
    fromClient: isFromClient(cols, row),
    window: cols.window[row]!,
    marks: cols.marks[row]!,
    ttl,
    ipId,
  };
}

/** Row `row` as a packet of the RST's sender after it, with its TTL when known. */
function readNext(cols: PacketColumns, row: number, ttl: number | null): NextPkt {
  return {
    row,
    frame: cols.frame[row]!,
    timeNs: cols.timeNs[row]!,
    flags: tcpFlags(cols, row),
    seq: cols.seq[row]!,
    ack: cols.ack[row]!,
    len: cols.payloadLen[row]!,
    fromClient: isFromClient(cols, row),
    window: cols.window[row]!,
    marks: cols.marks[row]!,
    ttl,
  };
}

/** One direction's state up to (not including) a given packet. RSTs do not move it. */
export class DirRun {
  /** Non-RST packets sent. */
  packets = 0;
  synFrame = 0;
  synTimeNs = 0;
  synSeq = 0;
  /** The SYN carried ACK (a SYN-ACK). */
  synAck = false;
  finFrame = 0;
  finTimeNs = 0;
  /** One past the highest sequence number sent (SYN and FIN count). */
  nextSeq: number | null = null;
  /** One past the highest data byte sent. */
  dataEnd: number | null = null;
  dataPackets = 0;
  lastData: Pkt | null = null;
  /** Highest acknowledgement sent, and the window that came with the latest ACK. */
  highestAck: number | null = null;
  highestAckFrame = 0;
  lastWindow = -1;
  /** Data retransmissions since the peer's acknowledgement last moved forward. */
  retransSinceAck = 0;
  retransFrames: number[] = NO_RETRANS;
  keepalives = 0;
  lastKeepalive: Pkt | null = null;
  /** This side's RSTs so far. */
  rsts = 0;
  /** Filled in snapshots only (the pass keeps rows, so it allocates nothing per packet). */
  last: Pkt | null = null;
  lastRow = -1;
  lastDataRow = -1;
  lastKeepaliveRow = -1;

  /**
   * This run itself as the state for the context of its connection's last packet, a RST (most
   * connections with one end so): nothing moves it after, so no copy is needed. Fills in the
   * remembered packets, as `snapshot` does.
   */
  asLast(cols: PacketColumns): DirRun {
    this.last = this.lastRow >= 0 ? readPkt(cols, this.lastRow) : null;
    this.lastData = this.lastDataRow < 0 ? null : this.lastDataRow === this.lastRow ? this.last : readPkt(cols, this.lastDataRow);
    this.lastKeepalive = this.lastKeepaliveRow < 0 ? null : this.lastKeepaliveRow === this.lastRow ? this.last : readPkt(cols, this.lastKeepaliveRow);
    return this;
  }

  /** A copy for one RST's context, with the remembered packets read out of the columns. */
  snapshot(cols: PacketColumns): DirRun {
    // Field by field (not Object.assign, which is slow here): keep in step with the fields above.
    const d = new DirRun();
    d.packets = this.packets;
    d.synFrame = this.synFrame;
    d.synTimeNs = this.synTimeNs;
    d.synSeq = this.synSeq;
    d.synAck = this.synAck;
    d.finFrame = this.finFrame;
    d.finTimeNs = this.finTimeNs;
    d.nextSeq = this.nextSeq;
    d.dataEnd = this.dataEnd;
    d.dataPackets = this.dataPackets;
    d.highestAck = this.highestAck;
    d.highestAckFrame = this.highestAckFrame;
    d.lastWindow = this.lastWindow;
    d.retransSinceAck = this.retransSinceAck;
    d.retransFrames = this.retransFrames.length === 0 ? NO_RETRANS : this.retransFrames.slice();
    d.keepalives = this.keepalives;
    d.rsts = this.rsts;
    d.lastRow = this.lastRow;
    d.lastDataRow = this.lastDataRow;
    d.lastKeepaliveRow = this.lastKeepaliveRow;
    d.last = this.lastRow >= 0 ? readPkt(cols, this.lastRow) : null;
    d.lastData = this.lastDataRow < 0 ? null : this.lastDataRow === this.lastRow ? d.last : readPkt(cols, this.lastDataRow);
    d.lastKeepalive = this.lastKeepaliveRow < 0 ? null : this.lastKeepaliveRow === this.lastRow ? d.last : readPkt(cols, this.lastKeepaliveRow);
    return d;
  }
}

/** What happened on the connection after a RST. */
export interface After {
  /** Non-RST packets from the peer after the RST, the first of them, and how many carried data. */
  peerPackets: number;
  peerFirst: Pkt | null;
  peerData: number;
  /** Time of the peer's last packet after the RST. */
  peerLastNs: number;
  /** Non-RST packets from the RST's sender after it, and the first. */
  senderPackets: number;
  senderFirst: NextPkt | null;
  /** RSTs from the same sender after this one. */
  senderRsts: number;
  /**
   * The peer's packets that arrived more than one round trip after the RST (`inFlightNs`), with
   * timestamps that do not go backwards: sent after the RST could have arrived. Packets closer to
   * the RST were already in flight and show nothing about whether it arrived. Counting stops at a
   * new SYN from either side (a retried attempt is another conversation).
   */
  peerLate: number;
  peerLateFirst: Pkt | null;
  /**
   * The peer's first packet after the RST, and its data segments after it (in flight or not),
   * with timestamps that do not go backwards and before any new SYN, and the first of those.
   */
  peerNext: Pkt | null;
  peerDataAfter: number;
  peerDataAfterFirst: Pkt | null;
  peerLateData: number;
  peerLateLastNs: number;
  /**
   * The sender's first segment after the RST that shows it carrying on with the connection: data
   * or a FIN, not a SYN or SYN-ACK (a new attempt, after which nothing counts), not a copy from
   * earlier in time (timestamps going backwards), not a segment sent before the RST and overtaken by it.
   */
  senderCarriesOn: NextPkt | null;
}

/**
 * What the rules read beside the packets: the application's context and the capture's completeness
 * of the RST's connection (the tracker's and src/core/app's, see `Connection`). Rules that use
 * them: app-error, abort, fast-close, data-after-close, injected, out-of-window; every verdict's
 * explanation says what the capture is missing (index.ts).
 */
export interface ResetSeams {
  /**
   * What the application said on this connection (HTTP request and status, whether the body
   * reached its Content-Length or last chunk, TLS ClientHello/alerts/close_notify, SSH/SMTP/FTP
   * greetings); undefined when nothing was recognised.
   */
  app?: AppContext | undefined;
  /**
   * What the capture is missing on this connection and direction: segments not captured, ACKs of
   * bytes never seen, a direction missing, capture started mid-connection, payloads cut by the snap length.
   */
  completeness?: Completeness | undefined;
}

export interface ResetContext {
  conn: ConnView;
  rst: RstPkt;
  /** 0-based position of the RST among its connection's packets. */
  index: number;
  side: Side;
  peerSide: Side;
  sender: Endpoint;
  receiver: Endpoint;
  /** State of each direction just before the RST. */
  me: DirRun;
  peer: DirRun;
  /** The packet right before the RST in the connection (any side, RSTs included). */
  prev: Pkt | null;
  /** The peer's last packet before the RST (non-RST). */
  prevPeer: Pkt | null;
  /** Silence before the RST, and the largest gap between earlier packets (ns). */
  gapBeforeNs: number;
  maxEarlierGapNs: number;
  /** Gap before the peer's last packet (the one the RST may answer), and the largest before that. */
  gapBeforePrevPeerNs: number;
  maxGapBeforePrevPeerNs: number;
  after: After;
  /** The sender's TTL range on this connection and on all its connections (non-RST packets). */
  senderTtlConn: TtlRange | null;
  senderTtlHost: TtlRange | null;
  /**
   * What a reset's TTL is compared with: the TTLs of the sender's packets its stack made (no
   * payload: SYN, SYN-ACK, pure ACKs) on this connection and on all its connections, null when
   * none or only application-chosen ones (host-facts.ts `kernelTtl`).
   */
  kernelTtlConn: TtlRange | null;
  kernelTtlHost: TtlRange | null;
  /**
   * The best round-trip estimate the connection offers (ns): the handshake's, else the shortest
   * time from the sender's data to the peer's ACK of it; null when the capture shows neither.
   */
  rttNs: number | null;
  /** Peer packets within this long after the RST were sent before it arrived (about one round trip, 0 when unknown). */
  inFlightNs: number;
  /** The application's context and the capture's completeness (`ResetSeams`). */
  app?: ResetSeams['app'];
  completeness?: ResetSeams['completeness'];
  /** Non-zero IP IDs of the sender's non-RST packets on this connection. */
  senderIpIds: IpIdRun | null;
  /** What the tracker noted for this RST: its TTL and IP ID, the sender's IP ID before it, the TTL of its next packet. */
  record: RstRecord;
  capture: CapturePoint;
  /** The sender's resets on this connection taken together (filled by the classifier). */
  group: ResetGroup | null;
  shared: HostFacts;
}

/** All resets of one side of a connection whose TTL fits that side. */
export interface ResetGroup {
  frames: number[];
  /** Peer packets more than one round trip after the first of them, the first such packet, and how long the peer went on. */
  peerAfterFirst: number;
  peerFirstAfter: number | null;
  peerSpanNs: number;
  /** Median time between consecutive resets of the group. */
  medianSpacingNs: number;
}

/**
 * Contexts for every RST of one connection, in frame order, except those `repeats` marks (a row
 * index from the connection's first row, >= 0: that RST repeats another and gets no context).
 */
export function buildResetContexts(shared: HostFacts, conn: ConnView, repeats: Int32Array | null = null): ResetContext[] {
  const { cols, result } = shared;
  const from = result.connStart[conn.id]!;
  const to = result.connStart[conn.id + 1]!;
  const table = result.connections;
  const client = new DirRun();
  const server = new DirRun();
  const out: ResetContext[] = [];
  let prevRow = -1;
  let prevNs = 0;
  let prevGap = 0;
  let maxGap = 0;
  /** Gap before each side's last packet, and the largest gap before that. */
  let gapC = 0;
  let maxBeforeC = 0;
  let gapS = 0;
  let maxBeforeS = 0;
  const capture = inferCapturePoint(conn);
  /** Shortest time from each side's data to the peer's ACK of it (ns): the round trip from the capture point to the peer. */
  let ackRttC = Infinity;
  let ackRttS = Infinity;

  // The connection's rows are the range from .. to - 1, in file order.
  for (let row = from; row < to; row++) {
    const fromClient = isFromClient(cols, row);
    const me = fromClient ? client : server;
    const peer = fromClient ? server : client;
    const side: Side = fromClient ? 'client' : 'server';
    const timeNs = cols.timeNs[row]!;
    const gap = prevRow >= 0 ? timeNs - prevNs : 0;
    if (cols.flags[row]! & RST && repeats && repeats[row - from]! >= 0) {
      me.rsts++;
    } else if (cols.flags[row]! & RST) {
      const record = table.rstRecord(cols.frame[row]!)!;
      const p = readRst(cols, row, record.ttl, record.ipId);
      const peerSide: Side = p.fromClient ? 'server' : 'client';
      // The connection's last packet: the runs move no more, and serve as they are.
      const lastRow = row === to - 1;
      const peerSnap = lastRow ? peer.asLast(cols) : peer.snapshot(cols);
      out.push({
        conn,
        rst: p,
        index: row - from,
        side,
        peerSide,
        sender: p.fromClient ? conn.client : conn.server,
        receiver: p.fromClient ? conn.server : conn.client,
        me: lastRow ? me.asLast(cols) : me.snapshot(cols),
        peer: peerSnap,
        prev: prevRow < 0 ? null : prevRow === peer.lastRow ? peerSnap.last : readPkt(cols, prevRow),
        prevPeer: peerSnap.last,
        gapBeforeNs: gap,
        maxEarlierGapNs: maxGap,
        gapBeforePrevPeerNs: peerSnap.last ? (fromClient ? gapS : gapC) : 0,
        maxGapBeforePrevPeerNs: peerSnap.last ? (fromClient ? maxBeforeS : maxBeforeC) : 0,
        after: { peerPackets: 0, peerFirst: null, peerData: 0, peerLastNs: 0, senderPackets: 0, senderFirst: null, senderRsts: 0, peerLate: 0, peerLateFirst: null, peerNext: null, peerDataAfter: 0, peerDataAfterFirst: null, peerLateData: 0, peerLateLastNs: 0, senderCarriesOn: null },
        senderTtlConn: null,
        senderTtlHost: shared.hostTtl[p.fromClient ? shared.clientHost[conn.id]! : shared.serverHost[conn.id]!]!,
        kernelTtlConn: null,
        kernelTtlHost: shared.hostKernelTtl[p.fromClient ? shared.clientHost[conn.id]! : shared.serverHost[conn.id]!]!,
        rttNs: null,
        inFlightNs: 0,
        app: conn.app,
        completeness: conn.completeness,
        senderIpIds: null,
        record,
        capture,
        group: null,
        shared,
      });
      // (The last packet's context holds `me` itself: its count stays the resets before this one.)
      if (!lastRow) me.rsts++;
    } else {
      if (fromClient) {
        gapC = gap;
        maxBeforeC = maxGap;
      } else {
        gapS = gap;
        maxBeforeS = maxGap;
      }
      // An ACK that covers exactly the peer's last data: one round trip from the capture point to this side.
      if (cols.flags[row]! & ACK && peer.lastDataRow >= 0 && cols.ack[row] === peer.dataEnd && (me.highestAck === null || seqGt(cols.ack[row]!, me.highestAck))) {
        const sample = timeNs - cols.timeNs[peer.lastDataRow]!;
        // The peer's round trip: the server's when the client acknowledges, and the other way round.
        if (sample >= 0) {
          if (fromClient) ackRttS = Math.min(ackRttS, sample);
          else ackRttC = Math.min(ackRttC, sample);
        }
      }
      advance(me, peer, cols, row);
    }
    if (prevRow >= 0 && prevGap > maxGap) maxGap = prevGap;
    prevGap = gap;
    prevRow = row;
    prevNs = timeNs;
  }
  // The sender's habits over the whole connection (packets that are not RSTs), and the round trip.
  const hs = conn.handshake;
  const handshakeRtt = hs.synToSynAck !== null && hs.synAckToAck !== null ? (hs.synToSynAck + hs.synAckToAck) * 1e9 : null;
  for (const x of out) {
    const k = dirIndex(conn.id, x.side === 'client');
    x.senderTtlConn = table.senderTtl(k, shared.rstCount[k]!);
    x.kernelTtlConn = kernelTtl(table.controlTtl(conn.id, x.side));
    x.senderIpIds = table.senderIpIds(conn.id, x.side);
    const toPeer = x.peerSide === 'client' ? ackRttC : ackRttS;
    x.rttNs = handshakeRtt ?? (toPeer < Infinity ? toPeer : null);
    x.inFlightNs = x.rttNs === null ? 0 : IN_FLIGHT_FACTOR * x.rttNs + IN_FLIGHT_SLACK_NS;
  }
  fillAfter(shared, from, to, out);
  return out;
}

/** Move one direction's state past a non-RST packet (read straight from the columns). */
function advance(me: DirRun, peer: DirRun, cols: PacketColumns, row: number): void {
  const flags = cols.flags[row]!;
  const seq = cols.seq[row]!;
  const len = cols.payloadLen[row]!;
  const frame = cols.frame[row]!;
  const marks = cols.marks[row]!;
  me.packets++;
  me.lastRow = row;
  const space = len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
  if (flags & SYN) {
    if (!me.synFrame) {
      me.synFrame = frame;
      me.synTimeNs = cols.timeNs[row]!;
    }
    me.synSeq = seq;
    me.synAck = (flags & ACK) !== 0;
  }
  if (flags & FIN && !me.finFrame) {
    me.finFrame = frame;
    me.finTimeNs = cols.timeNs[row]!;
  }
  const end = (seq + space) >>> 0;
  if (space > 0 && (me.nextSeq === null || seqGt(end, me.nextSeq))) me.nextSeq = end;
  if (me.nextSeq === null) me.nextSeq = seq;
  if (len > 0) {
    const dEnd = (seq + len) >>> 0;
    if (me.dataEnd === null || seqGt(dEnd, me.dataEnd)) me.dataEnd = dEnd;
    me.dataPackets++;
    me.lastDataRow = row;
    if (marks & PacketMark.retransmission && (peer.highestAck === null || !seqGt(peer.highestAck, seq))) {
      me.retransSinceAck++;
      // Frames kept for evidence; a storm of retransmissions keeps only its first ones.
      if (me.retransFrames.length === 0) me.retransFrames = [frame];
      else if (me.retransFrames.length < MAX_RETRANS_FRAMES) me.retransFrames.push(frame);
    }
  }
  if (marks & PacketMark.keepalive) {
    me.keepalives++;
    me.lastKeepaliveRow = row;
  }
  if (flags & ACK) {
    const ack = cols.ack[row]!;
    if (me.highestAck === null || seqGt(ack, me.highestAck)) {
      me.highestAck = ack;
      me.highestAckFrame = frame;
      if (peer.retransSinceAck) {
        peer.retransSinceAck = 0;
        peer.retransFrames = NO_RETRANS;
      }
    }
    me.lastWindow = cols.window[row]!;
  }
}

/** One backward pass: what each RST was followed by; then each RST's late packets (`lateAfter`). */
function fillAfter(shared: HostFacts, from: number, to: number, out: ResetContext[]): void {
  if (out.length === 0) return;
  const { cols } = shared;
  const cnt = { client: 0, server: 0 };
  const data = { client: 0, server: 0 };
  const rsts = { client: 0, server: 0 };
  const firstRow = { client: -1, server: -1 };
  const pkt = (r: number): Pkt | null => (r < 0 ? null : readPkt(cols, r));
  const lastNs = { client: 0, server: 0 };
  // Where each RST's row-by-row look ahead stops; what lies beyond is counted in this pass.
  const limits = out.map((x) => Math.min(to, x.rst.row + 1 + (x.me.rsts < FULL_SCAN_RESETS ? LATE_SCAN_ROWS : SHORT_SCAN_ROWS)));
  // Most connections are shorter than a look ahead: nothing lies beyond, and nothing is counted for it.
  const wanted = limits.some((l) => l < to) ? [...new Set(limits.filter((l) => l < to))].sort((a, b) => b - a) : NO_LIMITS;
  const beyond = wanted.length > 0 ? new Map<number, Beyond>() : null;
  let w = 0;
  let k = out.length - 1;
  for (let row = to - 1; row >= from && k >= 0; row--) {
    // The counters cover the rows after this one: what a look ahead stopping at row + 1 leaves out.
    if (w < wanted.length && wanted[w] === row + 1) {
      beyond!.set(row + 1, { client: { packets: cnt.client, data: data.client, first: firstRow.client }, server: { packets: cnt.server, data: data.server, first: firstRow.server } });
      w++;
    }
    const target = out[k]!;
    if (target.rst.row === row) {
      const a = target.after;
      a.peerPackets = cnt[target.peerSide];
      a.peerFirst = pkt(firstRow[target.peerSide]);
      a.peerData = data[target.peerSide];
      a.peerLastNs = lastNs[target.peerSide];
      a.senderPackets = cnt[target.side];
      const nextRow = firstRow[target.side];
      // Its TTL, which the tracker noted for this RST (packets keep none).
      a.senderFirst = nextRow < 0 ? null : readNext(cols, nextRow, target.record.nextTtl);
      a.senderRsts = rsts[target.side];
      k--;
      rsts[target.side]++;
      continue;
    }
    const side: Side = isFromClient(cols, row) ? 'client' : 'server';
    if (cols.flags[row]! & RST) {
      rsts[side]++;
      continue;
    }
    if (cnt[side] === 0) lastNs[side] = cols.timeNs[row]!;
    cnt[side]++;
    if (cols.payloadLen[row]! > 0) data[side]++;
    firstRow[side] = row;
  }
  for (let i = 0; i < out.length; i++) lateAfter(out[i]!, cols, to, limits[i]!, beyond?.get(limits[i]!), lastNs);
}

/**
 * Rows looked at one by one after a RST (the first resets of each side; later ones of a long
 * series look at fewer): the rest of a longer connection is taken from the backward pass's counts.
 */
const LATE_SCAN_ROWS = 2048;
const SHORT_SCAN_ROWS = 64;
const FULL_SCAN_RESETS = 32;

const NO_LIMITS: readonly number[] = [];

/** Each side's packets (not RSTs) from a row on, those with data, and the first one's row. */
type Beyond = Record<Side, { packets: number; data: number; first: number }>;

function lateAfter(x: ResetContext, cols: PacketColumns, to: number, limit: number, beyond: Beyond | undefined, lastNs: { client: number; server: number }): void {
  const a = x.after;
  const rst = x.rst;
  const late = rst.timeNs + x.inFlightNs;
  const peerIsClient = x.peerSide === 'client';
  let firstLate = -1;
  let carry = -1;
  let next = -1;
  let firstData = -1;
  let row = rst.row + 1;
  for (; row < limit; row++) {
    const flags = cols.flags[row]!;
    if (flags & RST) continue;
    const t = cols.timeNs[row]!;
    // A new SYN (a retried attempt, or the port reused) starts another story: what follows is not this one's.
    if (flags & SYN && t >= rst.timeNs) break;
    const len = cols.payloadLen[row]!;
    if (isFromClient(cols, row) === peerIsClient) {
      if (t < rst.timeNs) continue;
      if (next < 0) next = row;
      if (len > 0) {
        a.peerDataAfter++;
        if (firstData < 0) firstData = row;
      }
      if (t <= late) continue;
      a.peerLate++;
      if (len > 0) a.peerLateData++;
      if (firstLate < 0) firstLate = row;
      if (t > a.peerLateLastNs) a.peerLateLastNs = t;
    } else if (carry < 0 && t >= rst.timeNs && !(flags & SYN) && (len > 0 || flags & FIN)) {
      // A segment wholly below the RST's sequence number, within a round trip: sent before it, overtaken.
      const end = (cols.seq[row]! + len) >>> 0;
      if (!(t <= late && !seqGt(end, rst.seq))) carry = row;
    }
  }
  if (row === limit && beyond) {
    // Thousands of packets later: the rest of the peer's packets all came after the RST could arrive.
    const b = beyond[x.peerSide];
    a.peerLate += b.packets;
    a.peerLateData += b.data;
    a.peerDataAfter += b.data;
    if (firstLate < 0) firstLate = b.first;
    if (next < 0) next = b.first;
    if (b.packets > 0) a.peerLateLastNs = Math.max(a.peerLateLastNs, lastNs[x.peerSide]);
    for (let r = limit, end = Math.min(to, limit + LATE_SCAN_ROWS); firstData < 0 && b.data > 0 && r < end; r++) {
      if (!(cols.flags[r]! & RST) && isFromClient(cols, r) === peerIsClient && cols.payloadLen[r]! > 0) firstData = r;
    }
  }
  a.peerLateFirst = firstLate < 0 ? null : readPkt(cols, firstLate);
  a.peerNext = next < 0 ? null : readPkt(cols, next);
  a.peerDataAfterFirst = firstData < 0 ? null : readPkt(cols, firstData);
  if (carry >= 0) {
    a.senderCarriesOn = readNext(cols, carry, a.senderFirst && a.senderFirst.row === carry ? a.senderFirst.ttl : null);
  }
}
