/**
 * The benchmark's captures, generated once and kept outside the repository in
 * `~/.cache/resetscope-bench/gen-v<GENERATOR_VERSION>/` (or `$RESETSCOPE_BENCH_CACHE`), each beside a
 * JSON file with the generator's summary (packet count, labels). A capture is written to a temporary
 * name and renamed when complete, so an interrupted run never leaves a half file that looks done.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GENERATOR_VERSION, generateToFile, type CaptureFormat, type GenerateSummary } from './generate.ts';

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

/** The capture for this size label (e.g. "200MB") and format, generated if missing. */
export function ensureCapture(label: string, targetBytes: number, format: CaptureFormat, seed = 1): CachedCapture {
  const dir = join(cacheRoot(), `gen-v${GENERATOR_VERSION}`);
  mkdirSync(dir, { recursive: true });
  const name = `${label.toLowerCase()}-seed${seed}.${format}`;
  const path = join(dir, name);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const summary = JSON.parse(readFileSync(meta, 'utf8')) as GenerateSummary;
    if (summary.generatorVersion === GENERATOR_VERSION && statSync(path).size === summary.bytes) {
      return { path, summary, generated: false };
    }
  }
  const tmp = `${path}.partial`;
  const summary = generateToFile(tmp, targetBytes, format, seed);
  writeFileSync(meta, JSON.stringify(summary));
  renameSync(tmp, path);
  return { path, summary, generated: true };
}
