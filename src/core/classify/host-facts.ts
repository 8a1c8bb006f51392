/**
 * Capture-wide facts about hosts that the rules and host findings share: every host once, each
 * host's TTL range over its packets that are not RSTs, its fastest SYN-ACK, the time of each direction's first RST
 * and which connections have one. Read through the connection table's accessors.
 */
import type { AnalysisResult } from '../analyze-api.ts';
import type { PacketColumns } from '../model/packet-table.ts';
import { TcpFlag, type Endpoint } from '../model/types.ts';
import { connView, type ConnView } from './conn-view.ts';
import { dirIndex, synToSynAck, type ConnectionTable, type TtlRange } from '../tcp/connection-table.ts';

const { RST } = TcpFlag;

/** Capture-wide facts the rules share. */
export interface HostFacts {
  result: AnalysisResult;
  cols: PacketColumns;
  /** Every host (IP text) of the capture once, and each connection's client and server as an index into it (by connection id). */
  hostNames: string[];
  clientHost: Int32Array;
  serverHost: Int32Array;
  /** Per host (index): TTL range of its non-RST packets, null when it sent none. */
  hostTtl: (TtlRange | null)[];
  /** Per host: TTL range of what its stack sends whatever an application chose (see `kernelTtl`), null when unknown. */
  hostKernelTtl: (TtlRange | null)[];
  /** Per host: the shortest SYN to SYN-ACK time (ns) seen when it was the server. */
  hostMinSynAckNs: Map<string, number>;
  /** Per direction (`dirIndex`): the time (ns) of its first RST (`firstRst`), -1 when it sent none. */
  firstRstNs: Float64Array;
  /** Ids of the connections with a RST, ascending: the only ones that need per-RST work. */
  rstConns: number[];
  /**
   * Per direction (`dirIndex`): the frame of its first RST, 0 when it sent none. The host findings
   * ask this of every connection: a column read instead of a lookup in the table's map of RST frames.
   */
  firstRst: Uint32Array;
  /** Per direction (`dirIndex`): how many RSTs it sent. */
  rstCount: Uint32Array;
  /**
   * Connection `id` as the classifier reads it, new on each call: the classifier makes it once, for
   * its resets, and lets it go with them (a cache of every reset connection would outlive them all).
   */
  conn(id: number): ConnView;
  /** The little of connection `id` the host findings read (`ConnBrief`), new on each call. */
  brief(id: number): ConnBrief;
}

/** One direction of a `ConnBrief`: as in the connection's `dir` (its RST frames not copied). */
export interface DirBrief {
  synFrame: number | null;
  rstFrames: readonly number[];
  retransmissions: number;
}

/**
 * What the host findings read of a connection, as the full `Connection` has it: a few columns
 * instead of a whole object (its direction statistics, completeness, application context), for
 * the many connections that a finding looks at but that end up in none.
 */
export interface ConnBrief {
  id: number;
  client: Endpoint;
  server: Endpoint;
  firstFrame: number;
  start: number;
  dir: { client: DirBrief; server: DirBrief };
}

/** One direction's brief, its RST frames looked up in the table's map only when read (for the few connections a finding keeps). */
class TableDirBrief implements DirBrief {
  readonly synFrame: number | null;
  readonly retransmissions: number;

  constructor(
    private readonly table: ConnectionTable,
    private readonly id: number,
    private readonly side: 'client' | 'server',
  ) {
    const k = dirIndex(id, side === 'client');
    this.synFrame = table.dir.synFrame[k] || null;
    this.retransmissions = table.dir.retransmissions[k]!;
  }

  get rstFrames(): readonly number[] {
    return this.table.rstFramesFrom(this.id, this.side);
  }
}

/** Connection `id`'s `ConnBrief`. */
export function connBrief(table: ConnectionTable, id: number): ConnBrief {
  const C = table.conn;
  return {
    id,
    client: { ip: table.hosts.values[C.clientHost[id]!]!, port: C.clientPort[id]! },
    server: { ip: table.hosts.values[C.serverHost[id]!]!, port: C.serverPort[id]! },
    firstFrame: C.firstFrame[id]!,
    start: C.startNs[id]! * 1e-9,
    dir: { client: new TableDirBrief(table, id, 'client'), server: new TableDirBrief(table, id, 'server') },
  };
}

/*
 * Each pass over the connections is a function of its own: V8 optimizes a long loop while it runs
 * (on-stack replacement), and in a function of several loops it threw that code away at the start
 * of each next loop, which had not run yet, to run it slowly again.
 */
export function buildHostFacts(result: AnalysisResult): HostFacts {
  // Read straight from the connection columns: no Connection object is made for a connection
  // without a RST.
  const table = result.connections;
  const { hostNames, clientHost, serverHost } = numberHosts(table);
  const { firstRst, rstCount } = rstColumns(table);
  const { rstConns, firstRstNs } = resetConnections(result, firstRst, rstCount);
  const { hostTtl, hostKernelTtl } = hostTtls(table, clientHost, serverHost, hostNames.length, rstCount);
  const hostMinSynAckNs = fastestSynAcks(table, serverHost, hostNames);
  const conn = (id: number): ConnView => connView(table, id, rstCount[2 * id] !== 0 || rstCount[2 * id + 1] !== 0);
  const brief = (id: number): ConnBrief => connBrief(table, id);
  return { result, cols: result.packets, hostNames, clientHost, serverHost, hostTtl, hostKernelTtl, hostMinSynAckNs, firstRstNs, rstConns, firstRst, rstCount, conn, brief };
}

/** Hosts numbered in the order connections name them (client first), each address once. */
function numberHosts(table: ConnectionTable): { hostNames: string[]; clientHost: Int32Array; serverHost: Int32Array } {
  const nConn = table.length;
  const hostNames: string[] = [];
  const renumber = new Int32Array(table.hosts.values.length).fill(-1);
  const idx = (tableHost: number): number => {
    let i = renumber[tableHost]!;
    if (i < 0) {
      i = renumber[tableHost] = hostNames.length;
      hostNames.push(table.hosts.values[tableHost]!);
    }
    return i;
  };
  const clientHost = new Int32Array(nConn);
  const serverHost = new Int32Array(nConn);
  for (let id = 0; id < nConn; id++) {
    clientHost[id] = idx(table.hostOf(id, 'client'));
    serverHost[id] = idx(table.hostOf(id, 'server'));
  }
  return { hostNames, clientHost, serverHost };
}

/**
 * The table's map of RST frames read once into columns (`firstRst`, `rstCount`): a lookup in it for
 * every direction (`table.senderTtl` makes one) costs more than the rest of these passes.
 */
function rstColumns(table: ConnectionTable): { firstRst: Uint32Array; rstCount: Uint32Array } {
  const firstRst = new Uint32Array(2 * table.length);
  const rstCount = new Uint32Array(2 * table.length);
  table.rstFrames.forEach((frames, k) => {
    if (frames.length === 0) return;
    firstRst[k] = frames[0]!;
    rstCount[k] = frames.length;
  });
  return { firstRst, rstCount };
}

/** The connections with a RST (the classifier need not visit the others), and each direction's first RST time. */
function resetConnections(result: AnalysisResult, firstRst: Uint32Array, rstCount: Uint32Array): { rstConns: number[]; firstRstNs: Float64Array } {
  const { flags, frame, timeNs } = result.packets;
  const { connStart } = result;
  const nConn = result.connections.length;
  const rstConns: number[] = [];
  const firstRstNs = new Float64Array(2 * nConn).fill(-1);
  for (let id = 0; id < nConn; id++) {
    const cl = 2 * id;
    const sv = cl + 1;
    if (rstCount[cl] === 0 && rstCount[sv] === 0) continue;
    rstConns.push(id);
    // The time of each direction's first RST: its row is the first with that frame.
    let left = (rstCount[cl] === 0 ? 0 : 1) + (rstCount[sv] === 0 ? 0 : 1);
    for (let r = connStart[id]!, end = connStart[id + 1]!; left > 0 && r < end; r++) {
      if (!(flags[r]! & RST)) continue;
      const k = frame[r] === firstRst[cl] ? cl : frame[r] === firstRst[sv] ? sv : -1;
      if (k < 0 || firstRstNs[k]! >= 0) continue;
      firstRstNs[k] = timeNs[r]!;
      left--;
    }
  }
  return { rstConns, firstRstNs };
}

/**
 * Each host's TTL range over its non-RST packets, and over what its stack sends (`kernelTtl`),
 * from the direction counters of its connections.
 */
function hostTtls(
  table: ConnectionTable,
  clientHost: Int32Array,
  serverHost: Int32Array,
  n: number,
  rstCount: Uint32Array,
): { hostTtl: (TtlRange | null)[]; hostKernelTtl: (TtlRange | null)[] } {
  const all = new TtlSums(n);
  const kernel = new TtlSums(n);
  const scratch: TtlRange = { min: 0, max: 0, packets: 0 };
  for (let id = 0; id < table.length; id++) {
    all.add(clientHost[id]!, table.senderTtl(2 * id, rstCount[2 * id]!, scratch));
    all.add(serverHost[id]!, table.senderTtl(2 * id + 1, rstCount[2 * id + 1]!, scratch));
    kernel.add(clientHost[id]!, table.controlTtl(id, 'client', scratch));
    kernel.add(serverHost[id]!, table.controlTtl(id, 'server', scratch));
  }
  return { hostTtl: all.ranges(), hostKernelTtl: kernel.ranges().map((r) => kernelTtl(r)) };
}

/** TTL ranges summed per host (index). */
class TtlSums {
  private readonly min: Uint8Array;
  private readonly max: Uint8Array;
  private readonly count: Uint32Array;

  constructor(private readonly n: number) {
    this.min = new Uint8Array(n).fill(255);
    this.max = new Uint8Array(n);
    this.count = new Uint32Array(n);
  }

  add(h: number, r: TtlRange | null): void {
    if (r === null) return;
    if (r.min < this.min[h]!) this.min[h] = r.min;
    if (r.max > this.max[h]!) this.max[h] = r.max;
    this.count[h]! += r.packets;
  }

  /** Each host's range, null when it sent no such packet. */
  ranges(): (TtlRange | null)[] {
    const out: (TtlRange | null)[] = [];
    for (let h = 0; h < this.n; h++) out.push(this.count[h]! > 0 ? { min: this.min[h]!, max: this.max[h]!, packets: this.count[h]! } : null);
    return out;
  }
}

/** Per host (address): the shortest SYN to SYN-ACK time (ns) seen when it was the server. */
function fastestSynAcks(table: ConnectionTable, serverHost: Int32Array, hostNames: readonly string[]): Map<string, number> {
  const minSynAck = new Float64Array(hostNames.length).fill(Infinity);
  for (let id = 0; id < table.length; id++) {
    const s = synToSynAck(table, id);
    if (s === null) continue;
    const h = serverHost[id]!;
    minSynAck[h] = Math.min(minSynAck[h]!, s * 1e9);
  }
  const hostMinSynAckNs = new Map<string, number>();
  for (let h = 0; h < hostNames.length; h++) {
    if (minSynAck[h]! < Infinity) hostMinSynAckNs.set(hostNames[h]!, minSynAck[h]!);
  }
  return hostMinSynAckNs;
}

/**
 * A TTL at or below this was chosen by an application, not left at a stack's default: no path is
 * long enough to bring 32, 64, 128 or 255 down to it (eBGP sends with TTL 1, GTSM checks for it).
 */
export const APP_TTL_MAX = 2;

/**
 * The TTL range to compare a reset with: packets the stack sends without payload (SYN, SYN-ACK,
 * pure ACKs, bare FINs), not data whose TTL an application may set. A range that holds only
 * application-chosen TTLs says nothing about the TTL of a reset the kernel makes: null.
 */
export function kernelTtl(r: TtlRange | null): TtlRange | null {
  return r === null || r.max <= APP_TTL_MAX ? null : r;
}
