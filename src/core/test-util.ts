/** Test helpers shared by the core's tests (Node only: they read testdata from disk). */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from './analyze.ts';
import { bytesSource } from './capture/source.ts';

export const TESTDATA = join(import.meta.dirname, 'testdata');

export const CAPTURE_RE = /\.(pcap|pcapng|cap|gz|bin)$/;

/** Capture files in a testdata folder, sorted. */
export function capturesIn(folder: string): string[] {
  return readdirSync(join(TESTDATA, folder)).filter((f) => CAPTURE_RE.test(f)).sort();
}

export function readTestdata(folder: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(TESTDATA, folder, file)));
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

export function readOracle(folder: string, file: string): Oracle {
  return JSON.parse(readFileSync(join(TESTDATA, folder, `${file}.oracle.json`), 'utf8')) as Oracle;
}
