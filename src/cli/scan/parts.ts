/**
 * The result store of a scan: OUT/parts/<sha256>.jsonl holds one capture's rows (a `file` line,
 * then its `reset` and `conn` lines). A part is written to OUT/tmp and renamed into place after
 * an fsync, so a part that exists is complete: a crash loses only the files in flight, and a file
 * whose content is already in OUT is never analysed again. `query` merges the parts into parquet.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { appendFile, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureRows } from './rows.ts';

export const partsDir = (out: string): string => join(out, 'parts');
export const partPath = (out: string, sha256: string): string => join(partsDir(out), `${sha256}.jsonl`);
const indexPath = (out: string): string => join(out, 'seen.jsonl');

export function prepareOut(out: string): void {
  mkdirSync(partsDir(out), { recursive: true });
  mkdirSync(join(out, 'tmp'), { recursive: true });
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export const hasPart = (out: string, sha256: string): boolean => existsSync(partPath(out, sha256));

/** Writes a capture's part; resolves once it is on disk under its final name. */
export async function writePart(out: string, rows: CaptureRows): Promise<void> {
  const lines: string[] = [JSON.stringify({ t: 'file', ...rows.file })];
  for (const r of rows.resets) lines.push(JSON.stringify({ t: 'reset', ...r }));
  for (const c of rows.connections) lines.push(JSON.stringify({ t: 'conn', ...c }));
  const tmp = join(out, 'tmp', `${rows.file.sha256}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(`${lines.join('\n')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, partPath(out, rows.file.sha256));
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  // The rename itself is on disk once the folder is synced (a queue job is acknowledged after this).
  const folder = await open(partsDir(out), 'r').catch(() => null);
  try {
    await folder?.sync();
  } catch {
    // Some file systems (and Windows) cannot open or sync a folder: the rename stands all the same.
  } finally {
    await folder?.close();
  }
}

/** What a scan remembers of a file it has seen: its path, size and time of change give its sha256 without reading it. */
export interface Seen {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

const seenKey = (s: Omit<Seen, 'sha256'>): string => `${s.size}\0${s.mtimeMs}\0${s.path}`;

/** The files a scan into OUT has already seen whose part is there. */
export function loadSeen(out: string): Map<string, string> {
  const seen = new Map<string, string>();
  if (!existsSync(indexPath(out))) return seen;
  for (const line of readFileSync(indexPath(out), 'utf8').split('\n')) {
    if (!line) continue;
    try {
      const s = JSON.parse(line) as Seen;
      if (hasPart(out, s.sha256)) seen.set(seenKey(s), s.sha256);
    } catch {
      // A line cut by a crash: the file is hashed again.
    }
  }
  return seen;
}

export const seenSha = (seen: Map<string, string>, file: Omit<Seen, 'sha256'>): string | undefined => seen.get(seenKey(file));

export async function remember(out: string, s: Seen): Promise<void> {
  await appendFile(indexPath(out), `${JSON.stringify(s)}\n`);
}
