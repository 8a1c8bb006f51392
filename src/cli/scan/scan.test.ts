/**
 * `resetscope scan` (the bundled command line): its tables agree, file by file, with what
 * `analyze --json` says; `query` prints CSV; a scan killed midway resumes without reading again
 * the files already in OUT and ends with the same tables as a scan never interrupted.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../core/model/types.ts';
import { scanCommand } from './scan.ts';
import { analyzeCli, buildBundle, captureFolder, LAB, PUBLIC, runBundle, startBundle, tables } from './test-support.ts';

let main = '';
let tmp = '';

beforeAll(() => {
  main = buildBundle('scan-test');
  tmp = mkdtempSync(join(tmpdir(), 'resetscope-scan-'));
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (main) rmSync(join(main, '..'), { recursive: true, force: true });
});

/** Every file's analysis as `analyze --json` reports it, in the shape of the tables. */
async function expected(path: string) {
  const r = await analyzeCli([path, '--json']);
  if (r.status !== 0) return { error: r.stderr.trim().replace(/^resetscope: [^:]+: /, ''), resets: [], connections: 0, packets: null };
  const report = JSON.parse(r.stdout) as ReportDocument;
  const resets = report.connections
    .flatMap((c) => c.resets.map((v) => ({ frame: v.frame, scenario: v.scenario, severity: v.severity, sender: v.from, connection: c.id })))
    .sort((a, b) => a.frame - b.frame);
  return { error: null, resets, connections: report.connections.length, packets: report.packets };
}

async function compareWithAnalyze(out: string, files: string[]) {
  const fileRows = await tables(out, 'SELECT file, error, connections, packets FROM files');
  expect(fileRows.map((r) => r.file).sort()).toEqual([...files].sort());
  const resetRows = await tables(out, 'SELECT file, frame, scenario, severity, sender, connection FROM resets ORDER BY file, frame');
  let resets = 0;
  for (const path of files) {
    const want = await expected(path);
    const row = fileRows.find((r) => r.file === path)!;
    expect({ file: path, error: row.error, connections: want.error ? null : row.connections, packets: row.packets }).toEqual({
      file: path,
      error: want.error,
      connections: want.error ? null : want.connections,
      packets: want.packets,
    });
    const got = resetRows.filter((r) => r.file === path).map(({ file: _f, ...rest }) => rest);
    expect(got, path).toEqual(want.resets);
    resets += got.length;
  }
  return resets;
}

describe('resetscope scan', () => {
  it('runs from the sources too (npm run analyze -- scan), with a progress line on a terminal', async () => {
    const out = join(tmp, 'from-sources');
    let stdout = '';
    let stderr = '';
    const io = {
      out: (t: string) => {
        stdout += t;
      },
      err: (t: string) => {
        stderr += t;
      },
    };
    const code = await scanCommand([LAB, '--out', out, '--jobs', '2'], io, true);
    expect(code, stderr).toBe(0);
    const files = readdirSync(LAB).filter((f) => f.endsWith('.pcap')).length;
    expect(stdout).toContain(`${files} captures`);
    expect(stdout).toContain(`${files} analysed, 0 already`);
    const lines = stderr.split('\r\x1b[K').filter((l) => l.includes(' files · '));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(new RegExp(`^\\d+/${files} files · [\\d.]+ MB of [\\d.]+ MB · \\d+ resets · (\\d\\d:\\d\\d|--:--) left$`));
    const resets = await tables(out, 'SELECT count(*) AS n FROM resets');
    expect(resets[0]!.n).toBeGreaterThan(50);
  });

  it('equals analyze --json file by file on the lab and public captures, and query prints CSV', async () => {
    const out = join(tmp, 'corpus');
    const folders = [LAB, ...(existsSync(PUBLIC) ? [PUBLIC] : [])];
    if (!existsSync(PUBLIC)) console.warn(`${PUBLIC} is absent: the public corpus was not checked, only the lab captures`);
    const run = runBundle(main, ['scan', ...folders, '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    const files = folders.flatMap((d) => readdirSync(d).filter((f) => /\.(pcap|pcapng|cap|gz)$/i.test(f)).map((f) => join(d, f)));
    expect(run.stderr).toContain(join(LAB, 'README.md'));
    expect(run.stdout).toContain(`${files.length} captures`);
    const resets = await compareWithAnalyze(out, files);
    expect(resets).toBeGreaterThan(100);

    const csv = runBundle(main, ['query', out, 'SELECT scenario, count(*) AS resets FROM resets GROUP BY scenario ORDER BY resets DESC, scenario']);
    expect(csv.status, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('scenario,resets');
    expect(lines.slice(1).reduce((n, l) => n + Number(l.split(',')[1]), 0)).toBe(resets);
    const bad = runBundle(main, ['query', out, 'SELECT nope FROM resets']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^resetscope query: .*nope/);
  });

  it('resumes after being killed: files already in OUT are not analysed again, and the tables end the same', async () => {
    const dir = captureFolder(tmp, 6);
    const out = join(tmp, 'resumed');
    const child = startBundle(main, ['scan', dir, '--out', out, '--jobs', '1']);
    const parts = (): number => (existsSync(join(out, 'parts')) ? readdirSync(join(out, 'parts')).length : 0);
    // Killed (SIGKILL: no clean-up) once three files are done (the two bad ones come first, then
    // the big ones, a few tenths of a second each).
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (parts() >= 3) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 10);
      child.on('exit', () => {
        clearInterval(poll);
        reject(new Error('the scan ended before it could be killed'));
      });
    });
    await new Promise((r) => child.once('exit', r));
    const done = parts();
    const total = readdirSync(join(dir, 'lab')).length + 6 + 2;
    expect(done).toBeLessThan(total);

    const again = runBundle(main, ['scan', dir, '--out', out, '--jobs', '2']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain(`${total} captures`);
    const counts = /(\d+) analysed, (\d+) already in .*, (\d+) unreadable, 0 failed/.exec(again.stdout)!.slice(1).map(Number);
    expect(counts[0]! + counts[2]!).toBe(total - done);
    expect(counts[1]).toBe(done);

    const fresh = join(tmp, 'fresh');
    expect(runBundle(main, ['scan', dir, '--out', fresh]).status).toBe(0);
    for (const sql of ['SELECT * FROM files ORDER BY file', 'SELECT * FROM resets ORDER BY file, frame', 'SELECT * FROM connections ORDER BY file, connection']) {
      expect(await tables(out, sql)).toEqual(await tables(fresh, sql));
    }
    expect(await tables(out, 'SELECT count(*) AS n, count(DISTINCT sha256) AS d FROM files')).toEqual([{ n: total, d: total }]);
    const errors = await tables(out, 'SELECT file, error FROM files WHERE error IS NOT NULL ORDER BY file');
    expect(errors).toEqual([
      { file: join(dir, 'bad/empty.pcapng'), error: 'the file is empty (0 bytes)' },
      { file: join(dir, 'bad/notes.pcap'), error: expect.stringMatching(/^not a pcap or pcapng file/) },
    ]);

    // A third run reads nothing: everything is known by path, size and time of change.
    const third = runBundle(main, ['scan', dir, '--out', out]);
    expect(third.stdout).toContain(`0 analysed, ${total} already in ${out}`);
  });
});
