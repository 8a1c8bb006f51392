/**
 * Helpers for the classifier's tests: run hand-built conversations (test/synth) through the
 * whole core (pcap writer → reader → tracker → classifier) and pick verdicts out of the result.
 * Pure TypeScript, no file access: the tests that read captures use ./captures.ts.
 */
import type { AnalysisResult } from '../../src/core/analyze-api.ts';
import { analyze } from '../../src/core/analyze.ts';
import { bytesSource } from '../../src/core/capture/source.ts';
import type { ResetVerdict } from '../../src/core/model/types.ts';
import { mergeFrames, toPcap, type SynthFrame, type TcpConversation } from '../synth/conversation.ts';

/** Analyse conversations merged into one capture (frames renumbered in time order). */
export function analyzeConversations(...convs: (TcpConversation | readonly SynthFrame[])[]): Promise<AnalysisResult> {
  const frames = mergeFrames(...convs);
  return analyze(bytesSource('hand-built.pcap', toPcap(frames, { nanosecond: true })));
}

/** Every verdict of the report, in frame order. */
export function allVerdicts(r: AnalysisResult): ResetVerdict[] {
  return r.connections.all().flatMap((c) => c.resets).sort((a, b) => a.frame - b.frame);
}

/** The verdict of one RST frame (throws when that frame has none). */
export function verdictAt(r: AnalysisResult, frame: number): ResetVerdict {
  const v = allVerdicts(r).find((x) => x.frame === frame);
  if (!v) throw new Error(`no verdict for frame ${frame}; RSTs: ${allVerdicts(r).map((x) => x.frame).join(', ')}`);
  return v;
}

/** The only verdict (throws unless there is exactly one). */
export function onlyVerdict(r: AnalysisResult): ResetVerdict {
  const all = allVerdicts(r);
  if (all.length !== 1) throw new Error(`expected one RST, got ${all.length}`);
  return all[0]!;
}

/** All evidence facts of a verdict as one string, for `toContain` checks. */
export function evidenceText(v: ResetVerdict): string {
  return v.evidence.map((e) => `${e.frame ?? '-'}: ${e.fact}`).join('\n');
}
