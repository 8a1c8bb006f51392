/**
 * `overload` (host finding) — seed 002 "Resource Constraints" (under heavy load a system cannot
 * handle all incoming connections and closes them forcibly with RST, ACK) and resource exhaustion;
 * SCENARIOS.md `overload`. One host resets or refuses many connections in a burst, including on a
 * port it otherwise serves, while SYNs to that port go unanswered or get refused.
 */
import type { AnalysisResult } from '../../analyze-api.ts';
import { TcpFlag, type Connection, type Evidence, type Finding } from '../../model/types.ts';
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

export function findOverload(result: AnalysisResult): Finding[] {
  const conns = result.report.connections;
  const cols = result.packets;
  // Time of every RST frame (few), read once from the columns.
  const rstTime = new Map<number, number>();
  for (let r = 0; r < cols.frame.length; r++) if (cols.flags[r]! & TcpFlag.RST) rstTime.set(cols.frame[r]!, cols.timeNs[r]!);

  const served = new Set<string>();
  const byHost = new Map<string, HostReset[]>();
  for (const c of conns) {
    const sv = c.dir.server;
    if (sv.synFrame !== null) served.add(`${c.server.ip}|${c.server.port}`);
    const f = sv.rstFrames[0];
    if (f === undefined) continue;
    const entry = { conn: c, frame: f, timeNs: rstTime.get(f) ?? c.start * 1e9, refusal: sv.synFrame === null && c.dir.client.synFrame !== null };
    const list = byHost.get(c.server.ip);
    if (list) list.push(entry);
    else byHost.set(c.server.ip, [entry]);
  }
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
      const f = judge(host, burst, conns, served, out.length + 1);
      if (f) out.push(f);
    }
  }
  return out;
}

function judge(host: string, burst: HostReset[], conns: readonly Connection[], served: Set<string>, n: number): Finding | null {
  const t0 = burst[0]!.timeNs / 1e9;
  const t1 = burst[burst.length - 1]!.timeNs / 1e9;
  const ports = new Set(burst.filter((b) => served.has(`${host}|${b.conn.server.port}`)).map((b) => b.conn.server.port));
  if (ports.size === 0) return null;
  const onServed = burst.filter((b) => ports.has(b.conn.server.port));
  const refusedServed = onServed.filter((b) => b.refusal);
  const unanswered = conns.filter(
    (c) => c.server.ip === host && ports.has(c.server.port) && c.dir.client.synFrame !== null && c.dir.server.packets === 0 && c.start <= t1 && c.start >= t0 - LOOKBACK_S,
  );
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
