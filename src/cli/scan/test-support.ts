/** Helpers of the scan and queue tests: the bundled command line, capture folders, the tables. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateToFile } from '../../../bench/generate.ts';
import { runCli } from '../../../test/support/cli.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const LAB = join(ROOT, 'test/captures/lab');
/** The shared corpus, beside the repository (absent in some checkouts: tests then say so). */
export const PUBLIC = resolve(ROOT, '../shared/captures/public');

/** Bundles the command line as `npm pack` does (without types) into a folder of the caller's; returns main.js. */
export function buildBundle(name: string): string {
  const dir = join(ROOT, 'node_modules/.cache', `${name}-${process.pid}`);
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs'), '--out', dir, '--no-types'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`bundle failed: ${built.stderr}`);
  return join(dir, 'main.js');
}

export function runBundle(main: string, args: string[]) {
  return spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

export function startBundle(main: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** What `npm run analyze -- ARGS` prints, run in this process. */
export async function analyzeCli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const { code, out, err } = await runCli(args);
  return { status: code, stdout: out, stderr: err };
}

/**
 * A folder of captures for the scan and queue tests: the lab captures, `big` synthetic captures
 * of about 4 MB (long enough to be caught mid-file), and two files that are not captures.
 */
export function captureFolder(parent: string, big: number): string {
  const dir = mkdtempSync(join(parent, 'captures-'));
  mkdirSync(join(dir, 'lab'));
  for (const f of readdirSync(LAB).filter((f) => f.endsWith('.pcap'))) copyFileSync(join(LAB, f), join(dir, 'lab', f));
  mkdirSync(join(dir, 'big'));
  for (let i = 0; i < big; i++) generateToFile(join(dir, 'big', `synthetic-${i}.pcap`), 4e6, i % 2 ? 'pcapng' : 'pcap', i + 1);
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad', 'notes.pcap'), 'these are notes, not packets\n');
  writeFileSync(join(dir, 'bad', 'empty.pcapng'), '');
  writeFileSync(join(dir, 'readme.txt'), 'not a capture by its name\n');
  return dir;
}

/** Rows of SQL over OUT's parquet tables, JSON-friendly (BIGINT as numbers). */
export async function tables(out: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  for (const name of ['resets', 'connections', 'files']) {
    if (existsSync(join(out, `${name}.parquet`))) await db.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet('${join(out, `${name}.parquet`)}')`);
  }
  const reader = await db.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}
