/** The capture-level summary: counts by scenario and severity, the capture point, one verdict sentence. */
import type { Report, ReportSummary, ResetVerdict, Severity } from '../model/types.ts';
import { captureSide } from './capture-point.ts';
import { endpointText, plural } from './format.ts';
import { SCENARIOS, type ScenarioId } from './scenarios.ts';

export function summarize(report: Report): ReportSummary {
  const all: ResetVerdict[] = report.connections.flatMap((c) => c.resets);
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
  const cp = captureSummary(report);
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
  const eps = new Set(vs.map((v) => endpointText(v.facts.sender)));
  if (eps.size === 1) return [...eps][0]!;
  const ips = new Set(vs.map((v) => v.facts.sender.ip));
  if (ips.size === 1) return [...ips][0]!;
  return `${ips.size} hosts`;
}

/** Where most connections were captured (for the summary). */
function captureSummary(report: Report): string | undefined {
  const votes = new Map<string, number>();
  for (const c of report.connections) {
    const side = captureSide(c);
    if (!side) continue;
    const host = side === 'client' ? c.client.ip : side === 'server' ? c.server.ip : '';
    const key = `${side}|${host}`;
    votes.set(key, (votes.get(key) ?? 0) + 1);
  }
  let best: string | undefined;
  let n = 0;
  for (const [k, v] of votes) if (v > n) [best, n] = [k, v];
  if (!best) return undefined;
  const [side, host] = best.split('|') as [string, string];
  const of = `${n} of ${report.connections.length} connection${report.connections.length === 1 ? '' : 's'}`;
  if (side === 'client' || side === 'server') return `on the ${side} side, next to ${host} (${of}: its packets arrive with an initial TTL)`;
  if (side === 'both') return `on a host or segment both ends share (${of}: both sides arrive with initial TTLs)`;
  return `between the hosts, on a router or tap (${of}: neither side arrives with an initial TTL)`;
}
