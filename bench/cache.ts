/**
 * The benchmark's captures, generated once and kept outside the repository in
 * `~/.cache/resetscope-bench/gen-v<N>/` (or `$RESETSCOPE_BENCH_CACHE`), where N is the generator
 * version that last changed that mix's bytes (MIX_VERSIONS), each beside a JSON file with the
 * generator's summary (packet count, labels). A capture is written to a temporary name of its own
 * process and renamed when complete, so an interrupted run never leaves a half file that looks done
 * and two runs at once do not write over each other.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { generateToFile, MIX_VERSIONS, type CaptureFormat, type GenerateSummary, type Mix } from './generate.ts';

export function cacheRoot(): string {
  const base = process.env.RESETSCOPE_BENCH_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'resetscope-bench');
  return base;
}

export interface CachedCapture {
  path: string;
  summary: GenerateSummary;
  /** True when this run generated it. */
  generated: boolean;
}

/**
 * The capture of this mix for this size label (e.g. "200MB") and format, generated if missing. The
 * bench mix keeps its old names (`200mb-seed1.pcap`); the others are prefixed by the mix
 * (`plain-200mb-seed1.pcap`). `targetConnections` (the conns mix) stops at that many connections.
 */
export function ensureCapture(
  label: string,
  targetBytes: number,
  format: CaptureFormat,
  seed = 1,
  mix: Mix = 'bench',
  targetConnections?: number,
): CachedCapture {
  const version = MIX_VERSIONS[mix];
  const dir = join(cacheRoot(), `gen-v${version}`);
  mkdirSync(dir, { recursive: true });
  const name = `${mix === 'bench' ? '' : `${mix}-`}${label.toLowerCase()}-seed${seed}.${format}`;
  const path = join(dir, name);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const summary = JSON.parse(readFileSync(meta, 'utf8')) as GenerateSummary;
    if ((summary.outputVersion ?? summary.generatorVersion) === version && statSync(path).size === summary.bytes) {
      return { path, summary: { mix, ...summary }, generated: false };
    }
  }
  const tmp = `${path}.partial-${process.pid}`;
  const summary = generateToFile(tmp, targetBytes, format, seed, { mix, targetConnections });
  writeFileSync(`${meta}.partial-${process.pid}`, JSON.stringify(summary));
  renameSync(`${meta}.partial-${process.pid}`, meta);
  renameSync(tmp, path);
  return { path, summary, generated: true };
}
