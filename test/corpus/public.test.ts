/**
 * Every public capture (../shared/captures/public, with tshark's oracle): every RST frame gets a
 * scenario from the scenario catalogue with non-empty evidence, an explanation, next steps and a reference;
 * `unknown` only with evidence that says why. Each capture is checked on its own: no test depends on
 * what an earlier one saw.
 */
import { describe, expect } from 'vitest';
import { NotACaptureError } from '../../src/core/capture/sink.ts';
import { SCENARIO_IDS } from '../../src/core/classify/scenarios.ts';
import { analyzeBytes, capturesIn, hasOracle, itWith, readOracle, readTestdata } from '../support/captures.ts';
import { allVerdicts } from '../support/verdicts.ts';

const files = capturesIn('public').filter((f) => hasOracle('public', f));
const it = itWith('public');

describe('public captures: every RST has a scenario with evidence', () => {
  it('has public captures whose oracles list over a thousand RST frames', () => {
    expect(files.length).toBeGreaterThan(50);
    let rsts = 0;
    for (const file of files) {
      const oracle = readOracle('public', file);
      if (!oracle.tshark_errors) rsts += oracle.rst_frames.length;
    }
    // Each capture's test below finds exactly as many verdicts as its oracle has RST frames.
    expect(rsts).toBeGreaterThan(1000);
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
      const rstFrames = r.connections.all().flatMap((c) => [...c.dir.client.rstFrames, ...c.dir.server.rstFrames]).sort((a, b) => a - b);
      expect(verdicts.map((v) => v.frame)).toEqual(rstFrames);
      if (!oracle.tshark_errors) expect(verdicts.length).toBe(oracle.rst_frames.length);
      for (const v of verdicts) {
        expect(SCENARIO_IDS).toContain(v.scenario);
        expect(v.evidence.length).toBeGreaterThan(0);
        expect(v.evidence.every((e) => e.fact.length > 0 && (e.frame === undefined || e.frame >= 1))).toBe(true);
        expect(v.explanation.length).toBeGreaterThan(40);
        expect(v.nextSteps.length).toBeGreaterThan(0);
        expect(v.reference).toContain(`the reset scenario catalogue: ${v.scenario}`);
        expect(v.confidence).toBeGreaterThan(0);
        expect(v.confidence).toBeLessThanOrEqual(1);
        for (const a of v.alternatives) expect(a.confidence).toBeLessThanOrEqual(v.confidence);
        for (const id of v.findings) expect(r.report.findings.map((f) => f.id)).toContain(id);
      }
      const s = r.report.summary;
      expect(s.resets).toBe(verdicts.length);
      expect(Object.values(s.byScenario).reduce((a, b) => a + b, 0)).toBe(verdicts.length);
      expect(s.verdict.length).toBeGreaterThan(0);
    });
  }
});
