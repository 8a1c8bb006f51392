/**
 * `overload` (host finding, not a per-reset rule) — seed 002 "Resource Constraints" (under heavy load a system cannot
 * handle all incoming connections and closes them forcibly with RST, ACK) and resource exhaustion;
 * SCENARIOS.md `overload`. One host resets or refuses many connections in a burst, including on a
 * port it otherwise serves, while SYNs to that port go unanswered or get refused.
 */
import { TcpFlag, type Evidence, type Finding } from '../../model/types.ts';
import type { ConnBrief, HostFacts } from '../host-facts.ts';
import { dirIndex, type ConnectionTable } from '../../tcp/connection-table.ts';
import { durationText, endpointText, framesText, plural } from '../format.ts';

/** Resets further apart than this start a new burst. */
export const BURST_GAP_NS = 1e9;
/** Unanswered SYNs to the served port (in the minute before the burst) that show a full backlog. */
export const MIN_UNANSWERED = 3;
/** Refusals on a port the host otherwise accepts, within one burst. */
export const MIN_REFUSED_SERVED = 2;
const LOOKBACK_S = 60;

/** A connection the host reset (its first reset from the host), read from the table's columns by id. */
interface HostReset {
  id: number;
  frame: number;
  timeNs: number;
  refusal: boolean;
}

/** An unanswered SYN's connection and when it started, in seconds (as `Connection.start`). */
interface Silent {
  id: number;
  start: number;
}

export function findOverload(shared: HostFacts): Finding[] {
  const table = shared.result.connections;
  const { serverHost, hostNames, firstRstNs } = shared;
  const startNs = table.conn.startNs;

  /** Ports each host accepted connections on (SYN-ACK), as `servedKey`. */
  const served = new Set<number>();
  /** Per server host (index): its first reset of each connection. */
  const byHost = new Map<number, HostReset[]>();
  /** Unanswered SYNs (no packet at all from the server) per server host, in start order. */
  const silent = new Map<number, Silent[]>();
  // The table's counters pick the connections that matter here; only those get an entry.
  for (let id = 0; id < table.length; id++) {
    const host = serverHost[id]!;
    const syn = table.sentSyn(id, 'client');
    const synAck = table.sentSyn(id, 'server');
    const start = startNs[id]! * 1e-9;
    if (syn && table.packetsFrom(id, 'server') === 0) {
      const c = { id, start };
      const l = silent.get(host);
      if (l) l.push(c);
      else silent.set(host, [c]);
    }
    if (synAck) served.add(servedKey(host, table.serverPort(id)));
    const f = shared.firstRst[2 * id + 1]!;
    if (f === 0) continue;
    const t = firstRstNs[2 * id + 1]!;
    const entry = { id, frame: f, timeNs: t >= 0 ? t : start * 1e9, refusal: !synAck && syn };
    const list = byHost.get(host);
    if (list) list.push(entry);
    else byHost.set(host, [entry]);
  }
  for (const l of silent.values()) l.sort((a, b) => a.start - b.start);
  const out: Finding[] = [];
  for (const [host, list] of byHost) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.timeNs - b.timeNs);
    let from = 0;
    for (let i = 1; i <= list.length; i++) {
      if (i < list.length && list[i]!.timeNs - list[i - 1]!.timeNs <= BURST_GAP_NS) continue;
      const burst = list.slice(from, i);
      from = i;
      if (burst.length < 2) continue;
      const f = judge(table, host, hostNames[host]!, burst, silent.get(host) ?? [], served, out.length + 1);
      if (f) out.push(f);
    }
  }
  return out;
}

/** One number for a host (index) and port. */
function servedKey(host: number, port: number): number {
  return host * 65536 + port;
}

function judge(table: ConnectionTable, hostIndex: number, host: string, burst: HostReset[], silent: readonly Silent[], served: Set<number>, n: number): Finding | null {
  const t0 = burst[0]!.timeNs / 1e9;
  const t1 = burst[burst.length - 1]!.timeNs / 1e9;
  const portOf = (c: { id: number }): number => table.serverPort(c.id);
  const ports = new Set(burst.filter((b) => served.has(servedKey(hostIndex, portOf(b)))).map(portOf));
  if (ports.size === 0) return null;
  const onServed = burst.filter((b) => ports.has(portOf(b)));
  const refusedServed = onServed.filter((b) => b.refusal);
  const unanswered: Silent[] = [];
  for (let i = firstAtOrAfter(silent, t0 - LOOKBACK_S); i < silent.length && silent[i]!.start <= t1; i++) {
    if (ports.has(portOf(silent[i]!))) unanswered.push(silent[i]!);
  }
  const loaded = (unanswered.length >= MIN_UNANSWERED && onServed.length >= 2) || refusedServed.length >= MIN_REFUSED_SERVED;
  if (!loaded) return null;
  const portList = [...ports].join(', ');
  const evidence: Evidence[] = [
    { fact: `${host} reset ${plural(burst.length, 'connection')} within ${durationText((t1 - t0) * 1e9)} (${framesText(burst.map((b) => b.frame))})` },
    { fact: `port ${portList} is one ${host} serves: it accepted connections there (SYN-ACK)` },
  ];
  if (refusedServed.length) evidence.push({ fact: `${plural(refusedServed.length, 'SYN')} to that port refused in the burst (${framesText(refusedServed.map((b) => b.frame))})` });
  if (unanswered.length) {
    const retried = unanswered.filter((c) => table.dir.retransmissions[dirIndex(c.id, true)]! > 0).length;
    evidence.push({
      frame: table.conn.firstFrame[unanswered[0]!.id]!,
      claim: { from: 'client', set: TcpFlag.SYN, clear: TcpFlag.ACK },
      fact: `${plural(unanswered.length, 'SYN')} to ${host}:${portList} got no answer at all${retried ? ` (${retried} retried)` : ''}: its listen queue was full`,
    });
  }
  return {
    id: `overload-${n}`,
    kind: 'overload',
    host,
    title: `${host} reset or refused ${plural(burst.length, 'connection')} in a burst while ${unanswered.length ? `${plural(unanswered.length, 'SYN')} to ${endpointText({ ip: host, port: [...ports][0]! })} went unanswered` : 'refusing connections on a port it serves'}: it was overloaded`,
    frames: serverResets(table, burst),
    // The unanswered SYNs are part of the story (the evidence cites them): their connections too.
    connections: [...burst.map((b) => b.id), ...unanswered.map((c) => c.id)],
    evidence,
  };
}

/** The server's RSTs of each connection of `burst`, in its order (a loop: `flatMap` is slow on long bursts). */
function serverResets(table: ConnectionTable, burst: readonly HostReset[]): number[] {
  const out: number[] = [];
  for (const b of burst) for (const f of table.rstFramesFrom(b.id, 'server')) out.push(f);
  return out;
}

/** Accept-queue overflow: resets of connections this young (since the SYN-ACK) and how many in a burst. */
export const ACCEPT_DROP_MAX_AGE_NS = 3e9;
export const MIN_ACCEPT_DROPS = 3;

interface AcceptDrop {
  conn: ConnBrief;
  rstFrame: number;
  rstNs: number;
  synAckNs: number;
}

/**
 * Accept-queue overflow (SCENARIOS.md `overload`): a server that SYN-ACKed connections but whose
 * application never took them from a full listen queue answers their first data with a RST,
 * moments after the handshake, in a burst, while other connections to the same port are served.
 * A connection a fraction of a second old was not forgotten by a timeout: the host was overloaded.
 * `taken` holds the frames earlier findings already explain.
 */
export function findAcceptOverflow(shared: HostFacts, taken: ReadonlySet<number>, firstNumber: number): Finding[] {
  const table = shared.result.connections;
  const { serverHost, hostNames, firstRstNs } = shared;
  /** Candidates and served connections, by server host and port. */
  const drops = new Map<number, AcceptDrop[]>();
  const served = new Map<number, number[]>();
  for (let id = 0; id < table.length; id++) {
    const synAck = table.synAckTimeNs(id);
    if (synAck === null) continue;
    const key = servedKey(serverHost[id]!, table.serverPort(id));
    if (table.bytesFrom(id, 'server') > 0) {
      const l = served.get(key);
      if (l) l.push(id);
      else served.set(key, [id]);
      continue;
    }
    const rst = shared.firstRst[2 * id + 1]!;
    // The server never took the client's data in: it acknowledged the SYN and nothing after.
    if (rst === 0 || taken.has(rst) || table.bytesFrom(id, 'client') === 0 || table.finFrameOf(id, 'server') !== 0 || !table.ackedOnlySyn(id, 'server')) continue;
    const rstNs = firstRstNs[2 * id + 1]!;
    if (rstNs < 0 || rstNs - synAck > ACCEPT_DROP_MAX_AGE_NS || rstNs < synAck) continue;
    const c = shared.brief(id);
    const entry = { conn: c, rstFrame: rst, rstNs, synAckNs: synAck };
    const l = drops.get(key);
    if (l) l.push(entry);
    else drops.set(key, [entry]);
  }
  const out: Finding[] = [];
  for (const [key, list] of drops) {
    const ok = served.get(key);
    if (!ok || list.length < MIN_ACCEPT_DROPS) continue;
    list.sort((a, b) => a.rstNs - b.rstNs);
    let from = 0;
    for (let i = 1; i <= list.length; i++) {
      if (i < list.length && list[i]!.rstNs - list[i - 1]!.rstNs <= BURST_GAP_NS) continue;
      const burst = list.slice(from, i);
      from = i;
      if (burst.length < MIN_ACCEPT_DROPS) continue;
      out.push(acceptFinding(hostNames[Math.floor(key / 65536)]!, key % 65536, burst, shared.brief(ok[0]!), ok.length, firstNumber + out.length));
    }
  }
  return out;
}

function acceptFinding(host: string, port: number, burst: AcceptDrop[], served: ConnBrief, servedCount: number, n: number): Finding {
  const ages = burst.map((b) => b.rstNs - b.synAckNs).sort((a, b) => a - b);
  const age = ages[0] === ages[ages.length - 1] ? durationText(ages[0]!) : `${durationText(ages[0]!)}–${durationText(ages[ages.length - 1]!)}`;
  const t0 = burst[0]!.rstNs;
  const t1 = burst[burst.length - 1]!.rstNs;
  const first = burst[0]!.conn;
  const server = endpointText({ ip: host, port });
  const evidence: Evidence[] = [
    { frame: first.dir.server.synFrame!, fact: `SYN-ACK from ${server}: it accepted the connection from ${endpointText(first.client)}`, claim: { from: 'server', set: TcpFlag.SYN | TcpFlag.ACK } },
    {
      frame: burst[0]!.rstFrame,
      fact: `RST from ${server} ${durationText(burst[0]!.rstNs - burst[0]!.synAckNs)} after that SYN-ACK, answering the client's first data, which it never acknowledged`,
      claim: { from: 'server', set: TcpFlag.RST },
    },
    { fact: `${server} reset ${plural(burst.length, 'connection')} this way within ${durationText(t1 - t0)}, each ${age} after accepting it (${framesText(burst.map((b) => b.rstFrame))})` },
    {
      frame: served.dir.server.synFrame!,
      fact: `${plural(servedCount, 'other connection')} to ${server} were accepted and answered with data (the first accepted here): the service was up, its application did not take the new connections in time`,
      claim: { from: 'server', set: TcpFlag.SYN | TcpFlag.ACK },
    },
  ];
  return {
    id: `overload-${n}`,
    kind: 'overload',
    host,
    title: `${server} reset ${plural(burst.length, 'connection')} it had accepted ${age} before, on their first request, while it served others: its accept queue overflowed`,
    frames: burst.map((b) => b.rstFrame),
    connections: [...burst.map((b) => b.conn.id), served.id],
    evidence,
  };
}

/** Index of the first connection starting at or after `t` (seconds) in a start-sorted list. */
function firstAtOrAfter(list: readonly Silent[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.start < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
