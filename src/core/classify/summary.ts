/** The capture-level summary: counts by scenario and severity, the capture point, one verdict sentence. */
import type { Report, ReportSummary, ResetVerdict, Severity } from '../model/types.ts';
import { captureSide, type CapturePointSide } from './capture-point.ts';
import type { SharedContext } from './context.ts';
import { endpointText, plural } from './format.ts';
import { SCENARIOS, type ScenarioId } from './scenarios.ts';

export function summarize(report: Report, shared: SharedContext): ReportSummary {
  const all: ResetVerdict[] = [];
  for (const c of report.connections) for (const v of c.resets) all.push(v);
  const byScenario: Record<string, number> = {};
  const bySeverity: Record<Severity, number> = { normal: 0, problem: 0, suspicious: 0 };
  const groups = new Map<ScenarioId, ResetVerdict[]>();
  for (const v of all) {
    byScenario[v.scenario] = (byScenario[v.scenario] ?? 0) + 1;
    bySeverity[v.severity]++;
    const id = v.scenario as ScenarioId;
    const g = groups.get(id);
    if (g) g.push(v);
    else groups.set(id, [v]);
  }
  const summary: ReportSummary = { resets: all.length, byScenario, bySeverity, verdict: verdictSentence(report, all.length, groups) };
  const cp = captureSummary(report, shared);
  if (cp) summary.capturePoint = cp;
  return summary;
}

function verdictSentence(report: Report, total: number, groups: Map<ScenarioId, ResetVerdict[]>): string {
  if (report.tcpPackets === 0) return 'No TCP traffic in this capture.';
  if (total === 0) return `No TCP resets: ${plural(report.connections.length, 'connection')} without a reset.`;
  const parts = [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length || SEVERITY_RANK[SCENARIOS[a[0]].severity] - SEVERITY_RANK[SCENARIOS[b[0]].severity])
    .map(([id, vs]) => phrase(report, id, vs));
  return `${plural(total, 'reset')}: ${parts.join(', ')}`;
}

const SEVERITY_RANK: Record<Severity, number> = { suspicious: 0, problem: 1, normal: 2 };

function phrase(report: Report, id: ScenarioId, vs: ResetVerdict[]): string {
  const [one, many] = SCENARIOS[id].noun;
  const head = `${vs.length.toLocaleString('en-US')} ${vs.length === 1 ? one : many}`;
  const senders = who(vs);
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
function who(vs: ResetVerdict[]): string {
  const ips = new Set(vs.map((v) => v.facts.sender.ip));
  if (ips.size > 1) return `${ips.size} hosts`;
  const ports = new Set(vs.map((v) => v.facts.sender.port));
  const sender = vs[0]!.facts.sender;
  return ports.size === 1 ? endpointText(sender) : sender.ip;
}

interface Vote {
  side: CapturePointSide;
  /** The host next to the capture ('client' and 'server' only, else ''). */
  host: string;
  n: number;
}

/** Where most connections were captured (for the summary). */
function captureSummary(report: Report, shared: SharedContext): string | undefined {
  const votes: Vote[] = []; // in the order first seen: the first wins a tie
  const byHost: Map<CapturePointSide, Vote>[] = []; // by host index + 1 (0: no host)
  for (const c of report.connections) {
    const side = captureSide(c);
    if (!side) continue;
    const h = side === 'client' ? shared.clientHost[c.id]! : side === 'server' ? shared.serverHost[c.id]! : -1;
    const mine = (byHost[h + 1] ??= new Map());
    const v = mine.get(side);
    if (v) v.n++;
    else {
      const first = { side, host: h < 0 ? '' : shared.hostNames[h]!, n: 1 };
      mine.set(side, first);
      votes.push(first);
    }
  }
  let best: Vote | undefined;
  for (const v of votes) if (!best || v.n > best.n) best = v;
  if (!best) return undefined;
  const { side, host, n } = best;
  const of = `${n} of ${report.connections.length} connection${report.connections.length === 1 ? '' : 's'}`;
  if (side === 'client' || side === 'server') return `on the ${side} side, next to ${host} (${of}: its packets arrive with an initial TTL)`;
  if (side === 'both') return `on a host or segment both ends share (${of}: both sides arrive with initial TTLs)`;
  return `between the hosts, on a router or tap (${of}: neither side arrives with an initial TTL)`;
}
