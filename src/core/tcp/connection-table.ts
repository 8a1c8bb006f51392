import type { AppCollector } from '../app/collector.ts';
import { allocateColumns, grownColumns, type ColumnsOf } from '../model/columns.ts';
import type { AppContext } from '../app/types.ts';
import type { AppReply, Completeness, Connection, DirectionCompleteness, DirectionStats, ResetVerdict, Side } from '../model/types.ts';
import { mergeResets, type RepeatedResets } from '../model/repeated-resets.ts';
import { StringTable } from '../model/string-table.ts';
import { conversationState, type EndpointState } from './zeek-state.ts';

/**
 * Every connection of a capture, as typed-array columns rather than an object per connection: a
 * capture of a million connections keeps about 250 bytes each here, not kilobytes. The tracker
 * writes it while the file is read; afterwards it is the analysis result's connection store, and
 * `get(id)` makes the `Connection` object a report or a screen needs, when it needs it.
 *
 * Per-connection columns are indexed by connection id. Per-direction columns are indexed by
 * `2 * id + dir`, where dir 0 is the client's direction and 1 the server's (`dirIndex`).
 * Sequence-space fields hold a uint32, or -1 for "none yet" (they are float64 for that reason);
 * frame fields hold a 1-based frame number, or 0 for none.
 */
const CONN = {
  /** 1 when the conversation's endpoint A (flow table) is the client. */
  clientIsA: Uint8Array,
  ipVersion: Uint8Array,
  /** Index into `ConnectionTable.hosts` of each side's address. */
  clientHost: Uint32Array,
  serverHost: Uint32Array,
  clientPort: Uint16Array,
  serverPort: Uint16Array,
  packets: Uint32Array,
  firstFrame: Uint32Array,
  lastFrame: Uint32Array,
  startNs: Float64Array,
  endNs: Float64Array,
  /** First SYN, SYN-ACK and handshake-completing ACK (-1 when not seen). */
  synNs: Float64Array,
  synAckNs: Float64Array,
  ackNs: Float64Array,
  /** 1 when the server's application reply was seen before the client's (their order in `appReplies`). */
  serverReplyFirst: Uint8Array,
  /** Filled when the capture is done: largest and median gap between packets, ns. */
  maxIdleNs: Float64Array,
  medianGapNs: Float64Array,
};

const DIR = {
  packets: Uint32Array,
  /** TCP payload bytes, and IP-level bytes (Zeek's *_ip_bytes). */
  bytes: Float64Array,
  ipBytes: Float64Array,
  isn: Float64Array,
  baseSeq: Float64Array,
  nextSeq: Float64Array,
  highestAck: Float64Array,
  /** Ack of this side's last non-RST segment (dup-ACK checks; its window is in `READING`). */
  lastAck: Float64Array,
  synFrame: Uint32Array,
  finFrame: Uint32Array,
  retransmissions: Uint32Array,
  keepalives: Uint32Array,
  zeroWindows: Uint32Array,
  dupAcks: Uint32Array,
  ttlMin: Uint8Array,
  ttlMax: Uint8Array,
  /** TTL range of this side's packets that are not RSTs (what a reset's TTL is compared with). */
  otherTtlMin: Uint8Array,
  otherTtlMax: Uint8Array,
  /**
   * TTL range of this side's packets that its kernel made whatever the application chose: no
   * payload, not a RST (SYN, SYN-ACK, pure ACK, bare FIN), and how many.
   */
  ctlTtlMin: Uint8Array,
  ctlTtlMax: Uint8Array,
  ctlPackets: Uint32Array,
  /** Non-zero IP IDs of this side's packets that are not RSTs: how many, the first, the last (its frame in `READING`). */
  ipIdCount: Uint32Array,
  ipIdFirst: Uint16Array,
  ipIdLast: Uint16Array,
  /** Window scale shift from the SYN, -1 when none. */
  windowScale: Int8Array,
  mss: Uint16Array,
  /** DirOption bits. */
  options: Uint8Array,
  /** Zeek's endpoint state (zeek-state.ts). */
  zeekState: Uint8Array,
  /** This side's last application reply line (see `AppReply`): its frame (0: none), code, protocol and text. */
  replyFrame: Uint32Array,
  replyCode: Uint16Array,
  replyProtocol: Uint8Array,
  /** Index into `ConnectionTable.replyTexts`. */
  replyText: Uint32Array,
};


/**
 * Per-direction columns needed only while the capture is read. Capture completeness (see
 * `Completeness`): segments after a gap, the bytes skipped and the first such frame; ACKs of bytes
 * never captured and the first; in-sequence segments past the peer's advertised window; payloads cut
 * by the snapshot length and the first; Wireshark's "max seq to be acked" (one past the highest byte
 * sent without a gap before it, -1: none). Once the capture is read (`trim`), only the completeness
 * of the directions that miss something is kept, and the tracker's own counters go.
 */
const READING = {
  gaps: Uint32Array,
  gapBytes: Float64Array,
  gapFrame: Uint32Array,
  ackedUnseen: Uint32Array,
  ackedUnseenFrame: Uint32Array,
  beyondWindow: Uint32Array,
  snapCut: Uint32Array,
  snapCutFrame: Uint32Array,
  maxSeqToBeAcked: Float64Array,
  /** Frame of this side's last non-zero IP ID (what a RST's record compares). */
  ipIdLastFrame: Uint32Array,
  /** Window of this side's last non-RST segment (dup-ACK and window checks), -1 before any. */
  lastWindow: Int32Array,
  /** History letters already recorded (one bit each) and counters of the repeating ones. */
  lettersSeen: Uint8Array,
  tCount: Uint32Array,
  wCount: Uint32Array,
};
/** In-sequence segments past the peer's window, at least, before that peer's ACKs are called missing. */
const MIN_BEYOND_WINDOW = 3;

const PROTOCOLS: readonly AppReply['protocol'][] = ['http', 'ftp-smtp', 'pop3'];

/**
 * Bits of the `options` column; `ackedUnseenLatch` and `rstAwaitingNext` (this side sent a RST and
 * nothing else since) are the tracker's, not options.
 */
export const DirOption = { sackPermitted: 1, timestamps: 2, ackedUnseenLatch: 4, rstAwaitingNext: 8 } as const;

export type ConnColumns = ColumnsOf<typeof CONN>;
export type DirColumns = ColumnsOf<typeof DIR>;
export type ReadingColumns = ColumnsOf<typeof READING>;

export function dirIndex(id: number, fromClient: boolean): number {
  return fromClient ? 2 * id : 2 * id + 1;
}

export class ConnectionTable implements Iterable<Connection> {
  length = 0;
  private capacity: number;
  conn: ConnColumns;
  dir: DirColumns;
  /**
   * `READING` columns by direction index while the capture is read; null once `trim` has kept the
   * completeness of only the directions that miss something in `gapSparse` (most miss nothing).
   */
  reading: ReadingColumns | null;
  private gapSparse = new Map<number, Float64Array>();
  /** Zeek history per connection. */
  readonly history: string[] = [];
  /** Host addresses, each text once (most hosts take part in many connections). */
  readonly hosts = new StringTable();
  /** RST frames per direction index; few connections have any. */
  readonly rstFrames = new Map<number, number[]>();
  /** What each RST carried and what its sender had sent before and after it, by frame. */
  readonly rstRecords = new Map<number, RstRecord>();
  /** Reply lines, each text once ("HTTP/1.1 200 OK" is the same on thousands of connections). */
  readonly replyTexts = new StringTable();
  /** Application context of the connections (src/core/app), set by the tracker that fills this table. */
  apps: AppCollector | null = null;
  /** Where `get` and `head` find a connection's verdicts: the classifier's own map, once it has run. */
  private verdicts: VerdictSource | null = null;
  /** RSTs that repeat one of those verdicts exactly (long runs of identical resets), as columns. */
  private repeats: RepeatSource | null = null;
  /**
   * The tcp.stream its sender's capture gave connection 0, when this capture is that one connection
   * shared by a link (model/stream-number.ts); null otherwise.
   */
  sharedStream: number | null = null;
  /** Set once every connection has been made an object (see `all()`): `get` then returns those. */
  private made: Connection[] | null = null;

  constructor(initialCapacity = 1024) {
    this.capacity = initialCapacity;
    this.conn = allocateColumns(CONN, initialCapacity);
    this.dir = allocateColumns(DIR, 2 * initialCapacity);
    this.reading = allocateColumns(READING, 2 * initialCapacity);
  }

  /** A new connection's id, its columns set to their starting values. */
  open(): number {
    if (this.length === this.capacity) {
      this.capacity = Math.max(16, this.capacity * 2);
      this.conn = grownColumns(CONN, this.conn, this.capacity);
      this.dir = grownColumns(DIR, this.dir, 2 * this.capacity);
      this.reading = grownColumns(READING, this.reading!, 2 * this.capacity);
    }
    const id = this.length++;
    const c = this.conn;
    c.synNs[id] = c.synAckNs[id] = c.ackNs[id] = -1;
    const d = this.dir;
    for (let k = 2 * id; k < 2 * id + 2; k++) {
      d.isn[k] = d.baseSeq[k] = d.nextSeq[k] = d.highestAck[k] = d.lastAck[k] = this.reading!.maxSeqToBeAcked[k] = -1;
      this.reading!.lastWindow[k] = -1;
      d.windowScale[k] = -1;
      d.ttlMin[k] = 255;
      d.otherTtlMin[k] = 255;
      d.ctlTtlMin[k] = 255;
    }
    this.history.push('');
    return id;
  }

  /** Let go of the unused capacity (the table is complete: the capture has been read). */
  trim(): void {
    this.keepIncompleteOnly();
    this.shareHistories();
    if (this.capacity === this.length) return;
    this.capacity = this.length;
    this.conn = grownColumns(CONN, this.conn, this.length);
    this.dir = grownColumns(DIR, this.dir, 2 * this.length);
  }

  /** One string for each distinct history ("ShADadFf" is the same on thousands of connections). */
  private shareHistories(): void {
    const seen = new Map<string, string>();
    const h = this.history;
    for (let i = 0; i < h.length; i++) {
      const one = seen.get(h[i]!);
      if (one === undefined) seen.set(h[i]!, h[i]!);
      else h[i] = one;
    }
  }

  /** The completeness of the directions that miss something, into `gapSparse`; the columns go. */
  private keepIncompleteOnly(): void {
    const G = this.reading;
    if (!G) return;
    for (let k = 0; k < 2 * this.length; k++) {
      if (G.gaps[k] || G.ackedUnseen[k] || G.beyondWindow[k] || G.snapCut[k]) {
        this.gapSparse.set(k, Float64Array.of(G.gaps[k]!, G.gapBytes[k]!, G.gapFrame[k]!, G.ackedUnseen[k]!, G.ackedUnseenFrame[k]!, G.beyondWindow[k]!, G.snapCut[k]!, G.snapCutFrame[k]!));
      }
    }
    this.reading = null;
  }

  /** Record the latest application reply seen from one side (direction index `k`). */
  setReply(k: number, reply: AppReply): void {
    const D = this.dir;
    if (D.replyFrame[k] === 0 && D.replyFrame[k ^ 1] === 0) this.conn.serverReplyFirst[k >> 1] = reply.from === 'server' ? 1 : 0;
    D.replyFrame[k] = reply.frame;
    D.replyCode[k] = reply.code;
    D.replyProtocol[k] = PROTOCOLS.indexOf(reply.protocol);
    D.replyText[k] = this.replyTexts.of(reply.text);
  }

  /** Connection `id`'s last reply from each side, in the order the sides first replied. */
  appReplies(id: number): AppReply[] {
    const out: AppReply[] = [];
    const first = this.conn.serverReplyFirst[id] === 1 ? 'server' : 'client';
    for (const from of first === 'client' ? CLIENT_FIRST : SERVER_FIRST) {
      const k = dirIndex(id, from === 'client');
      const frame = this.dir.replyFrame[k]!;
      if (frame === 0) continue;
      out.push({ frame, from, protocol: PROTOCOLS[this.dir.replyProtocol[k]!]!, code: this.dir.replyCode[k]!, text: this.replyTexts.values[this.dir.replyText[k]!]! });
    }
    return out;
  }

  addRst(k: number, frame: number): void {
    const list = this.rstFrames.get(k);
    if (list) list.push(frame);
    else this.rstFrames.set(k, [frame]);
  }

  /**
   * Connection `id` as an object: a new one on each call (so a caller may keep or drop it), unless
   * `all()` has made them all, in which case that one. State and history are as of now.
   * `withResets` false leaves `resets` empty (a caller that walks them with `eachReset`).
   */
  get(id: number, withResets = true): Connection {
    const made = this.made?.[id];
    if (made) return withResets ? made : { ...made, resets: [] };
    const C = this.conn;
    // What a list row shows, then the rest, in the report's order of fields.
    const h = this.head(id, false);
    const connection: Connection = {
      id,
      client: h.client,
      server: h.server,
      ipVersion: C.ipVersion[id] === 6 ? 6 : 4,
      firstFrame: C.firstFrame[id]!,
      lastFrame: C.lastFrame[id]!,
      start: h.start,
      end: h.end,
      packets: h.packets,
      bytes: h.bytes,
      state: h.state,
      history: h.history,
      resets: withResets ? (this.resetsOf(id) as ResetVerdict[]) : [],
      handshake: {
        synToSynAck: synToSynAck(this, id),
        synAckToAck: synAckToAck(this, id),
      },
      maxIdle: C.maxIdleNs[id]! / 1e9,
      medianGap: C.medianGapNs[id]! / 1e9,
      dir: { client: this.directionStats(dirIndex(id, true)), server: this.directionStats(dirIndex(id, false)) },
      appReplies: this.appReplies(id),
      completeness: this.completeness(id),
    };
    const app = this.appContext(id);
    if (app) connection.app = app;
    return connection;
  }

  /** What the application said on connection `id` (see `AppContext`), null when nothing was recognised. */
  appContext(id: number): AppContext | null {
    if (!this.apps) return null;
    const D = this.dir;
    const dataEnd = (k: number) => (D.nextSeq[k]! < 0 ? -1 : D.finFrame[k] ? (D.nextSeq[k]! - 1) >>> 0 : D.nextSeq[k]!);
    return this.apps.context(id, dataEnd(dirIndex(id, true)), dataEnd(dirIndex(id, false)), this.hosts.values[this.conn.serverHost[id]!]!);
  }

  /**
   * What the capture is missing of connection `id` (see `Completeness`). `hasRst`: whether it has a
   * RST, when the caller knows (the classifier, for each of its connections): the map's lookups
   * otherwise made cost the most here.
   */
  completeness(id: number, hasRst?: boolean): Completeness {
    const D = this.dir;
    const cl = dirIndex(id, true);
    const sv = dirIndex(id, false);
    // Closed: a FIN from both sides, or a RST from either.
    const closed = (D.finFrame[cl] !== 0 && D.finFrame[sv] !== 0) || (hasRst ?? (this.rstFrames.has(cl) || this.rstFrames.has(sv)));
    return {
      startedMidConnection: this.conn.synNs[id]! < 0,
      endedBeforeClose: !closed,
      client: this.directionCompleteness(cl),
      server: this.directionCompleteness(sv),
    };
  }

  private directionCompleteness(k: number): DirectionCompleteness {
    const D = this.dir;
    const peer = k ^ 1;
    const v = this.gapValues(k);
    const peerBeyond = this.beyondWindow(peer);
    // The peer went on sending past this side's windows for most of its packets: this side's ACKs are missing.
    const ackless = peerBeyond >= MIN_BEYOND_WINDOW && 2 * peerBeyond >= D.packets[peer]!;
    return {
      presence: D.packets[k] === 0 ? 'absent' : ackless ? 'partial' : 'seen',
      gaps: v[0]!,
      gapBytes: v[1]!,
      firstGapFrame: v[2] || null,
      ackedUnseen: v[3]!,
      firstAckedUnseenFrame: v[4] || null,
      beyondPeerWindow: v[BEYOND]!,
      snapCut: v[6]!,
      firstSnapCutFrame: v[7] || null,
    };
  }

  /**
   * Direction `k`'s completeness counters, in `READING`'s order (up to maxSeqToBeAcked, aside). While
   * the capture is read, in one scratch array (overwritten by the next call: read it at once), since
   * every reset's connection asks for it.
   */
  private gapValues(k: number): ArrayLike<number> {
    const G = this.reading;
    if (!G) return this.gapSparse.get(k) ?? NO_GAPS;
    const v = GAP_SCRATCH;
    v[0] = G.gaps[k]!;
    v[1] = G.gapBytes[k]!;
    v[2] = G.gapFrame[k]!;
    v[3] = G.ackedUnseen[k]!;
    v[4] = G.ackedUnseenFrame[k]!;
    v[BEYOND] = G.beyondWindow[k]!;
    v[6] = G.snapCut[k]!;
    v[7] = G.snapCutFrame[k]!;
    return v;
  }

  /** Direction `k`'s in-sequence segments past the peer's window (see `gapValues`). */
  private beyondWindow(k: number): number {
    const G = this.reading;
    return G ? G.beyondWindow[k]! : (this.gapSparse.get(k) ?? NO_GAPS)[BEYOND]!;
  }

  /** Zeek's conn_state of connection `id`, as of now. */
  stateOf(id: number): string {
    const D = this.dir;
    const cl = dirIndex(id, true);
    const sv = dirIndex(id, false);
    return conversationState(D.zeekState[cl] as EndpointState, D.zeekState[sv] as EndpointState, D.bytes[cl]!, D.bytes[sv]!, this.history[id]!);
  }

  /**
   * What a list row shows of connection `id` (no per-direction stats, handshake or replies): a
   * few small objects instead of a `Connection`'s dozen, for walking a million connections.
   * `withResets` false leaves `resets` empty.
   */
  head(id: number, withResets = true): ConnectionHead {
    const C = this.conn;
    const D = this.dir;
    return {
      id,
      client: { ip: this.hosts.values[C.clientHost[id]!]!, port: C.clientPort[id]! },
      server: { ip: this.hosts.values[C.serverHost[id]!]!, port: C.serverPort[id]! },
      start: C.startNs[id]! * 1e-9,
      end: C.endNs[id]! * 1e-9,
      packets: C.packets[id]!,
      bytes: { client: D.bytes[dirIndex(id, true)]!, server: D.bytes[dirIndex(id, false)]! },
      state: this.stateOf(id),
      history: this.history[id]!,
      resets: withResets ? this.resetsOf(id) : NO_RESETS,
      service: this.apps?.service(id) ?? null,
      sentByClient: D.packets[dirIndex(id, true)]!,
      handshake: { synToSynAck: synToSynAck(this, id), synAckToAck: synAckToAck(this, id) },
    };
  }

  /** Every connection as an object, made once and kept (small captures, tests, the JSON document). */
  all(): Connection[] {
    if (!this.made) {
      const made = new Array<Connection>(this.length);
      for (let i = 0; i < this.length; i++) made[i] = this.get(i);
      this.made = made;
    }
    return this.made;
  }

  *[Symbol.iterator](): Iterator<Connection> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /** Every connection's `head`, in id order. */
  *heads(): Generator<ConnectionHead> {
    for (let i = 0; i < this.length; i++) yield this.head(i);
  }

  /**
   * Where the connections' verdicts are read from: the classifier keeps them in its own map and
   * hands it over once every reset is judged. Objects already made take theirs now.
   */
  useVerdicts(source: VerdictSource, repeats: RepeatSource | null = null): void {
    this.verdicts = source;
    this.repeats = repeats;
    if (this.made) for (let id = 0; id < this.length; id++) this.made[id]!.resets = this.resetsOf(id) as ResetVerdict[];
  }

  /**
   * Every verdict of connection `id`, in frame order (none before the classifier has run).
   * Repeated resets are made objects on each call: to walk a connection with a million of them,
   * use `eachReset`.
   */
  resetsOf(id: number): readonly ResetVerdict[] {
    const full = this.verdicts?.get(id) ?? NO_RESETS;
    return this.repeats?.get(id) ? [...this.eachReset(id)] : full;
  }

  /** Every verdict of connection `id`, in frame order, each repeat made as it is reached. */
  eachReset(id: number): Iterable<ResetVerdict> {
    return mergeResets(this.fullResetsOf(id), this.repeatedResetsOf(id));
  }

  /** Connection `id`'s verdicts without its repeated resets, and those as columns (or undefined). */
  fullResetsOf(id: number): readonly ResetVerdict[] {
    return this.verdicts?.get(id) ?? NO_RESETS;
  }

  repeatedResetsOf(id: number): RepeatedResets | undefined {
    return this.repeats?.get(id);
  }

  /** How many resets connection `id` has (repeats included). */
  resetCount(id: number): number {
    return this.fullResetsOf(id).length + (this.repeatedResetsOf(id)?.frames.length ?? 0);
  }

  // Accessors: what the classifier reads of a connection, without knowing how the columns hold it.

  /** Packets `side` sent on connection `id` (RSTs included). */
  packetsFrom(id: number, side: Side): number {
    return this.dir.packets[dirIndex(id, side === 'client')]!;
  }

  /** Payload bytes `side` sent on connection `id`. */
  bytesFrom(id: number, side: Side): number {
    return this.dir.bytes[dirIndex(id, side === 'client')]!;
  }

  /** `side` sent a SYN (or SYN-ACK) on connection `id`. */
  sentSyn(id: number, side: Side): boolean {
    return this.dir.synFrame[dirIndex(id, side === 'client')] !== 0;
  }

  /** Frames of the RSTs `side` sent on connection `id` (frame order; empty when none). */
  rstFramesFrom(id: number, side: Side): readonly number[] {
    return this.rstFrames.get(dirIndex(id, side === 'client')) ?? NO_FRAMES;
  }

  /** Time (ns) of connection `id`'s first SYN-ACK, null when none was seen. */
  synAckTimeNs(id: number): number | null {
    const t = this.conn.synAckNs[id]!;
    return t >= 0 ? t : null;
  }

  /**
   * `side` acknowledged nothing of its peer but the SYN: its last acknowledgement (on a packet
   * that is not a RST) is the peer's ISN + 1. False when either is unknown.
   */
  ackedOnlySyn(id: number, side: Side): boolean {
    const k = dirIndex(id, side === 'client');
    const isn = this.dir.isn[k ^ 1]!;
    const ack = this.dir.lastAck[k]!;
    return isn >= 0 && ack >= 0 && ack === (isn + 1) % 0x100000000;
  }

  /** Frame of `side`'s first FIN on connection `id`, 0 when none. */
  finFrameOf(id: number, side: Side): number {
    return this.dir.finFrame[dirIndex(id, side === 'client')]!;
  }

  /** Connection `id` has a RST from either side. */
  hasRst(id: number): boolean {
    return this.rstFrames.has(2 * id) || this.rstFrames.has(2 * id + 1);
  }

  /** Host index (into `hosts`) of `side` of connection `id`. */
  hostOf(id: number, side: Side): number {
    return side === 'client' ? this.conn.clientHost[id]! : this.conn.serverHost[id]!;
  }

  /** Port of the server of connection `id`. */
  serverPort(id: number): number {
    return this.conn.serverPort[id]!;
  }

  /**
   * TTL range of every packet `side` sent (RSTs included); null when it sent none. `into` is
   * filled and returned instead of a new object (for a pass over every connection).
   */
  ttlRange(id: number, side: Side, into?: TtlRange): TtlRange | null {
    const k = dirIndex(id, side === 'client');
    return range(this.dir.packets[k]!, this.dir.ttlMin[k]!, this.dir.ttlMax[k]!, into);
  }

  /**
   * TTL range of the packets direction `k` (`dirIndex`) sent that are not RSTs (what a reset's TTL is
   * compared with), `rsts` of its packets being RSTs; null when none. The classifier counts every
   * direction's RSTs once (`HostFacts.rstCount`) rather than look each up in `rstFrames`.
   */
  senderTtl(k: number, rsts: number, into?: TtlRange): TtlRange | null {
    return range(this.dir.packets[k]! - rsts, this.dir.otherTtlMin[k]!, this.dir.otherTtlMax[k]!, into);
  }

  /**
   * TTL range of the packets without payload `side` sent that are not RSTs (SYN, SYN-ACK, pure
   * ACKs, bare FINs): what its stack sends, unlike data whose TTL an application may set; null when none.
   */
  controlTtl(id: number, side: Side, into?: TtlRange): TtlRange | null {
    const k = dirIndex(id, side === 'client');
    return range(this.dir.ctlPackets[k]!, this.dir.ctlTtlMin[k]!, this.dir.ctlTtlMax[k]!, into);
  }

  /** The non-zero IP IDs of the packets `side` sent that are not RSTs: how many, the first and the last; null when none. */
  senderIpIds(id: number, side: Side): IpIdRun | null {
    const k = dirIndex(id, side === 'client');
    const count = this.dir.ipIdCount[k]!;
    return count > 0 ? { count, first: this.dir.ipIdFirst[k]!, last: this.dir.ipIdLast[k]! } : null;
  }

  /** What the tracker noted for the RST in `frame` (undefined when that frame is not a RST). */
  rstRecord(frame: number): RstRecord | undefined {
    return this.rstRecords.get(frame);
  }

  private directionStats(k: number): DirectionStats {
    const D = this.dir;
    const packets = D.packets[k]!;
    return {
      packets,
      bytes: D.bytes[k]!,
      ipBytes: D.ipBytes[k]!,
      isn: orNull(D.isn[k]!),
      baseSeq: orNull(D.baseSeq[k]!),
      nextSeq: orNull(D.nextSeq[k]!),
      highestAck: orNull(D.highestAck[k]!),
      synFrame: D.synFrame[k] || null,
      finFrame: D.finFrame[k] || null,
      rstFrames: this.rstFrames.get(k)?.slice() ?? [],
      retransmissions: D.retransmissions[k]!,
      keepalives: D.keepalives[k]!,
      zeroWindows: D.zeroWindows[k]!,
      dupAcks: D.dupAcks[k]!,
      ttlMin: packets ? D.ttlMin[k]! : 0,
      ttlMax: D.ttlMax[k]!,
      windowScale: D.windowScale[k]!,
      mss: D.mss[k]!,
      sackPermitted: (D.options[k]! & DirOption.sackPermitted) !== 0,
      timestamps: (D.options[k]! & DirOption.timestamps) !== 0,
    };
  }
}

/** A connection's verdicts by id, as the classifier keeps them. */
export interface VerdictSource {
  get(id: number): ResetVerdict[] | undefined;
}

/** A connection's repeated resets by id (classify/repeats.ts), as the classifier keeps them. */
export interface RepeatSource {
  get(id: number): RepeatedResets | undefined;
}

/** A TTL / hop limit range over some packets. */
export interface TtlRange {
  min: number;
  max: number;
  packets: number;
}

/** Non-zero IP IDs of one side: how many, the first and the last. */
export interface IpIdRun {
  count: number;
  first: number;
  last: number;
}

/** Seconds from the first SYN to the first SYN-ACK, null unless both were seen. */
export function synToSynAck(table: ConnectionTable, id: number): number | null {
  const syn = table.conn.synNs[id]!;
  const synAck = table.conn.synAckNs[id]!;
  return syn >= 0 && synAck >= 0 ? (synAck - syn) * 1e-9 : null;
}

/** Seconds from the first SYN-ACK to the ACK that completes the handshake, null unless both were seen. */
export function synAckToAck(table: ConnectionTable, id: number): number | null {
  const synAck = table.conn.synAckNs[id]!;
  const ack = table.conn.ackNs[id]!;
  return synAck >= 0 && ack >= 0 ? (ack - synAck) * 1e-9 : null;
}

/** The part of a `Connection` a list row shows (a `Connection` is one). */
export type ConnectionHead = Pick<Connection, 'id' | 'client' | 'server' | 'start' | 'end' | 'packets' | 'bytes' | 'state' | 'history'> & {
  resets: readonly ResetVerdict[];
  /** The service name the application context gives (SNI, Host or DNS name), once the capture is read; a `Connection` has it in `app`. */
  service?: string | null;
  /** What the filter reads besides (a `Connection` has them as `dir.client.packets` and `handshake`). */
  sentByClient?: number;
  handshake?: Connection['handshake'];
  dir?: { client: { packets: number } };
};

/**
 * One RST's IP-level facts, kept as the capture is read so that no packet needs its TTL or IP ID
 * kept: the RST's own, its sender's last non-zero IP ID before it (on a packet that is not a RST),
 * and the TTL of the sender's first packet after it that is not a RST (-1: none).
 */
export interface RstRecord {
  ttl: number;
  ipId: number;
  lastIpId: number;
  lastIpIdFrame: number;
  nextTtl: number;
}

const CLIENT_FIRST = ['client', 'server'] as const;
const SERVER_FIRST = ['server', 'client'] as const;

const NO_RESETS: readonly ResetVerdict[] = Object.freeze([]);
const NO_FRAMES: readonly number[] = Object.freeze([]);
/** A direction that misses nothing (see `gapValues`). */
const NO_GAPS = new Float64Array(8);
/** Where `gapValues` writes while the capture is read. */
const GAP_SCRATCH = new Float64Array(8);
const BEYOND = 5;

function range(packets: number, min: number, max: number, into: TtlRange | undefined): TtlRange | null {
  if (packets <= 0) return null;
  if (!into) return { min, max, packets };
  into.min = min;
  into.max = max;
  into.packets = packets;
  return into;
}

function orNull(v: number): number | null {
  return v < 0 ? null : v;
}
