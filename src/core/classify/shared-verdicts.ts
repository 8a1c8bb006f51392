/**
 * A shared connection shown as its sender saw it: each reset takes the sender's verdict (computed on
 * the whole capture, carried in the link: export/shared-link.ts) in place of the one the classifier
 * made from the few frames the link holds, and the host findings and the summary follow. The app
 * does this (the page must show what the sender saw); the command line keeps its own reading.
 */
import type { AnalysisResult } from '../analyze-api.ts';
import type { SharedLinkMeta, SharedVerdict } from '../export/shared-link.ts';
import type { Finding, ResetVerdict, Severity } from '../model/types.ts';
import { countText, plural } from './format.ts';
import { SCENARIOS, referenceFor, type ScenarioId } from './scenarios.ts';
import type { VerdictMap } from './verdicts.ts';

/** What changed: resets that took the sender's verdict, and those whose own reading differed. */
export interface SharedAdoption {
  adopted: number;
  /** Resets the link has no verdict for: they keep the verdict made from the link's frames. */
  ownOnly: number;
  /** Resets whose scenario on the link's frames alone differs from the sender's. */
  differs: { frame: number; own: ScenarioId; sender: ScenarioId }[];
}

function adopt(own: ResetVerdict, sender: SharedVerdict, base: SharedVerdict): ResetVerdict {
  const id = sender.scenario;
  const verdict: ResetVerdict = {
    ...own,
    scenario: id,
    severity: SCENARIOS[id].severity,
    confidence: sender.confidence,
    alternatives: sender.alternatives,
    evidence: base.evidence,
    explanation: base.explanation,
    nextSteps: SCENARIOS[id].nextSteps,
    reference: referenceFor(id),
    findings: sender.findings,
    // The frame's own facts are the same here; those about the rest of the capture are the sender's.
    facts: sender.facts ? { ...own.facts, ...sender.facts } : own.facts,
  };
  if (sender.repeatOf !== undefined) verdict.repeatOf = sender.repeatOf;
  else delete verdict.repeatOf;
  return verdict;
}

/** Replace the verdicts of `result` with the sender's where the link has them; findings and summary follow. */
export function adoptSharedVerdicts(result: AnalysisResult, meta: SharedLinkMeta): SharedAdoption {
  const table = result.connections;
  const byFrame = new Map(meta.verdicts.map((v) => [v.frame, v]));
  const map: VerdictMap = new Map();
  const outcome: SharedAdoption = { adopted: 0, ownOnly: 0, differs: [] };
  const members = new Map<string, Set<number>>();
  for (let id = 0; id < table.length; id++) {
    if (table.resetCount(id) === 0) continue;
    const verdicts: ResetVerdict[] = [];
    for (const own of table.eachReset(id)) {
      const sender = byFrame.get(own.frame);
      if (!sender) {
        outcome.ownOnly++;
        verdicts.push(own);
        continue;
      }
      outcome.adopted++;
      if (sender.scenario !== own.scenario) outcome.differs.push({ frame: own.frame, own: own.scenario, sender: sender.scenario });
      const base = sender.textOf !== undefined ? (byFrame.get(sender.textOf) ?? sender) : sender;
      const verdict = adopt(own, sender, base);
      for (const f of verdict.findings) {
        let set = members.get(f);
        if (!set) members.set(f, (set = new Set()));
        set.add(id);
      }
      verdicts.push(verdict);
    }
    map.set(id, verdicts);
  }
  table.useVerdicts(map, null);

  const report = result.report;
  const findings: Finding[] = meta.findings.map((f) => ({
    id: f.id,
    kind: f.kind,
    host: f.host,
    title: f.title,
    frames: f.frames,
    connections: [...(members.get(f.id) ?? [])],
    evidence: f.evidence,
  }));
  // Findings the verdicts name without describing them still get a chip (with the scenario's words).
  for (const [id, set] of members) {
    if (findings.some((f) => f.id === id)) continue;
    const kind: Finding['kind'] = id.startsWith('overload') ? 'overload' : 'port-scan';
    findings.push({ id, kind, host: '', title: SCENARIOS[kind].noun[1], frames: [], connections: [...set], evidence: [] });
  }
  report.findings = findings;
  report.summary = summaryOf(map, report.summary.capturePoint, report.tcpPackets, table.length, meta.file);
  return outcome;
}

function summaryOf(map: VerdictMap, capturePoint: string | undefined, tcpPackets: number, connections: number, file: string) {
  const byScenario: Record<string, number> = {};
  const bySeverity: Record<Severity, number> = { normal: 0, problem: 0, suspicious: 0 };
  let resets = 0;
  for (const verdicts of map.values()) {
    for (const v of verdicts) {
      resets++;
      byScenario[v.scenario] = (byScenario[v.scenario] ?? 0) + 1;
      bySeverity[v.severity]++;
    }
  }
  const parts = Object.entries(byScenario)
    .sort((a, b) => b[1] - a[1])
    .map(([id, n]) => {
      const [one, many] = SCENARIOS[id as ScenarioId].noun;
      return `${countText(n)} ${n === 1 ? one : many}`;
    });
  const verdict =
    tcpPackets === 0
      ? 'No TCP traffic in this capture.'
      : resets === 0
        ? `No TCP resets: ${plural(connections, 'connection')} without a reset.`
        : `${parts.length === 1 ? parts[0] : `${plural(resets, 'reset')}: ${parts.join(', ')}`}, as the analysis of the whole of ${file} found.`;
  return { resets, byScenario, bySeverity, verdict, ...(capturePoint !== undefined ? { capturePoint } : {}) };
}
