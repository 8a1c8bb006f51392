import type { FrameNumber, ResetVerdict } from './types.ts';

/**
 * The RSTs of one connection that repeat another exactly (classify/repeats.ts), kept as columns
 * rather than a verdict object each: 16 bytes a reset instead of about 180, for a capture that holds
 * a million of them. Frames ascend.
 */
export interface RepeatedResets {
  frames: Uint32Array;
  /** Seconds since the capture's first frame. */
  times: Float64Array;
  /** Index, among the connection's full verdicts, of the verdict each one repeats. */
  of: Uint32Array;
}

/**
 * A repeated RST as a verdict: the verdict it repeats (the same text, evidence and facts objects)
 * with its own frame and time, and `repeatOf`. Written out field by field, not spread: V8 gives a
 * spread copy of an object this size a hidden class of its own, a literal shares one.
 */
export function repeatVerdict(of: ResetVerdict, frame: FrameNumber, time: number): ResetVerdict {
  return {
    frame,
    time,
    from: of.from,
    flags: of.flags,
    scenario: of.scenario,
    severity: of.severity,
    confidence: of.confidence,
    alternatives: of.alternatives,
    evidence: of.evidence,
    explanation: of.explanation,
    nextSteps: of.nextSteps,
    reference: of.reference,
    findings: of.findings,
    facts: of.facts,
    repeatOf: of.frame,
  };
}

/** Full verdicts and repeats merged in frame order, one at a time (each repeat made as it is reached). */
export function* mergeResets(full: readonly ResetVerdict[], repeats: RepeatedResets | undefined): Generator<ResetVerdict> {
  if (!repeats) {
    yield* full;
    return;
  }
  let k = 0;
  const { frames, times, of } = repeats;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    while (k < full.length && full[k]!.frame < frame) yield full[k++]!;
    yield repeatVerdict(full[of[i]!]!, frame, times[i]!);
  }
  while (k < full.length) yield full[k++]!;
}
