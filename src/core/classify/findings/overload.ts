/**
 * `overload` (host finding, not a per-reset rule) — seed 002 "Resource Constraints" (under heavy load a system cannot
 * handle all incoming connections and closes them forcibly with RST, ACK) and resource exhaustion;
 * SCENARIOS.md `overload`. One host resets or refuses many connections in a burst, including on a
 * port it otherwise serves, while SYNs to that port go unanswered or get refused.
 */
import type { Connection, Evidence, Finding } from '../../model/types.ts';
import type { HostFacts } from '../host-facts.ts';
import { durationText, endpointText, framesText, plural } from '../format.ts';

/** Resets further apart than this start a new burst. */
export const BURST_GAP_NS = 1e9;
/** Unanswered SYNs to the served port (in the minute before the burst) that show a full backlog. */
export const MIN_UNANSWERED = 3;
/** Refusals on a port the host otherwise accepts, within one burst. */
export const MIN_REFUSED_SERVED = 2;
const LOOKBACK_S = 60;

interface HostReset {
  conn: Connection;
  frame: number;
  timeNs: number;
  refusal: boolean;
}

export function findOverload(shared: HostFacts): Finding[] {
  const table = shared.result.connections;
  const rstTime = shared.rstTimeNs;
  const { serverHost, hostNames } = shared;

  /** Ports each host accepted connections on (SYN-ACK), as `servedKey`. */
  const served = new Set<number>();
  /** Per server host (index): its first reset of each connection. */
  const byHost = new Map<number, HostReset[]>();
  /** Unanswered SYNs (no packet at all from the server) per server host, in start order. */
  const silent = new Map<number, Connection[]>();
  // The table's counters pick the connections that matter here; only those become objects.
  for (let id = 0; id < table.length; id++) {
    const host = serverHost[id]!;
    const syn = table.sentSyn(id, 'client');
    const synAck = table.sentSyn(id, 'server');
    if (syn && table.packetsFrom(id, 'server') === 0) {
      const c = shared.conn(id);
      const l = silent.get(host);
      if (l) l.push(c);
      else silent.set(host, [c]);
    }
    if (synAck) served.add(servedKey(host, table.serverPort(id)));
    const f = table.rstFramesFrom(id, 'server')[0];
    if (f === undefined) continue;
    const c = shared.conn(id);
    const entry = { conn: c, frame: f, timeNs: rstTime.get(f) ?? c.start * 1e9, refusal: !synAck && syn };
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
      const f = judge(host, hostNames[host]!, burst, silent.get(host) ?? [], served, out.length + 1);
      if (f) out.push(f);
    }
  }
  return out;
}

/** One number for a host (index) and port. */
function servedKey(host: number, port: number): number {
  return host * 65536 + port;
}

function judge(hostIndex: number, host: string, burst: HostReset[], silent: readonly Connection[], served: Set<number>, n: number): Finding | null {
  const t0 = burst[0]!.timeNs / 1e9;
  const t1 = burst[burst.length - 1]!.timeNs / 1e9;
  const ports = new Set(burst.filter((b) => served.has(servedKey(hostIndex, b.conn.server.port))).map((b) => b.conn.server.port));
  if (ports.size === 0) return null;
  const onServed = burst.filter((b) => ports.has(b.conn.server.port));
  const refusedServed = onServed.filter((b) => b.refusal);
  const unanswered: Connection[] = [];
  for (let i = firstAtOrAfter(silent, t0 - LOOKBACK_S); i < silent.length && silent[i]!.start <= t1; i++) {
    if (ports.has(silent[i]!.server.port)) unanswered.push(silent[i]!);
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
    const retried = unanswered.filter((c) => c.dir.client.retransmissions > 0).length;
    evidence.push({
      frame: unanswered[0]!.firstFrame,
      fact: `${plural(unanswered.length, 'SYN')} to ${host}:${portList} got no answer at all${retried ? ` (${retried} retried)` : ''}: its listen queue was full`,
    });
  }
  return {
    id: `overload-${n}`,
    kind: 'overload',
    host,
    title: `${host} reset or refused ${plural(burst.length, 'connection')} in a burst while ${unanswered.length ? `${plural(unanswered.length, 'SYN')} to ${endpointText({ ip: host, port: [...ports][0]! })} went unanswered` : 'refusing connections on a port it serves'}`,
    frames: burst.flatMap((b) => b.conn.dir.server.rstFrames),
    connections: burst.map((b) => b.conn.id),
    evidence,
  };
}

/** Index of the first connection starting at or after `t` (seconds) in a start-sorted list. */
function firstAtOrAfter(list: readonly Connection[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.start < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
