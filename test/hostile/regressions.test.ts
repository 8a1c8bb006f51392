import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { concatChunks } from '../../src/core/capture/bytes.ts';
import { capturePath, captureDir, itWith, readTestdata } from '../support/captures.ts';
import { checkResult } from './invariants.ts';
import { analyzeSafely, classifierActive, describeOutcome } from './harness.ts';

/**
 * Every input that ever broke the analysis, kept as a JSON note in test/captures/regressions/
 * (`NAME.json`: what broke, the chunk sizes that showed it, and what must come out now). An input of
 * our own sits beside its note; one derived from another project's capture is rebuilt from
 * `from` (a file of ../shared/captures) by the note's `edits`, so those bytes never enter the
 * repository. Adding a note adds a test.
 */
interface RegressionNote {
  note: string;
  /** `folder/file` of the capture the input is derived from; absent when the input is kept beside the note. */
  from?: string;
  /** Applied in order to `from`'s bytes. */
  edits?: Edit[];
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

/** Keep the first n bytes; xor one byte; delete [a, b); insert a copy of [a, b) at `at`. */
type Edit = { truncate: number } | { xor: number; at: number } | { delete: [number, number] } | { repeat: [number, number]; at: number };

function applyEdits(bytes: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let out: Uint8Array = bytes.slice();
  for (const e of edits) {
    if ('truncate' in e) out = out.slice(0, e.truncate);
    else if ('xor' in e) out[e.at]! ^= e.xor;
    else if ('delete' in e) out = concatChunks([out.subarray(0, e.delete[0]), out.subarray(e.delete[1])]);
    else out = concatChunks([out.subarray(0, e.at), out.subarray(e.repeat[0], e.repeat[1]), out.subarray(e.at)]);
  }
  return out;
}

const notes = readdirSync(captureDir('regressions')).filter((f) => f.endsWith('.json')).sort();
const readNote = (file: string) => JSON.parse(readFileSync(capturePath('regressions', file), 'utf8')) as RegressionNote;

describe('kept regression inputs', () => {
  it('every note names its input: kept beside it or derived from a shared capture', () => {
    expect(notes.length).toBeGreaterThan(0);
    for (const f of notes) {
      const note = readNote(f);
      if (note.from) expect(note.edits?.length, f).toBeGreaterThan(0);
      else expect(existsSync(capturePath('regressions', f.replace(/\.json$/, ''))), f).toBe(true);
    }
  });
  for (const noteFile of notes) {
    const file = noteFile.replace(/\.json$/, '');
    const note = readNote(noteFile);
    const [folder = '', from = ''] = note.from?.split('/') ?? [];
    itWith(note.from ? folder : 'regressions')(file, async () => {
      const bytes = note.from ? applyEdits(readTestdata(folder, from), note.edits ?? []) : readTestdata('regressions', file);
      const active = await classifierActive(readTestdata('lab', 'refused.pcap'));
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
