/** The capture-level summary: counts by scenario and severity, the capture point, one verdict sentence. */
import type { Endpoint, Report, ReportSummary, ResetVerdict, Severity } from '../model/types.ts';
import { captureFactsOf, captureSide, newCaptureFacts, type CapturePointSide } from './capture-point.ts';
import type { HostFacts } from './host-facts.ts';
import type { RepeatMap, VerdictMap } from './verdicts.ts';
import { countText, endpointText, plural } from './format.ts';
import { SCENARIOS, type ScenarioId } from './scenarios.ts';

/** The resets of one scenario, as the summary sentence needs them. */
interface Group {
  count: number;
  /** The first sender, the hosts (indices into HostFacts.hostNames) that sent them, and whether all came from one port. */
  first: Endpoint;
  hosts: Set<number>;
  onePort: boolean;
}

export function summarize(report: Report, shared: HostFacts, verdicts: VerdictMap, repeats?: RepeatMap): ReportSummary {
  const byScenario: Record<string, number> = {};
  const bySeverity: Record<Severity, number> = { normal: 0, problem: 0, suspicious: 0 };
  const groups = new Map<ScenarioId, Group>();
  let total = 0;
  const count = (id: number, v: ResetVerdict): void => {
    total++;
    bySeverity[v.severity]++;
    const host = v.from === 'client' ? shared.clientHost[id]! : shared.serverHost[id]!;
    const sender = v.facts.sender;
    const g = groups.get(v.scenario);
    if (g) {
      g.count++;
      g.hosts.add(host);
      if (sender.port !== g.first.port) g.onePort = false;
    } else {
      groups.set(v.scenario, { count: 1, first: sender, hosts: new Set([host]), onePort: true });
    }
  };
  // Only connections with a RST have verdicts. A repeated reset counts as the verdict it repeats,
  // which comes before it: counted after the connection's own verdicts, it changes no count, no
  // first sender and no order of first appearance.
  for (const id of shared.rstConns) {
    const full = verdicts.get(id);
    if (!full) continue;
    for (const v of full) count(id, v);
    const repeated = repeats?.get(id);
    if (repeated) for (const i of repeated.of) count(id, full[i]!);
  }
  // Each scenario in the order it first appeared (the report lists them so).
  for (const [id, g] of groups) byScenario[id] = g.count;
  const summary: ReportSummary = { resets: total, byScenario, bySeverity, verdict: verdictSentence(report, total, groups, shared.result.connections.length) };
  const cp = captureSummary(report, shared);
  if (cp) summary.capturePoint = cp;
  return summary;
}

function verdictSentence(report: Report, total: number, groups: Map<ScenarioId, Group>, connections: number): string {
  if (report.tcpPackets === 0) return 'No TCP traffic in this capture.';
  if (total === 0) return `No TCP resets: ${plural(connections, 'connection')} without a reset.`;
  const parts = [...groups.entries()]
    .sort((a, b) => b[1].count - a[1].count || SEVERITY_RANK[SCENARIOS[a[0]].severity] - SEVERITY_RANK[SCENARIOS[b[0]].severity])
    .map(([id, g]) => phrase(report, id, g));
  return `${plural(total, 'reset')}: ${parts.join(', ')}`;
}

const SEVERITY_RANK: Record<Severity, number> = { suspicious: 0, problem: 1, normal: 2 };

function phrase(report: Report, id: ScenarioId, g: Group): string {
  const [one, many] = SCENARIOS[id].noun;
  const head = `${countText(g.count)} ${g.count === 1 ? one : many}`;
  const senders = who(g);
  switch (id) {
    case 'refused':
      return `${head} to ${senders} — is the service running?`;
    case 'firewall-reject':
      return `${head} to ${senders} — check the firewall rules`;
    case 'port-scan': {
      const hosts = [...new Set(report.findings.filter((f) => f.kind === 'port-scan').map((f) => f.host))];
      return `${head} from ${hosts.length === 1 ? hosts[0] : `${hosts.length} scanners`}`;
    }
    case 'injected':
    case 'out-of-window':
      return head;
    default:
      return `${head} by ${senders}`;
  }
}

/** The senders of a set of resets: one endpoint, one host, or "N hosts". */
function who(g: Group): string {
  if (g.hosts.size > 1) return `${g.hosts.size} hosts`;
  return g.onePort ? endpointText(g.first) : g.first.ip;
}

interface Vote {
  side: CapturePointSide;
  /** The host next to the capture ('client' and 'server' only, else ''). */
  host: string;
  n: number;
}

/** Where most connections were captured (for the summary). */
function captureSummary(report: Report, shared: HostFacts): string | undefined {
  const votes = captureVotes(shared);
  const table = shared.result.connections;
  let best: Vote | undefined;
  for (const v of votes) if (!best || v.n > best.n) best = v;
  if (!best) return undefined;
  const { side, host, n } = best;
  const of = `${n} of ${table.length} connection${table.length === 1 ? '' : 's'}`;
  if (side === 'client' || side === 'server') return `on the ${side} side, next to ${host} (${of}: its packets arrive with an initial TTL)`;
  if (side === 'both') return `on a host or segment both ends share (${of}: both sides arrive with initial TTLs)`;
  return `between the hosts, on a router or tap (${of}: neither side arrives with an initial TTL)`;
}

/**
 * Every connection's capture point, counted by side and host, in the order first seen (the first
 * wins a tie). A function of its own: V8 optimizes its loop while it runs, and code after the loop
 * in the same function threw that away.
 */
function captureVotes(shared: HostFacts): Vote[] {
  const votes: Vote[] = [];
  const byHost: Map<CapturePointSide, Vote>[] = []; // by host index + 1 (0: no host)
  const table = shared.result.connections;
  const facts = newCaptureFacts();
  for (let id = 0; id < table.length; id++) {
    const side = captureSide(captureFactsOf(table, id, facts));
    if (!side) continue;
    const h = side === 'client' ? shared.clientHost[id]! : side === 'server' ? shared.serverHost[id]! : -1;
    const mine = (byHost[h + 1] ??= new Map());
    const v = mine.get(side);
    if (v) v.n++;
    else {
      const first = { side, host: h < 0 ? '' : shared.hostNames[h]!, n: 1 };
      mine.set(side, first);
      votes.push(first);
    }
  }
  return votes;
}
