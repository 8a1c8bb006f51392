/**
 * Golden test: every RST frame of every lab capture (testdata/lab, copied from shared/captures/lab
 * with their *.labels.json) gets the scenario its label names. Adding a capture with labels adds a test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBytes, capturesIn, readTestdata, TESTDATA } from '../test-util.ts';
import { SCENARIO_IDS } from './scenarios.ts';
import { allVerdicts } from './test-kit.ts';

interface Labels {
  file: string;
  expected: { frame: number; from_ip: string; to_ip: string; scenario: string }[];
  rst_frames_total: number;
}

const files = capturesIn('lab').filter((f) => existsSync(join(TESTDATA, 'lab', f.replace(/\.pcap$/, '.labels.json'))));

describe('lab captures: every RST gets its labelled scenario', () => {
  it('has lab captures to walk', () => {
    expect(files.length).toBeGreaterThanOrEqual(17);
  });
  const tally = { labelled: 0, right: 0 };
  for (const file of files) {
    it(file, async () => {
      const labels = JSON.parse(readFileSync(join(TESTDATA, 'lab', file.replace(/\.pcap$/, '.labels.json')), 'utf8')) as Labels;
      const r = await analyzeBytes(file, readTestdata('lab', file));
      const got = new Map(allVerdicts(r).map((v) => [v.frame, v]));
      expect(got.size).toBe(labels.rst_frames_total);
      const wrong: string[] = [];
      for (const e of labels.expected) {
        const v = got.get(e.frame);
        tally.labelled++;
        expect(SCENARIO_IDS).toContain(e.scenario);
        if (v?.scenario === e.scenario) tally.right++;
        else wrong.push(`frame ${e.frame}: want ${e.scenario}, got ${v?.scenario ?? 'nothing'}`);
        expect(v?.facts.sender.ip).toBe(e.from_ip);
        expect(v?.evidence.length).toBeGreaterThan(0);
      }
      expect(wrong).toEqual([]);
    });
  }
  it('prints the lab accuracy', () => {
    console.log(`lab accuracy: ${tally.right}/${tally.labelled} labelled RST frames`);
  });
});
