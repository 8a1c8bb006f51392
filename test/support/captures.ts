/**
 * Test helpers for reading capture files (Node only: they read from disk).
 *
 * Our own captures (the lab set, kept regressions) live in `test/captures/`. Captures from other
 * projects are not ours to redistribute: they are read from `../shared/captures/public` beside the
 * repository, and when that folder is absent the tests that need it are skipped with a message that
 * says the corpus was not checked.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { it } from 'vitest';
import { analyze } from '../../src/core/analyze.ts';
import { bytesSource } from '../../src/core/capture/source.ts';

const REPO = resolve(import.meta.dirname, '..', '..');

/** Where each capture folder lives. */
const FOLDERS: Record<string, string> = {
  lab: join(REPO, 'test', 'captures', 'lab'),
  regressions: join(REPO, 'test', 'captures', 'regressions'),
  public: join(REPO, '..', 'shared', 'captures', 'public'),
  realworld: join(REPO, '..', 'shared', 'captures', 'realworld'),
};

export const CAPTURE_RE = /\.(pcap|pcapng|cap|gz|bin)$/;

/** The folder on disk of a capture folder ('lab', 'regressions' or 'public'). */
export function captureDir(folder: string): string {
  const dir = FOLDERS[folder];
  if (!dir) throw new Error(`no capture folder named ${folder}`);
  return dir;
}

/** Path of a file in a capture folder. */
export function capturePath(folder: string, file: string): string {
  return join(captureDir(folder), file);
}

/** True when the folder is there (the public corpus may be absent outside CI and the dev machines). */
export function haveCaptures(folder: string): boolean {
  return existsSync(captureDir(folder));
}

/** What a skipped test says when the folder is absent. */
export function notChecked(folder: string): string {
  return `the ${folder} capture corpus was not checked: ${captureDir(folder)} is absent`;
}

/**
 * `it` when the folder is there; otherwise the test is skipped and its name says the corpus was not
 * checked. Use for every test that reads `public`.
 */
export function itWith(folder: string): CorpusTest {
  const present = haveCaptures(folder);
  return (name: string, a: TestOptions | TestBody, b?: TestBody) => {
    const [options, fn] = typeof a === 'function' ? [{}, a] : [a, b!];
    if (present) it(name, options, fn);
    else it.skip(`${name} (${notChecked(folder)})`, options, fn);
  };
}

type TestBody = () => unknown;
interface TestOptions {
  timeout?: number;
}
interface CorpusTest {
  (name: string, fn: TestBody): void;
  (name: string, options: TestOptions, fn: TestBody): void;
}

/** Capture files in a folder, sorted ([] when the folder is absent: pair with `itWith`). */
export function capturesIn(folder: string): string[] {
  if (!haveCaptures(folder)) return [];
  return readdirSync(captureDir(folder)).filter((f) => CAPTURE_RE.test(f)).sort();
}

export function readTestdata(folder: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(capturePath(folder, file)));
}

export function analyzeBytes(name: string, bytes: Uint8Array) {
  return analyze(bytesSource(name, bytes));
}

export interface Oracle {
  packets: number;
  tcp_packets: number;
  rst_frames: { frame: number; src: string; dst: string; sport: number; dport: number; flags_hex: string }[];
  tcp_streams: { a: string; b: string; first_frame: number; packets: number }[];
  tshark_errors: string;
}

export function hasOracle(folder: string, file: string): boolean {
  return existsSync(capturePath(folder, `${file}.oracle.json`));
}

export function readOracle(folder: string, file: string): Oracle {
  return JSON.parse(readFileSync(capturePath(folder, `${file}.oracle.json`), 'utf8')) as Oracle;
}
