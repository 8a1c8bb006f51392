/**
 * `port-scan` (host finding, not a per-reset rule) — seed 000, note on scenario 1: hundreds of resets sent back to one
 * client can mean TCP port scanning; SCENARIOS.md `port-scan`. One source's SYNs to many distinct
 * ports or hosts, refused (or half-opened and reset by the source) in a short window.
 */
import type { Connection, Finding } from '../../model/types.ts';
import type { HostFacts } from '../host-facts.ts';
import { durationText, endpointText, framesText, plural } from '../format.ts';

/** Attempts further apart than this start a new burst. */
export const SCAN_GAP_S = 10;
/** Distinct targets (host:port) a burst needs, and how many of them must have drawn a reset. */
export const SCAN_MIN_TARGETS = 8;
export const SCAN_MIN_RESETS = 3;
/** ...spread over at least this many ports or hosts. */
export const SCAN_MIN_SPREAD = 4;

interface Attempt {
  conn: Connection;
  kind: 'refused' | 'unanswered' | 'probe';
  rstFrames: number[];
}

export function findPortScans(shared: HostFacts): Finding[] {
  const table = shared.result.connections;
  const bySource = new Map<string, Attempt[]>();
  for (let id = 0; id < table.length; id++) {
    // The table's counters decide whether the connection is an attempt at all; only attempts become objects.
    if (!table.sentSyn(id, 'client')) continue;
    const svRst = table.rstFramesFrom(id, 'server').length > 0;
    const clRst = table.rstFramesFrom(id, 'client').length > 0;
    const synAck = table.sentSyn(id, 'server');
    let kind: Attempt['kind'] | null = null;
    if (!synAck && svRst) kind = 'refused';
    else if (table.packetsFrom(id, 'server') === 0) kind = 'unanswered';
    else if (synAck && table.bytesFrom(id, 'client') === 0 && table.bytesFrom(id, 'server') === 0 && clRst) kind = 'probe';
    if (!kind) continue;
    const c = shared.conn(id);
    const a: Attempt = { conn: c, kind, rstFrames: kind === 'refused' ? c.dir.server.rstFrames : kind === 'probe' ? c.dir.client.rstFrames : [] };
    const list = bySource.get(c.client.ip);
    if (list) list.push(a);
    else bySource.set(c.client.ip, [a]);
  }
  const out: Finding[] = [];
  for (const [source, list] of bySource) {
    list.sort((p, q) => p.conn.start - q.conn.start);
    let from = 0;
    for (let i = 1; i <= list.length; i++) {
      if (i < list.length && list[i]!.conn.start - list[i - 1]!.conn.start <= SCAN_GAP_S) continue;
      // Fewer attempts than the targets a scan needs: not one (most sources are here, cheaply).
      const f = i - from >= SCAN_MIN_TARGETS ? judge(source, list.slice(from, i), out.length + 1) : null;
      from = i;
      if (f) out.push(f);
    }
  }
  return out;
}

function judge(source: string, burst: Attempt[], n: number): Finding | null {
  const refused = burst.filter((a) => a.kind === 'refused');
  const probes = burst.filter((a) => a.kind === 'probe');
  const unanswered = burst.length - refused.length - probes.length;
  if (refused.length + probes.length < SCAN_MIN_RESETS) return null;
  const targets = new Set(burst.map((a) => `${a.conn.server.ip}|${a.conn.server.port}`));
  if (targets.size < SCAN_MIN_TARGETS) return null;
  const ports = new Set(burst.map((a) => a.conn.server.port));
  const hosts = new Set(burst.map((a) => a.conn.server.ip));
  if (ports.size < SCAN_MIN_SPREAD && hosts.size < SCAN_MIN_SPREAD) return null;
  const frames = burst.flatMap((a) => a.rstFrames).sort((p, q) => p - q);
  const first = burst[0]!.conn;
  const last = burst[burst.length - 1]!.conn;
  const span = durationText((last.start - first.start) * 1e9);
  const spread = hosts.size === 1 ? `${plural(ports.size, 'port')} of ${[...hosts][0]}` : `${plural(targets.size, 'port')} on ${plural(hosts.size, 'host')}`;
  const evidence = [
    { frame: first.firstFrame, fact: `first SYN of the burst from ${source}` },
    { fact: `${source} sent SYNs to ${spread} within ${span}` },
  ];
  if (refused.length) {
    evidence.push({ fact: `${plural(refused.length, 'attempt')} refused with a reset (${framesText(refused.flatMap((a) => a.rstFrames))})` });
  }
  if (probes.length) {
    evidence.push({ fact: `${plural(probes.length, 'port')} answered with a SYN-ACK and ${source} reset at once without sending data: it only wanted to know the port was open (${framesText(probes.map((a) => a.conn.dir.client.rstFrames[0]!))})` });
  }
  if (unanswered) evidence.push({ fact: `${plural(unanswered, 'SYN')} got no answer at all` });
  const open = [...new Set(probes.map((a) => endpointText(a.conn.server)))];
  return {
    id: `port-scan-${n}`,
    kind: 'port-scan',
    host: source,
    title: `${source} scanned ${spread} in ${span}: ${refused.length} refused, ${probes.length} open${open.length ? ` (${open.slice(0, 3).join(', ')}${open.length > 3 ? ', ...' : ''})` : ''}, ${unanswered} unanswered`,
    frames,
    connections: burst.map((a) => a.conn.id),
    evidence,
  };
}
