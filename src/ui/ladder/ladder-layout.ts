/**
 * The ladder's rows, computed from the packet columns of one connection: one row per packet in time
 * order, long silences as compressed gap rows with their length written, and long runs of plain
 * data/ACK segments folded into one expandable row so a million-packet connection stays usable.
 *
 * Spaced by time (`spacing: 'time'`), each row is followed by room in proportion to the silence
 * before the next one (a median silence of the connection adds one row's height; bursts keep the
 * even pitch, never less; no silence takes more than `maxSpace` rows). A silence becomes a marked
 * break of the time scale, which says how long it was, only when it is long both absolutely and for
 * the connection (`isTimeBreak`): a chatty connection's millisecond pauses are room, not breaks.
 */
import { flagText } from '../../core/model/flags.ts';
import { isFromClient, tcpFlags, type PacketColumns } from '../../core/model/packet-table.ts';
import { PacketMark, TcpFlag, type Connection, type FrameNumber } from '../../core/model/types.ts';

export interface PacketRow {
  kind: 'packet';
  key: string;
  /** Position in the connection's packet list. */
  pos: number;
  /** Row in the packet table. */
  row: number;
  frame: FrameNumber;
  fromClient: boolean;
  /** "[SYN, ACK]" */
  flagsLabel: string;
  /** Sequence number relative to the sender's ISN (or first sequence seen). */
  relSeq: number;
  /** Acknowledgement relative to the receiver's ISN; null without the ACK flag. */
  relAck: number | null;
  len: number;
  window: number;
  /** Seconds since the connection's first packet. */
  time: number;
  /** Seconds since the capture's first frame. */
  at: number;
  /** The connection's previous packet, in seconds since the capture's first frame; null for its first. */
  previous: number | null;
  /** Spaced by time: the room after this row, in rows (0 when evenly spaced). */
  space: number;
  rst: boolean;
  marks: string[];
  /** What the application said in this frame (`GET /x`, `200 OK`, `ClientHello example.com`), or null. */
  app: string | null;
}

export interface GapRow {
  kind: 'gap';
  key: string;
  seconds: number;
  /** A break of the time scale (spaced by time), not a silence between evenly spaced rows. */
  compressed: boolean;
}

export interface RunRow {
  kind: 'run';
  key: string;
  /** Identifies the run for expansion: its first packet's position in the connection. */
  runStart: number;
  /** Positions [from, to) in the connection's packet list that this row stands for. */
  from: number;
  to: number;
  firstFrame: FrameNumber;
  lastFrame: FrameNumber;
  dataSegments: number;
  acks: number;
  bytes: number;
  seconds: number;
  /** Marked packets inside the run, by mark name. */
  marks: Record<string, number>;
  /** Spaced by time: the room after this row, in rows. */
  space: number;
}

export type LadderRow = PacketRow | GapRow | RunRow;

export interface LadderOptions {
  /** Runs of at least this many plain segments fold. */
  minRun: number;
  /** Packets left visible on each side of a folded run, for context. */
  edge: number;
  /** Packets shown per expansion step. */
  expandStep: number;
  /** A silence is drawn as a gap row when it exceeds max(minGap, gapFactor × median gap). */
  minGap: number;
  gapFactor: number;
  /** Rows evenly spaced, or spaced by the time between them. */
  spacing: 'even' | 'time';
  /** Spaced by time: the most room a silence takes, in rows. */
  maxSpace: number;
  /** Spaced by time: a silence shorter than this (seconds) is never a break of the time scale. */
  minBreak: number;
}

export const DEFAULT_LADDER_OPTIONS: LadderOptions = {
  minRun: 12,
  edge: 2,
  expandStep: 500,
  minGap: 0.5,
  gapFactor: 10,
  spacing: 'even',
  maxSpace: 6,
  minBreak: 1,
};

/**
 * Spaced by time, whether a silence breaks the time scale: it lasts at least `minBreak` (1 s, the
 * smallest retransmission timeout of RFC 6298 §2.4: shorter pauses are ordinary TCP timing) and more
 * than `gapFactor` (10) times the connection's typical spacing `unit` (its median silence), so a
 * connection that always talks slowly shows its pace rather than a break after every packet.
 */
export function isTimeBreak(gap: number, unit: number, o: Pick<LadderOptions, 'minBreak' | 'gapFactor' | 'maxSpace'> = DEFAULT_LADDER_OPTIONS): boolean {
  return gap >= o.minBreak && gap > o.gapFactor * unit && gap > o.maxSpace * unit;
}

export interface LadderInput {
  packets: PacketColumns;
  /** The connection's packet rows, in time order (`rowRange(connStart[c], connStart[c + 1])`). */
  rows: ArrayLike<number>;
  conn: Connection;
  /** Frames that must stay visible (cited evidence, the selected reset, a highlighted frame). */
  keep: ReadonlySet<FrameNumber>;
  /** How many hidden packets each run shows, by `runStart`. */
  expanded: ReadonlyMap<number, number>;
  options?: Partial<LadderOptions>;
}

/** Flags as Wireshark's packet list shows them: 0x012 -> "[SYN, ACK]"; none -> "[<None>]". */
export function formatFlags(flags: number): string {
  return `[${flagText(flags, '<None>')}]`;
}

const MARK_NAMES: [number, string][] = [
  [PacketMark.retransmission, 'retransmission'],
  [PacketMark.keepalive, 'keep-alive'],
  [PacketMark.keepaliveAck, 'keep-alive ACK'],
  [PacketMark.zeroWindow, 'zero window'],
  [PacketMark.dupAck, 'duplicate ACK'],
  [PacketMark.outOfWindow, 'out of window'],
  [PacketMark.lostSegment, 'previous segment not captured'],
  [PacketMark.ackedUnseen, 'ACKed segment that wasn\'t captured'],
];

export function markNames(marks: number): string[] {
  if (marks === 0) return [];
  return MARK_NAMES.filter(([bit]) => (marks & bit) !== 0).map(([, name]) => name);
}

const CONTROL = TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST;

/**
 * Sequence bases per direction, as the core computed them (the ISN, or the first sequence seen minus
 * one, as Wireshark does); the first sequence seen when the core gave none.
 */
export function sequenceBases(input: Pick<LadderInput, 'packets' | 'rows' | 'conn'>): {
  client: number | null;
  server: number | null;
} {
  let client = input.conn.dir.client.baseSeq ?? input.conn.dir.client.isn;
  let server = input.conn.dir.server.baseSeq ?? input.conn.dir.server.isn;
  const { packets, rows } = input;
  for (let i = 0; i < rows.length && (client === null || server === null); i++) {
    const r = rows[i]!;
    if (isFromClient(packets, r)) client ??= packets.seq[r]!;
    else server ??= packets.seq[r]!;
  }
  return { client, server };
}

/** Rows from .. to - 1 (a connection's rows are a range of the packet table). */
export function rowRange(from: number, to: number): Uint32Array {
  const rows = new Uint32Array(Math.max(0, to - from));
  for (let i = 0; i < rows.length; i++) rows[i] = from + i;
  return rows;
}

export function buildLadder(input: LadderInput): LadderRow[] {
  const o = { ...DEFAULT_LADDER_OPTIONS, ...input.options };
  const { packets, rows, conn, keep, expanded } = input;
  const n = rows.length;
  const out: LadderRow[] = [];
  if (n === 0) return out;

  const bases = sequenceBases(input);
  // The application's labels by frame; a labelled frame is not folded into a run.
  const labels = new Map<number, string>();
  for (const l of conn.app?.labels ?? []) if (!labels.has(l.frame)) labels.set(l.frame, l.text);
  const t0 = packets.timeNs[rows[0]!]!;
  const seconds = (i: number): number => (packets.timeNs[rows[i]!]! - t0) / 1e9;
  const byTime = o.spacing === 'time';
  // Spaced by time: a median silence is one row of room, at most maxSpace rows; a silence long both
  // absolutely and for the connection breaks the scale (isTimeBreak).
  const unit = byTime ? timeUnit(packets, rows) : 0;
  const evenThreshold = Math.max(o.minGap, o.gapFactor * conn.medianGap);
  const isGap = (gap: number): boolean => (byTime ? isTimeBreak(gap, unit, o) : gap > evenThreshold);
  const isPlain = (i: number): boolean => {
    const r = rows[i]!;
    return (packets.flags[r]! & CONTROL) === 0 && !keep.has(packets.frame[r]!) && !labels.has(packets.frame[r]!);
  };
  const gapBefore = (i: number): number => (i === 0 ? 0 : seconds(i) - seconds(i - 1));

  const packetRow = (i: number): PacketRow => {
    const r = rows[i]!;
    const flags = tcpFlags(packets, r);
    const fromClient = isFromClient(packets, r);
    const ownBase = fromClient ? bases.client : bases.server;
    const peerBase = fromClient ? bases.server : bases.client;
    const hasAck = (flags & TcpFlag.ACK) !== 0;
    return {
      kind: 'packet',
      key: `p${i}`,
      pos: i,
      row: r,
      frame: packets.frame[r]!,
      fromClient,
      flagsLabel: formatFlags(flags),
      relSeq: (packets.seq[r]! - (ownBase ?? 0)) >>> 0,
      relAck: hasAck ? (packets.ack[r]! - (peerBase ?? 0)) >>> 0 : null,
      len: packets.payloadLen[r]!,
      window: packets.window[r]!,
      time: seconds(i),
      at: packets.timeNs[r]! / 1e9,
      previous: i === 0 ? null : packets.timeNs[rows[i - 1]!]! / 1e9,
      space: 0,
      rst: (flags & TcpFlag.RST) !== 0,
      marks: markNames(packets.marks[r]!),
      app: labels.get(packets.frame[r]!) ?? null,
    };
  };

  const runRow = (runStart: number, from: number, to: number): RunRow => {
    let dataSegments = 0;
    let acks = 0;
    let bytes = 0;
    const marks: Record<string, number> = {};
    for (let i = from; i < to; i++) {
      const r = rows[i]!;
      const len = packets.payloadLen[r]!;
      if (len > 0) dataSegments++;
      else acks++;
      bytes += len;
      const m = packets.marks[r]!;
      if (m !== 0) for (const name of markNames(m)) marks[name] = (marks[name] ?? 0) + 1;
    }
    return {
      kind: 'run',
      key: `r${runStart}:${from}`,
      runStart,
      from,
      to,
      firstFrame: packets.frame[rows[from]!]!,
      lastFrame: packets.frame[rows[to - 1]!]!,
      dataSegments,
      acks,
      bytes,
      seconds: seconds(to - 1) - seconds(from),
      marks,
      space: 0,
    };
  };

  let i = 0;
  while (i < n) {
    const gap = gapBefore(i);
    if (isGap(gap)) out.push({ kind: 'gap', key: `g${i}`, seconds: gap, compressed: byTime });
    // A run: consecutive plain segments with no long silence inside.
    let j = i;
    while (j < n && isPlain(j) && (j === i || !isGap(gapBefore(j)))) j++;
    const runLength = j - i;
    if (runLength >= o.minRun) {
      const hiddenFrom = i + o.edge;
      const hiddenTo = j - o.edge;
      for (let k = i; k < hiddenFrom; k++) out.push(packetRow(k));
      const shown = Math.min(expanded.get(i) ?? 0, hiddenTo - hiddenFrom);
      for (let k = hiddenFrom; k < hiddenFrom + shown; k++) out.push(packetRow(k));
      if (hiddenFrom + shown < hiddenTo) out.push(runRow(i, hiddenFrom + shown, hiddenTo));
      for (let k = hiddenTo; k < j; k++) out.push(packetRow(k));
      i = j;
    } else if (runLength > 0) {
      for (let k = i; k < j; k++) out.push(packetRow(k));
      i = j;
    } else {
      out.push(packetRow(i));
      i++;
    }
  }
  if (byTime) {
    // The room after each row, in proportion to the silence before the next (a break row has its own).
    for (let k = 0; k + 1 < out.length; k++) {
      const row = out[k]!;
      const next = out[k + 1]!;
      if (row.kind === 'gap' || next.kind === 'gap') continue;
      const last = row.kind === 'packet' ? row.pos : row.to - 1;
      const first = next.kind === 'packet' ? next.pos : next.from;
      row.space = Math.min(o.maxSpace, (seconds(first) - seconds(last)) / unit);
    }
  }
  return out;
}

/**
 * The time one row of room stands for when spaced by time: the median silence between the
 * connection's packets (zero silences left out: they are bursts), or a millisecond when none.
 */
export function timeUnit(packets: PacketColumns, rows: ArrayLike<number>): number {
  const gaps: number[] = [];
  for (let i = 1; i < rows.length; i++) {
    const gap = (packets.timeNs[rows[i]!]! - packets.timeNs[rows[i - 1]!]!) / 1e9;
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return 1e-3;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor((gaps.length - 1) / 2)]!;
}

/** A row's height in pixels: its drawing (`base` for its kind, times the zoom) and, spaced by time, the room after it. */
export function rowHeight(row: LadderRow, base: number, scale: number): number {
  const own = Math.round(base * scale);
  return row.kind === 'gap' ? own : own + Math.round(row.space * 42 * scale);
}

/** Index in `rows` of the packet row showing `frame`, or -1 when it is folded away or absent. */
export function findFrameRow(rows: readonly LadderRow[], frame: FrameNumber): number {
  return rows.findIndex((r) => r.kind === 'packet' && r.frame === frame);
}

/** Index of the folded run that contains `frame`, or -1. */
export function findRunContaining(rows: readonly LadderRow[], frame: FrameNumber): number {
  return rows.findIndex((r) => r.kind === 'run' && frame >= r.firstFrame && frame <= r.lastFrame);
}

/** The next expansion of a run: how many of its hidden packets to show after one more click. */
export function expandRun(expanded: ReadonlyMap<number, number>, run: RunRow, step: number): Map<number, number> {
  const next = new Map(expanded);
  next.set(run.runStart, (expanded.get(run.runStart) ?? 0) + Math.min(step, run.to - run.from));
  return next;
}

/** Pixel geometry of the diagram; the component only draws what this says. */
export interface LadderGeometry {
  width: number;
  /** x of the client's and the server's lifelines. */
  clientX: number;
  serverX: number;
  /** Left column for time and frame number. */
  gutter: number;
}

/** The gutter's width for times `chars` long at a zoom: the default fits relative times. */
export function gutterWidth(chars: number, scale: number): number {
  return Math.max(92, Math.ceil(chars * 0.6 * 11.5 * scale + 16));
}

export function ladderGeometry(width: number, gutter = 92): LadderGeometry {
  const usable = Math.max(260, width - gutter);
  // Lifelines inset so labels of arrows fit beside them; wide panels do not stretch arrows forever.
  const span = Math.min(usable - 120, 560);
  const clientX = gutter + Math.max(60, (usable - span) / 2);
  return { width: Math.max(width, gutter + 260), clientX, serverX: clientX + span, gutter };
}
