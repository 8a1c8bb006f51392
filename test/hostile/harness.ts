/** Running one hostile input through the analysis and telling the three outcomes apart. */
import { analyze } from '../../src/core/analyze.ts';
import type { AnalysisResult, AnalyzeOptions } from '../../src/core/analyze-api.ts';
import { NotACaptureError } from '../../src/core/capture/sink.ts';
import { bytesSource } from '../../src/core/capture/source.ts';

export type Outcome =
  | { kind: 'result'; result: AnalysisResult; ms: number }
  | { kind: 'not-a-capture'; message: string; ms: number }
  | { kind: 'crash'; error: unknown; ms: number };

/** Analyse, never throw: a NotACaptureError and any other exception become outcomes. */
export async function analyzeSafely(name: string, bytes: Uint8Array, opts: AnalyzeOptions = {}): Promise<Outcome> {
  const t0 = Date.now();
  try {
    const result = await analyze(bytesSource(name, bytes), opts);
    return { kind: 'result', result, ms: Date.now() - t0 };
  } catch (error) {
    const ms = Date.now() - t0;
    if (error instanceof NotACaptureError) return { kind: 'not-a-capture', message: error.message, ms };
    return { kind: 'crash', error, ms };
  }
}

let active: Promise<boolean> | null = null;

/**
 * Whether the real classifier is in place (the core shipped a placeholder until it landed): then
 * every RST must carry a verdict. Asked once, of a capture holding a single RST.
 */
export function classifierActive(singleRst: Uint8Array): Promise<boolean> {
  active ??= analyze(bytesSource('rst', singleRst)).then(
    (r) => r.connections.all().some((c) => c.resets.length > 0),
  );
  return active;
}

/** A short text for a failure message. */
export function describeOutcome(o: Outcome): string {
  if (o.kind === 'result') return `result: ${o.result.report.packets} frames, ${o.result.report.warnings.length} warnings`;
  if (o.kind === 'not-a-capture') return `NotACaptureError: ${o.message}`;
  const e = o.error;
  return `crash: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}
