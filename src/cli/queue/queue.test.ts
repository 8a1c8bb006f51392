/**
 * The queue across "machines": a redis-server of the test's own on a loopback port (with an
 * append-only file, crashed and restarted once), `queue add` (twice: nothing added the second
 * time), three workers of the bundled command line, one killed with SIGKILL in the middle of a
 * file. The survivors take its job over; the tables end equal to a single-machine scan, nothing
 * lost and nothing twice, and the files that are not captures end as failed jobs with their reason.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, captureFolder, runBundle, startBundle, tables } from '../scan/test-support.ts';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) console.warn('redis-server is not installed: the queue tests did not run (.ci/run installs it)');

const BIG = 4;
let main = '';
let tmp = '';
let redis: ChildProcess | null = null;
let port = 0;
const workers: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** redis-server on 127.0.0.1:port, every write in its append-only file before it answers. */
function startRedis(dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let log = '';
    child.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      if (/Ready to accept connections/.test(log)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${log}`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));

beforeAll(async () => {
  if (!hasRedis) return;
  main = buildBundle('queue-test');
  tmp = mkdtempSync(join(tmpdir(), 'resetscope-queue-'));
  port = await freePort();
  mkdirSync(join(tmp, 'redis'));
  redis = await startRedis(join(tmp, 'redis'));
}, 120_000);

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  if (redis) {
    redis.kill('SIGKILL');
    await exited(redis);
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (main) rmSync(join(main, '..'), { recursive: true, force: true });
});

describe.skipIf(!hasRedis)('resetscope queue and worker', () => {
  it('spread over three workers, one killed mid-file, end with the tables of a single scan', async () => {
    const url = `redis://127.0.0.1:${port}`;
    const dir = captureFolder(tmp, BIG);
    const add = runBundle(main, ['queue', 'add', dir, '--redis', url]);
    expect(add.status, add.stderr).toBe(0);
    const total = Number(/(\d+) jobs added, 0 already queued \((\d+) captures\)/.exec(add.stdout)?.[2]);
    expect(add.stdout).toContain(`${total} jobs added`);
    expect(add.stderr).toContain('readme.txt');
    const again = runBundle(main, ['queue', 'add', dir, '--redis', url]);
    expect(again.stdout).toContain(`0 jobs added, ${total} already queued`);

    // Redis crashes and comes back: with its append-only file, no job is lost.
    redis!.kill('SIGKILL');
    await exited(redis!);
    redis = await startRedis(join(tmp, 'redis'));
    expect(runBundle(main, ['queue', 'status', '--redis', url]).stdout).toContain(`${total} waiting, 0 active, 0 done, 0 failed`);

    const out = join(tmp, 'out');
    const names = ['w1', 'w2', 'w3'];
    for (const name of names) {
      workers.push(startBundle(main, ['worker', '--redis', url, '--out', out, '--jobs', '1', '--name', name, '--until-empty', '--lock-ms', '2000']));
    }
    // A worker that holds one of the big files is killed while it reads it. Which job it held when
    // the kill landed is read back afterwards from the job that came back stalled, so the test does
    // not depend on how quickly this loop sees the queue.
    const client = new Redis(url, { maxRetriesPerRequest: null });
    const queue = new Queue('resetscope', { connection: client });
    let victim = '';
    const deadline = Date.now() + 60_000;
    while (!victim && Date.now() < deadline) {
      for (const job of await queue.getActive()) {
        const data = job.data as { path: string };
        if (data.path.includes('/big/') && job.processedBy && names.includes(job.processedBy)) {
          victim = job.processedBy;
          workers[names.indexOf(victim)]!.kill('SIGKILL');
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(victim).not.toBe('');
    const codes = await Promise.all(workers.map(exited));
    expect(codes.filter((c) => c === 0)).toHaveLength(2);

    const status = runBundle(main, ['queue', 'status', '--redis', url]);
    expect(status.stdout).toContain(`0 waiting, 0 active, ${total - 2} done, 2 failed`);
    expect(status.stdout).toContain(`failed: ${join(dir, 'bad/empty.pcapng')}: the file is empty (0 bytes) (3 attempts)`);
    expect(status.stdout).toMatch(/failed: .*bad\/notes\.pcap: not a pcap or pcapng file: .* \(3 attempts\)/);
    // The job the killed worker held came back as stalled and was finished by another worker.
    const recovered = (await queue.getJobs(['completed'])).filter((j) => j.stalledCounter > 0);
    expect(recovered.length).toBeGreaterThan(0);
    for (const job of recovered) {
      expect(job.processedBy).not.toBe(victim);
      expect(names).toContain(job.processedBy);
    }
    await queue.close();
    client.disconnect();

    // The same folder scanned on one machine gives the same tables, each file once.
    const single = join(tmp, 'single');
    expect(runBundle(main, ['scan', dir, '--out', single]).status).toBe(0);
    for (const sql of ['SELECT * FROM files ORDER BY file', 'SELECT * FROM resets ORDER BY file, frame', 'SELECT * FROM connections ORDER BY file, connection']) {
      const viaQueue = (q: string) => runBundle(main, ['query', q, sql]).stdout;
      expect(viaQueue(out)).toBe(viaQueue(single));
      expect(await tables(out, sql)).toEqual(await tables(single, sql));
    }
    expect(await tables(out, 'SELECT count(*) AS n, count(DISTINCT sha256) AS d FROM files')).toEqual([{ n: total, d: total }]);
    expect((await tables(out, 'SELECT count(*) AS n FROM resets'))[0]!.n).toBeGreaterThan(500);
  });
});
