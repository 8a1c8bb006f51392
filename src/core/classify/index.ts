import type { AnalysisResult } from '../analyze-api.ts';

/** Placeholder until the classifier lands: fills nothing. Replaced by src/core/classify. */
export function classify(result: AnalysisResult): void {
  result.report.summary = {
    resets: 0,
    byScenario: {},
    bySeverity: { normal: 0, problem: 0, suspicious: 0 },
    verdict: '',
  };
}
