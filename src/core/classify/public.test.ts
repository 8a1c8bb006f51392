/**
 * Every public capture (testdata/public, with tshark's oracle): every RST frame gets a scenario
 * from SCENARIOS.md with non-empty evidence, an explanation, next steps and a reference; `unknown`
 * only with evidence that says why. Prints the per-scenario counts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotACaptureError } from '../capture/sink.ts';
import { analyzeBytes, capturesIn, readOracle, readTestdata, TESTDATA } from '../test-util.ts';
import { SCENARIO_IDS } from './scenarios.ts';
import { allVerdicts } from './test-kit.ts';

const files = capturesIn('public').filter((f) => existsSync(join(TESTDATA, 'public', `${f}.oracle.json`)));

describe('public captures: every RST has a scenario with evidence', () => {
  const counts: Record<string, number> = {};
  let total = 0;
  it('has public captures to walk', () => {
    expect(files.length).toBeGreaterThan(50);
  });
  for (const file of files) {
    it(file, async () => {
      let r;
      try {
        r = await analyzeBytes(file, readTestdata('public', file));
      } catch (e) {
        expect(e).toBeInstanceOf(NotACaptureError);
        return;
      }
      const oracle = readOracle('public', file);
      const verdicts = allVerdicts(r);
      const rstFrames = r.report.connections.flatMap((c) => [...c.dir.client.rstFrames, ...c.dir.server.rstFrames]).sort((a, b) => a - b);
      expect(verdicts.map((v) => v.frame)).toEqual(rstFrames);
      if (!oracle.tshark_errors) expect(verdicts.length).toBe(oracle.rst_frames.length);
      for (const v of verdicts) {
        expect(SCENARIO_IDS).toContain(v.scenario);
        expect(v.evidence.length).toBeGreaterThan(0);
        expect(v.evidence.every((e) => e.fact.length > 0 && (e.frame === undefined || e.frame >= 1))).toBe(true);
        expect(v.explanation.length).toBeGreaterThan(40);
        expect(v.nextSteps.length).toBeGreaterThan(0);
        expect(v.reference).toContain(`SCENARIOS.md \`${v.scenario}\``);
        expect(v.confidence).toBeGreaterThan(0);
        expect(v.confidence).toBeLessThanOrEqual(1);
        for (const a of v.alternatives) expect(a.confidence).toBeLessThanOrEqual(v.confidence);
        for (const id of v.findings) expect(r.report.findings.map((f) => f.id)).toContain(id);
        counts[v.scenario] = (counts[v.scenario] ?? 0) + 1;
        total++;
      }
      const s = r.report.summary;
      expect(s.resets).toBe(verdicts.length);
      expect(Object.values(s.byScenario).reduce((a, b) => a + b, 0)).toBe(verdicts.length);
      expect(s.verdict.length).toBeGreaterThan(0);
    });
  }
  it('prints the per-scenario counts', () => {
    const lines = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${k.padEnd(24)} ${v}`);
    console.log(`public captures: ${total} resets\n${lines.join('\n')}`);
    expect(total).toBeGreaterThan(1000);
  });
});
