/**
 * Runs of identical resets (issue 13, item 4): a stack or a middlebox in a loop can send the same
 * RST a million times in one connection. Each used to get its own context, rule pass and verdict
 * (kilobytes and about a millisecond apiece); now the first RSTs of a run get full verdicts and the
 * rest repeat the last of those, kept as a frame and a time each (model/repeated-resets.ts).
 *
 * A run is a sequence of RSTs in one connection from the same side, with nothing else from that
 * side between them (the other side may go on sending: a stack answering every segment of a peer
 * that does not hear it), equal in everything the rules look at apart from time: flags, sequence
 * and acknowledgement numbers, payload length, TTL and IP ID.
 */
import { isFromClient, type PacketColumns } from '../model/packet-table.ts';
import type { RepeatedResets } from '../model/repeated-resets.ts';
import { TcpFlag, type ResetVerdict } from '../model/types.ts';
import type { ConnectionTable } from '../tcp/connection-table.ts';
import type { HostFacts } from './host-facts.ts';

/** RSTs of a run that get a verdict of their own; the following ones repeat the last of them. */
export const FULL_VERDICTS_PER_RUN = 8;

/**
 * For connection `id`'s rows, the row each RST repeats (-1: none, it gets a full verdict), indexed
 * from the connection's first row; null when no run is longer than FULL_VERDICTS_PER_RUN.
 */
export function findRepeats(shared: HostFacts, id: number): Int32Array | null {
  const { cols, result } = shared;
  const from = result.connStart[id]!;
  const to = result.connStart[id + 1]!;
  let out: Int32Array | null = null;
  // Per side (client, server): its last RST while it has sent nothing else since (-1: none), the
  // length of its current run, and the run's last RST with a full verdict. Plain variables: this
  // runs for every connection with a RST.
  let lastRstC = -1;
  let lastRstS = -1;
  let runC = 0;
  let runS = 0;
  let lastFullC = -1;
  let lastFullS = -1;
  for (let row = from; row < to; row++) {
    const client = isFromClient(cols, row);
    if (!(cols.flags[row]! & TcpFlag.RST)) {
      if (client) lastRstC = -1;
      else lastRstS = -1;
      continue;
    }
    const prev = client ? lastRstC : lastRstS;
    const run = prev >= 0 && sameReset(cols, result.connections, prev, row) ? (client ? runC : runS) + 1 : 1;
    if (client) {
      runC = run;
      lastRstC = row;
    } else {
      runS = run;
      lastRstS = row;
    }
    if (run <= FULL_VERDICTS_PER_RUN) {
      if (client) lastFullC = row;
      else lastFullS = row;
      continue;
    }
    if (!out) out = new Int32Array(to - from).fill(-1);
    out[row - from] = client ? lastFullC : lastFullS;
  }
  return out;
}

function sameReset(cols: PacketColumns, table: ConnectionTable, a: number, b: number): boolean {
  if (cols.flags[a] !== cols.flags[b] || cols.seq[a] !== cols.seq[b] || cols.ack[a] !== cols.ack[b] || cols.payloadLen[a] !== cols.payloadLen[b]) return false;
  if (cols.payloadLen[a]! > 0) return false; // a RST with data has its own text
  const ra = table.rstRecord(cols.frame[a]!);
  const rb = table.rstRecord(cols.frame[b]!);
  return ra !== undefined && rb !== undefined && ra.ttl === rb.ttl && ra.ipId === rb.ipId;
}

/**
 * The connection's repeated RSTs as columns (model/repeated-resets.ts), each pointing at the
 * verdict it repeats among `full` (the connection's other verdicts, in frame order).
 */
export function repeatedResets(shared: HostFacts, id: number, full: readonly ResetVerdict[], repeats: Int32Array | null): RepeatedResets | undefined {
  if (!repeats) return undefined;
  const { cols } = shared;
  const from = shared.result.connStart[id]!;
  const indexOf = new Map<number, number>();
  full.forEach((v, i) => indexOf.set(v.frame, i));
  let n = 0;
  for (let i = 0; i < repeats.length; i++) if (repeats[i]! >= 0) n++;
  const out: RepeatedResets = { frames: new Uint32Array(n), times: new Float64Array(n), of: new Uint32Array(n) };
  let j = 0;
  for (let i = 0; i < repeats.length; i++) {
    const ref = repeats[i]!;
    if (ref < 0) continue;
    out.frames[j] = cols.frame[from + i]!;
    out.times[j] = cols.timeNs[from + i]! / 1e9;
    out.of[j] = indexOf.get(cols.frame[ref]!)!;
    j++;
  }
  return out;
}

/** The repeated RSTs of one connection as group members: frame, time, side and TTL, in frame order. */
export interface RepeatMembers {
  frames: Uint32Array;
  timesNs: Float64Array;
  fromClient: Uint8Array;
  ttls: Uint8Array;
}

/**
 * The RSTs `findRepeats` took out of the per-RST work, for the grouping of each side's resets
 * (how many a side sent and how they were spaced), which must count them all.
 */
export function repeatMembers(shared: HostFacts, id: number, repeats: Int32Array | null): RepeatMembers | null {
  if (!repeats) return null;
  const { cols, result } = shared;
  const from = result.connStart[id]!;
  let n = 0;
  for (let i = 0; i < repeats.length; i++) if (repeats[i]! >= 0) n++;
  const out: RepeatMembers = { frames: new Uint32Array(n), timesNs: new Float64Array(n), fromClient: new Uint8Array(n), ttls: new Uint8Array(n) };
  let j = 0;
  for (let i = 0; i < repeats.length; i++) {
    if (repeats[i]! < 0) continue;
    const frame = cols.frame[from + i]!;
    out.frames[j] = frame;
    out.timesNs[j] = cols.timeNs[from + i]!;
    out.fromClient[j] = isFromClient(cols, from + i) ? 1 : 0;
    out.ttls[j] = result.connections.rstRecord(frame)!.ttl;
    j++;
  }
  return out;
}
