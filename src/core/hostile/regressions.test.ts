import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURE_RE, readTestdata, TESTDATA } from '../test-util.ts';
import { checkResult } from './invariants.ts';
import { analyzeSafely, classifierActive, describeOutcome } from './harness.ts';

/**
 * Every input that ever broke the analysis, kept in testdata/regressions/ with a JSON note beside it
 * (`NAME.json`: what broke, the chunk sizes that showed it, and what must come out now). Adding a
 * file and its note adds a test.
 */
interface RegressionNote {
  note: string;
  /** Extra chunk sizes to read the file with (the default 4 MiB is always tried). */
  chunkSizes?: number[];
  expect: {
    /** A NotACaptureError whose message matches this regular expression. */
    error?: string;
    packets?: number;
    tcpPackets?: number;
    /** The report's warnings, in order: code and a regular expression of the message. */
    warnings?: { code: string; message: string }[];
  };
}

const files = readdirSync(join(TESTDATA, 'regressions')).filter((f) => CAPTURE_RE.test(f)).sort();

describe('kept regression inputs', () => {
  it('every kept input has its note', () => {
    for (const f of files) expect(() => readFileSync(join(TESTDATA, 'regressions', `${f}.json`))).not.toThrow();
  });
  for (const file of files) {
    it(file, async () => {
      const note = JSON.parse(readFileSync(join(TESTDATA, 'regressions', `${file}.json`), 'utf8')) as RegressionNote;
      const bytes = readTestdata('regressions', file);
      const active = await classifierActive(readTestdata('public', 'zeek-tcp-single-rst.pcap'));
      for (const chunkSize of [undefined, ...(note.chunkSizes ?? [])]) {
        const outcome = await analyzeSafely(file, bytes, chunkSize ? { chunkSize } : {});
        const where = `${file} read in chunks of ${chunkSize ?? 'default'}: ${describeOutcome(outcome)}`;
        if (note.expect.error !== undefined) {
          expect(outcome.kind, where).toBe('not-a-capture');
          if (outcome.kind === 'not-a-capture') expect(outcome.message).toMatch(new RegExp(note.expect.error));
          continue;
        }
        expect(outcome.kind, where).toBe('result');
        if (outcome.kind !== 'result') continue;
        const r = outcome.result.report;
        expect(checkResult(outcome.result, { classifierActive: active }), where).toEqual([]);
        if (note.expect.packets !== undefined) expect(r.packets, where).toBe(note.expect.packets);
        if (note.expect.tcpPackets !== undefined) expect(r.tcpPackets, where).toBe(note.expect.tcpPackets);
        if (note.expect.warnings) {
          expect(r.warnings.map((w) => w.code), where).toEqual(note.expect.warnings.map((w) => w.code));
          for (const [i, w] of note.expect.warnings.entries()) expect(r.warnings[i]?.message, where).toMatch(new RegExp(w.message));
        }
      }
    });
  }
});
