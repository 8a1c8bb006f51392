/**
 * The ladder's rows, computed from the packet columns of one connection: one row per packet in time
 * order, long silences as compressed gap rows with their length written, and long runs of plain
 * data/ACK segments folded into one expandable row so a million-packet connection stays usable.
 */
import { flagText } from '../../core/model/flags.ts';
import { isFromClient, tcpFlags, type PacketColumns } from '../../core/model/packet-table.ts';
import { PacketMark, TcpFlag, type Connection, type FrameNumber } from '../../core/model/types.ts';

export interface PacketRow {
  kind: 'packet';
  key: string;
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
  rst: boolean;
  marks: string[];
  /** What the application said in this frame (`GET /x`, `200 OK`, `ClientHello example.com`), or null. */
  app: string | null;
}

export interface GapRow {
  kind: 'gap';
  key: string;
  seconds: number;
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
}

export const DEFAULT_LADDER_OPTIONS: LadderOptions = {
  minRun: 12,
  edge: 2,
  expandStep: 500,
  minGap: 0.5,
  gapFactor: 10,
};

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
  const gapThreshold = Math.max(o.minGap, o.gapFactor * conn.medianGap);
  const seconds = (i: number): number => (packets.timeNs[rows[i]!]! - t0) / 1e9;
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
      row: r,
      frame: packets.frame[r]!,
      fromClient,
      flagsLabel: formatFlags(flags),
      relSeq: (packets.seq[r]! - (ownBase ?? 0)) >>> 0,
      relAck: hasAck ? (packets.ack[r]! - (peerBase ?? 0)) >>> 0 : null,
      len: packets.payloadLen[r]!,
      window: packets.window[r]!,
      time: seconds(i),
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
    };
  };

  let i = 0;
  while (i < n) {
    const gap = gapBefore(i);
    if (gap > gapThreshold) out.push({ kind: 'gap', key: `g${i}`, seconds: gap });
    // A run: consecutive plain segments with no long silence inside.
    let j = i;
    while (j < n && isPlain(j) && (j === i || gapBefore(j) <= gapThreshold)) j++;
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
  return out;
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

export function ladderGeometry(width: number): LadderGeometry {
  const gutter = 92;
  const usable = Math.max(260, width - gutter);
  // Lifelines inset so labels of arrows fit beside them; wide panels do not stretch arrows forever.
  const span = Math.min(usable - 120, 560);
  const clientX = gutter + Math.max(60, (usable - span) / 2);
  return { width: Math.max(width, gutter + 260), clientX, serverX: clientX + span, gutter };
}
