/**
 * `port-scan` (host finding, not a per-reset rule) — seed 000, note on scenario 1: hundreds of resets sent back to one
 * client can mean TCP port scanning; SCENARIOS.md `port-scan`. One source's SYNs to many distinct
 * ports or hosts, refused (or half-opened and reset by the source) in a short window.
 */
import { isFromClient } from '../../model/packet-table.ts';
import { TcpFlag, type Evidence, type Finding } from '../../model/types.ts';
import type { HostFacts } from '../host-facts.ts';
import type { ConnectionTable } from '../../tcp/connection-table.ts';
import { durationText, endpointText, framesText, plural } from '../format.ts';

/** Attempts further apart than this start a new burst (slow scans wait seconds between probes). */
export const SCAN_GAP_S = 30;
/**
 * A vertical scan: this many distinct ports of one host answered with a reset (refused, half-opened
 * and reset by the source, or a FIN/NULL/Xmas probe refused). A connect scan of a handful of ports
 * is a scan; two or three refusals are a client that knocked on the wrong door.
 */
export const SCAN_MIN_PORTS = 5;
/**
 * Otherwise (many hosts, or ports spread over hosts): this many distinct targets (host:port), at
 * least `SCAN_MIN_RESETS` of them reset, spread over at least `SCAN_MIN_SPREAD` ports or hosts. A
 * busy client refused by a few hosts is not a scan; one trying a port on many hosts is.
 */
export const SCAN_MIN_TARGETS = 8;
export const SCAN_MIN_RESETS = 3;
export const SCAN_MIN_SPREAD = 4;

interface Attempt {
  /** The attempt's connection: its fields are read from the table's columns (`Targets`). */
  id: number;
  /**
   * refused: SYN answered with a RST; unanswered: SYN without answer; probe: SYN-ACK, then the
   * source reset without data; stray: a first segment without SYN or ACK (FIN, NULL, Xmas probes)
   * answered with a RST.
   */
  kind: 'refused' | 'unanswered' | 'probe' | 'stray';
  /** When the connection started, in seconds (as `Connection.start`). */
  start: number;
}

/**
 * What the judge reads of an attempt's connection, from the columns: a scan holds thousands of
 * attempts, and an object per connection kept while the bursts are judged cost more than the judging.
 */
class Targets {
  private readonly table: ConnectionTable;

  constructor(private readonly shared: HostFacts) {
    this.table = shared.result.connections;
  }

  /** The target's host (index into `HostFacts.hostNames`: one per address) and its address. */
  host(a: Attempt): number {
    return this.shared.serverHost[a.id]!;
  }

  ip(a: Attempt): string {
    return this.shared.hostNames[this.host(a)]!;
  }

  port(a: Attempt): number {
    return this.table.serverPort(a.id);
  }

  firstFrame(a: Attempt): number {
    return this.table.conn.firstFrame[a.id]!;
  }

  /** The RSTs an attempt drew: the target's to a refused SYN or a stray probe, the source's own after a probe's SYN-ACK. */
  resets(a: Attempt): readonly number[] {
    if (a.kind === 'refused' || a.kind === 'stray') return this.table.rstFramesFrom(a.id, 'server');
    return a.kind === 'probe' ? this.table.rstFramesFrom(a.id, 'client') : NO_FRAMES;
  }
}

const NO_FRAMES: readonly number[] = [];

export function findPortScans(shared: HostFacts): Finding[] {
  const table = shared.result.connections;
  /** Attempts by source (host index), in the order sources first appear. */
  const bySource = new Map<number, Attempt[]>();
  const { cols, result, firstRst, clientHost } = shared;
  const startNs = table.conn.startNs;
  for (let id = 0; id < table.length; id++) {
    // The table's counters decide whether the connection is an attempt at all.
    const svRst = firstRst[2 * id + 1] !== 0;
    const synAck = table.sentSyn(id, 'server');
    if (!table.sentSyn(id, 'client')) {
      // A probe that opens with no SYN: a FIN, NULL or Xmas scan, answered by a closed port's RST.
      const first = result.connStart[id]!;
      const flags = cols.flags[first]!;
      const crafted = isFromClient(cols, first) && !(flags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST));
      if (!crafted || !svRst || synAck || table.packetsFrom(id, 'client') > 2 || table.bytesFrom(id, 'client') > 0) continue;
      push(bySource, clientHost[id]!, { id, kind: 'stray', start: startNs[id]! * 1e-9 });
      continue;
    }
    const clRst = firstRst[2 * id] !== 0;
    let kind: Attempt['kind'] | null = null;
    if (!synAck && svRst) kind = 'refused';
    else if (table.packetsFrom(id, 'server') === 0) kind = 'unanswered';
    else if (synAck && table.bytesFrom(id, 'client') === 0 && table.bytesFrom(id, 'server') === 0 && clRst) kind = 'probe';
    if (!kind) continue;
    push(bySource, clientHost[id]!, { id, kind, start: startNs[id]! * 1e-9 });
  }
  const targets = new Targets(shared);
  const out: Finding[] = [];
  for (const [host, list] of bySource) {
    list.sort((p, q) => p.start - q.start);
    let from = 0;
    for (let i = 1; i <= list.length; i++) {
      if (i < list.length && list[i]!.start - list[i - 1]!.start <= SCAN_GAP_S) continue;
      // Fewer attempts than the smallest scan: not one (most sources are here, cheaply).
      const f = i - from >= Math.min(SCAN_MIN_PORTS, SCAN_MIN_TARGETS) ? judge(shared.hostNames[host]!, list.slice(from, i), targets, out.length + 1) : null;
      from = i;
      if (f) out.push(f);
    }
  }
  return out;
}

function push(bySource: Map<number, Attempt[]>, source: number, a: Attempt): void {
  const list = bySource.get(source);
  if (list) list.push(a);
  else bySource.set(source, [a]);
}

function judge(source: string, burst: Attempt[], t: Targets, n: number): Finding | null {
  const refused = burst.filter((a) => a.kind === 'refused');
  const strays = burst.filter((a) => a.kind === 'stray');
  const probes = burst.filter((a) => a.kind === 'probe');
  const unanswered = burst.length - refused.length - probes.length - strays.length;
  if (refused.length + probes.length + strays.length < SCAN_MIN_RESETS) return null;
  // Targets and hosts as numbers: a host's index (one per address) and a port.
  const targets = new Set(burst.map((a) => t.host(a) * 65536 + t.port(a)));
  const ports = new Set(burst.map((a) => t.port(a)));
  const hosts = new Set(burst.map((a) => t.host(a)));
  // Distinct ports that drew a reset, per host: the largest such set makes a vertical scan.
  const resetPorts = new Map<number, Set<number>>();
  for (const a of burst) {
    if (a.kind === 'unanswered') continue;
    let set = resetPorts.get(t.host(a));
    if (!set) resetPorts.set(t.host(a), (set = new Set()));
    set.add(t.port(a));
  }
  const vertical = Math.max(0, ...[...resetPorts.values()].map((p) => p.size)) >= SCAN_MIN_PORTS;
  const spread = targets.size >= SCAN_MIN_TARGETS && (ports.size >= SCAN_MIN_SPREAD || hosts.size >= SCAN_MIN_SPREAD);
  if (!vertical && !spread) return null;
  const frames = sortedFrames(burst, t);
  const first = burst[0]!;
  const last = burst[burst.length - 1]!;
  const span = durationText((last.start - first.start) * 1e9);
  // Many ports of one host, one port on many hosts, or both.
  const what =
    hosts.size === 1
      ? `${plural(ports.size, 'port')} of ${t.ip(first)}`
      : ports.size === 1
        ? `${plural(hosts.size, 'host')} on port ${[...ports][0]}`
        : `${plural(targets.size, 'host:port pair')} (${plural(ports.size, 'port')} on ${plural(hosts.size, 'host')})`;
  const evidence: Evidence[] = [
    first.kind === 'stray'
      ? { frame: t.firstFrame(first), fact: `first probe of the burst from ${source}`, claim: { from: 'client', clear: TcpFlag.SYN | TcpFlag.ACK } }
      : { frame: t.firstFrame(first), fact: `first SYN of the burst from ${source}`, claim: { from: 'client', set: TcpFlag.SYN, clear: TcpFlag.ACK } },
    { fact: `${source} sent SYNs to ${what} within ${span}` },
  ];
  if (refused.length) {
    evidence.push({ fact: `${plural(refused.length, 'attempt')} refused with a reset (${framesText(framesOf(refused, t))})` });
  }
  if (probes.length) {
    evidence.push({ fact: `${plural(probes.length, 'port')} answered with a SYN-ACK and ${source} reset at once without sending data: it only wanted to know the port was open (${framesText(probes.map((a) => t.resets(a)[0]!))})` });
  }
  if (strays.length) {
    evidence.push({ fact: `${plural(strays.length, 'probe')} without a SYN (FIN, NULL or Xmas flags) answered with a reset (${framesText(framesOf(strays, t))})` });
  }
  if (unanswered) evidence.push({ fact: `${plural(unanswered, 'SYN')} got no answer at all` });
  const open = [...new Set(probes.map((a) => endpointText({ ip: t.ip(a), port: t.port(a) })))];
  return {
    id: `port-scan-${n}`,
    kind: 'port-scan',
    host: source,
    title: `${source} ${hosts.size > 1 && ports.size === 1 ? 'tried' : 'scanned'} ${what} in ${span}: ${refused.length + strays.length} refused, ${probes.length} open${open.length ? ` (${open.slice(0, 3).join(', ')}${open.length > 3 ? ', ...' : ''})` : ''}, ${unanswered} unanswered`,
    frames,
    connections: burst.map((a) => a.id),
    evidence,
  };
}

/** The RSTs of `attempts`, in their order (a loop: `flatMap` is slow on thousands of attempts). */
function framesOf(attempts: readonly Attempt[], t: Targets): number[] {
  const out: number[] = [];
  for (const a of attempts) for (const f of t.resets(a)) out.push(f);
  return out;
}

/** The RSTs of `attempts`, in ascending order. */
function sortedFrames(attempts: readonly Attempt[], t: Targets): number[] {
  const all = Float64Array.from(framesOf(attempts, t));
  return Array.from(all.sort());
}
