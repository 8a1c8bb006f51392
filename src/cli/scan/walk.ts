/** The captures under some folders: files named .pcap, .pcapng, .cap or .gz; the rest is listed as skipped. */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface Found {
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
}

export const CAPTURE_NAME = /\.(pcap|pcapng|cap|gz)$/i;

export async function findCaptures(roots: string[]): Promise<{ captures: Found[]; skipped: string[] }> {
  const captures: Found[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path);
    if (info.isDirectory()) {
      const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        // Symbolic links to folders are not followed (no loops); links to files are read.
        if (e.isDirectory() || e.isFile() || (e.isSymbolicLink() && (await stat(join(path, e.name)).catch(() => null))?.isFile())) {
          await visit(join(path, e.name));
        }
      }
      return;
    }
    if (!info.isFile() || seen.has(path)) return;
    seen.add(path);
    if (CAPTURE_NAME.test(path)) captures.push({ path, size: info.size, mtimeMs: info.mtimeMs });
    else skipped.push(path);
  };
  for (const root of roots) await visit(resolve(root));
  return { captures, skipped };
}
