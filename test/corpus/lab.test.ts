/**
 * Golden test: every RST frame of every lab capture (test/captures/lab, made by this project with
 * their *.labels.json) gets the scenario its label names, from the sender its label names. Adding a
 * capture with labels adds a test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_IDS } from '../../src/core/classify/scenarios.ts';
import { analyzeBytes, capturePath, capturesIn, readTestdata } from '../support/captures.ts';
import { allVerdicts } from '../support/verdicts.ts';

interface Labels {
  file: string;
  expected: { frame: number; from_ip: string; to_ip: string; scenario: string }[];
  rst_frames_total: number;
}

const labelsPath = (file: string) => capturePath('lab', file.replace(/\.pcap$/, '.labels.json'));
const readLabels = (file: string) => JSON.parse(readFileSync(labelsPath(file), 'utf8')) as Labels;
const files = capturesIn('lab');

describe('lab captures: every RST gets its labelled scenario', () => {
  it('has lab captures, each with labels that name every one of its RST frames', () => {
    expect(files.length).toBeGreaterThanOrEqual(17);
    for (const file of files) {
      expect(existsSync(labelsPath(file)), file).toBe(true);
      const labels = readLabels(file);
      expect(labels.expected.map((e) => e.frame), file).toHaveLength(labels.rst_frames_total);
      for (const e of labels.expected) expect(SCENARIO_IDS, file).toContain(e.scenario);
    }
  });
  for (const file of files) {
    it(file, async () => {
      const labels = readLabels(file);
      const r = await analyzeBytes(file, readTestdata('lab', file));
      const got = new Map(allVerdicts(r).map((v) => [v.frame, v]));
      expect([...got.keys()].sort((a, b) => a - b)).toEqual(labels.expected.map((e) => e.frame).sort((a, b) => a - b));
      const want = labels.expected.map((e) => `frame ${e.frame}: ${e.scenario} from ${e.from_ip}`);
      const ours = labels.expected.map((e) => {
        const v = got.get(e.frame);
        return `frame ${e.frame}: ${v?.scenario ?? 'nothing'} from ${v?.facts.sender.ip ?? 'nobody'}`;
      });
      expect(ours).toEqual(want);
      for (const v of got.values()) expect(v.evidence.length).toBeGreaterThan(0);
    });
  }
});
