/**
 * The capture issue 15 measured its ratio on: `python3 ../shared/bench/gen_capture.py --target-bytes N
 * --seed 3` (a classic pcap of Ethernet/IPv4/TCP, ~845-byte frames), and the bare JavaScript ceiling
 * on it (`../shared/bench/js_limit.mjs`). Both scripts live beside the repository, in the shared
 * folder CI clones next to it; when it is absent the row is skipped and the bench says so.
 *
 * Generated once into the cache (`gen-capture-<first 8 hex of the script's SHA-256>/`, so an edited
 * script makes new files) with a JSON summary beside it: bytes, packets, connections and RSTs as
 * js_limit.mjs counts them (it walks every record; its distinct 4-tuples are the connections here).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from './cache.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_BENCH = join(ROOT, '..', 'shared', 'bench');
export const GEN_CAPTURE = join(SHARED_BENCH, 'gen_capture.py');
export const JS_LIMIT = join(SHARED_BENCH, 'js_limit.mjs');
/** The seed issue 15 used. */
export const GEN_SEED = 3;

export interface GenCaptureSummary {
  script: string;
  scriptSha256: string;
  seed: number;
  targetBytes: number;
  bytes: number;
  packets: number;
  connections: number;
  resets: number;
  generationSeconds: number;
}

export interface GenCapture {
  path: string;
  summary: GenCaptureSummary;
  generated: boolean;
}

/** Why the gen_capture.py row cannot run here, or null when it can. */
export function genCaptureUnavailable(): string | null {
  if (!existsSync(GEN_CAPTURE)) return `../shared is absent (no ${GEN_CAPTURE}): the gen_capture.py capture was not measured`;
  if (spawnSync('python3', ['--version']).status !== 0) return 'python3 is not installed: the gen_capture.py capture was not measured';
  return null;
}

/** Packets, RSTs and 4-tuples of a classic pcap, by js_limit.mjs when present, else by walking the record headers (packets only). */
function count(path: string): { packets: number; connections: number; resets: number } {
  if (existsSync(JS_LIMIT)) {
    const r = spawnSync(process.execPath, [JS_LIMIT, path], { encoding: 'utf8' });
    if (r.status === 0) {
      const j = JSON.parse(r.stdout.trim()) as { packets: number; rsts: number; conns: number };
      return { packets: j.packets, connections: j.conns, resets: j.rsts };
    }
  }
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(16);
  let packets = 0;
  try {
    const size = statSync(path).size;
    for (let p = 24; p + 16 <= size; packets++) {
      readSync(fd, head, 0, 16, p);
      p += 16 + head.readUInt32LE(8);
    }
  } finally {
    closeSync(fd);
  }
  return { packets, connections: -1, resets: -1 };
}

/** The gen_capture.py capture for this size label, generated if missing; throws when unavailable. */
export function ensureGenCapture(label: string, targetBytes: number): GenCapture {
  const why = genCaptureUnavailable();
  if (why) throw new Error(why);
  const sha = createHash('sha256').update(readFileSync(GEN_CAPTURE)).digest('hex');
  const dir = join(cacheRoot(), `gen-capture-${sha.slice(0, 8)}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${label.toLowerCase()}-seed${GEN_SEED}.pcap`);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const summary = JSON.parse(readFileSync(meta, 'utf8')) as GenCaptureSummary;
    if (summary.scriptSha256 === sha && summary.targetBytes === targetBytes && statSync(path).size === summary.bytes) {
      return { path, summary, generated: false };
    }
  }
  const tmp = `${path}.partial-${process.pid}`;
  const t0 = performance.now();
  const r = spawnSync('python3', [GEN_CAPTURE, tmp, '--target-bytes', String(targetBytes), '--seed', String(GEN_SEED)], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`gen_capture.py failed: ${(r.stderr || `exit ${r.status}`).trim().split('\n').slice(-2).join(' | ')}`);
  const generationSeconds = (performance.now() - t0) / 1000;
  const summary: GenCaptureSummary = {
    script: '../shared/bench/gen_capture.py',
    scriptSha256: sha,
    seed: GEN_SEED,
    targetBytes,
    bytes: statSync(tmp).size,
    ...count(tmp),
    generationSeconds,
  };
  writeFileSync(`${meta}.partial-${process.pid}`, JSON.stringify(summary));
  renameSync(`${meta}.partial-${process.pid}`, meta);
  renameSync(tmp, path);
  return { path, summary, generated: true };
}
