/**
 * `resetscope scan DIR... --out OUT [--jobs N]`: every capture under the folders, analysed on all
 * cores into OUT (see parts.ts), then merged into OUT/*.parquet. Run it again to resume: files
 * already in OUT are not read again.
 */
import { availableParallelism } from 'node:os';
import type { Output } from '../run.ts';
import { parseOptions } from '../options.ts';
import { loadSeen, prepareOut, remember, seenSha } from './parts.ts';
import { AnalysisPool } from './pool.ts';
import { duckdbMissing, merge } from './tables.ts';
import { findCaptures } from './walk.ts';

export const SCAN_USAGE = `usage: resetscope scan DIR... --out OUT [--jobs N]

Analyses every capture under the folders (.pcap, .pcapng, .cap, .gz; other files are skipped and listed)
on all cores, and writes OUT/resets.parquet, OUT/connections.parquet and OUT/files.parquet.
Run it again to resume: a file whose content is already in OUT is not analysed again.
  --out OUT   the result folder (created if missing)
  --jobs N    threads (default: one per core)
Exit status: 0 when every capture is in OUT (unreadable ones too, with their reason), 1 when some
could not be recorded (the next scan tries them again), 2 on a usage error.`;

const mb = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

export async function scanCommand(argv: string[], io: Output, tty: boolean): Promise<number> {
  const opts = parseOptions(argv, { out: 'value', jobs: 'value' });
  if (opts.help) {
    await io.out(`${SCAN_USAGE}\n`);
    return 0;
  }
  if (opts.error || !opts.values.out || opts.positional.length === 0) {
    io.err(`${opts.error ? `${opts.error}\n` : ''}${SCAN_USAGE}\n`);
    return 2;
  }
  const jobs = opts.values.jobs ? Number(opts.values.jobs) : availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) {
    io.err(`resetscope scan: --jobs takes a whole number of threads, not ${opts.values.jobs}\n`);
    return 2;
  }
  const out = opts.values.out;
  const missing = await duckdbMissing();
  if (missing) {
    io.err(`resetscope scan: ${missing}\n`);
    return 2;
  }
  let found;
  try {
    found = await findCaptures(opts.positional);
  } catch (e) {
    io.err(`resetscope scan: ${(e as Error).message}\n`);
    return 2;
  }
  prepareOut(out);
  const seen = loadSeen(out);
  const { captures, skipped } = found;
  if (skipped.length) {
    io.err(`skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} not named .pcap, .pcapng, .cap or .gz:\n${skipped.map((s) => `  ${s}\n`).join('')}`);
  }

  const totalBytes = captures.reduce((n, c) => n + c.size, 0);
  const counts = { files: 0, analyzed: 0, already: 0, unreadable: 0, failed: 0, resets: 0, bytes: 0 };
  const inFlight = new Map<string, number>();
  const started = Date.now();
  let lastDraw = 0;
  const draw = (force = false): void => {
    if (!tty) return;
    const now = Date.now();
    if (!force && now - lastDraw < 200) return;
    lastDraw = now;
    let bytes = counts.bytes;
    for (const b of inFlight.values()) bytes += b;
    const elapsed = (now - started) / 1000;
    const left = bytes > 0 && elapsed > 0.5 ? ((totalBytes - bytes) * elapsed) / bytes : Infinity;
    io.err(`\r\x1b[K${counts.files}/${captures.length} files · ${mb(bytes)} of ${mb(totalBytes)} · ${counts.resets} resets · ${clock(left)} left`);
  };

  const pool = new AnalysisPool(Math.min(jobs, Math.max(1, captures.length)), (job, bytes) => {
    inFlight.set(job.path, bytes);
    draw();
  });
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    if (tty) io.err('\n');
    io.err(`resetscope scan: interrupted; ${counts.files} of ${captures.length} files are in ${out} (run the same command to resume)\n`);
    void pool.close().then(() => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  draw(true);
  try {
    await Promise.all(
      captures.map(async (c) => {
        const known = seenSha(seen, c);
        if (known) {
          counts.files++;
          counts.already++;
          counts.bytes += c.size;
          draw();
          return;
        }
        let r;
        try {
          r = await pool.run({ path: c.path, file: c.path, size: c.size, out, recordErrors: true });
        } catch (e) {
          r = { sha256: null, status: 'failed' as const, resets: 0, connections: 0, error: (e as Error).message };
        }
        inFlight.delete(c.path);
        if (interrupted) return;
        counts.files++;
        counts.bytes += c.size;
        counts.resets += r.resets;
        if (r.status === 'analyzed') counts.analyzed++;
        else if (r.status === 'already') counts.already++;
        else if (r.status === 'error') counts.unreadable++;
        else {
          counts.failed++;
          if (tty) io.err('\r\x1b[K');
          io.err(`resetscope scan: ${c.path}: ${r.error ?? 'failed'} (not recorded; the next scan tries it again)\n`);
        }
        if (r.sha256 && r.status !== 'failed') await remember(out, { path: c.path, size: c.size, mtimeMs: c.mtimeMs, sha256: r.sha256 });
        draw();
      }),
    );
  } finally {
    process.removeListener('SIGINT', onSigint);
    await pool.close();
  }
  if (tty) io.err('\r\x1b[K');
  await merge(out);
  const secs = (Date.now() - started) / 1000;
  await io.out(
    `${captures.length} capture${captures.length === 1 ? '' : 's'} (${mb(totalBytes)}) in ${secs.toFixed(1)} s: ` +
      `${counts.analyzed} analysed, ${counts.already} already in ${out}, ${counts.unreadable} unreadable, ${counts.failed} failed; ` +
      `${counts.resets} resets in the newly analysed files.\n` +
      `Tables: ${out}/resets.parquet, ${out}/connections.parquet, ${out}/files.parquet (resetscope query ${out} "SQL")\n`,
  );
  return counts.failed ? 1 : 0;
}
