/**
 * `resetscope queue add DIR... --redis URL`: one BullMQ job per capture, its id made from the
 * file's path and sha256, so adding the same folder twice adds nothing new.
 * `resetscope queue status --redis URL`: the counts, and the reason of each failed job.
 */
import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import { parseOptions } from '../options.ts';
import type { Output } from '../run.ts';
import { sha256File } from '../scan/parts.ts';
import { findCaptures } from '../scan/walk.ts';
import { checkRedisUrl, connection, DEFAULT_QUEUE, JOB_OPTIONS, type ScanJob } from './common.ts';

export const QUEUE_USAGE = `usage: resetscope queue add DIR... --redis URL [--queue NAME]
       resetscope queue status --redis URL [--queue NAME]

add     one job per capture under the folders (.pcap, .pcapng, .cap, .gz), for workers to take
        (resetscope worker); a file already queued with the same content is not added again.
        Workers open the files by the same absolute path: use a folder every machine mounts.
status  waiting, active, done and failed jobs, and why each failed job failed.
  --redis URL    the Redis server, e.g. redis://10.0.0.5:6379
  --queue NAME   the queue (default ${DEFAULT_QUEUE})`;

export const jobId = (path: string, sha256: string): string =>
  createHash('sha256').update(`${path}\0${sha256}`).digest('hex').slice(0, 40);

export async function queueCommand(argv: string[], io: Output): Promise<number> {
  const opts = parseOptions(argv, { redis: 'value', queue: 'value' });
  const [action, ...dirs] = opts.positional;
  if (opts.help) {
    await io.out(`${QUEUE_USAGE}\n`);
    return 0;
  }
  const bad = opts.error ?? checkRedisUrl(opts.values.redis);
  if (bad || (action !== 'add' && action !== 'status') || (action === 'add' && dirs.length === 0) || (action === 'status' && dirs.length)) {
    io.err(`${bad ? `resetscope queue: ${bad}\n` : ''}${QUEUE_USAGE}\n`);
    return 2;
  }
  const client = connection(opts.values.redis!, { patient: false });
  const queue = new Queue<ScanJob>(opts.values.queue ?? DEFAULT_QUEUE, { connection: client });
  queue.on('error', () => undefined);
  try {
    try {
      await queue.waitUntilReady();
    } catch (e) {
      throw new Error(`cannot reach Redis at ${opts.values.redis}: ${(e as Error).message}`);
    }
    return action === 'add' ? await add(queue, dirs, io) : await status(queue, io);
  } catch (e) {
    io.err(`resetscope queue: ${(e as Error).message}\n`);
    return 2;
  } finally {
    await queue.close();
    client.disconnect();
  }
}

async function add(queue: Queue<ScanJob>, dirs: string[], io: Output): Promise<number> {
  const { captures, skipped } = await findCaptures(dirs);
  if (skipped.length) {
    io.err(`skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} not named .pcap, .pcapng, .cap or .gz:\n${skipped.map((s) => `  ${s}\n`).join('')}`);
  }
  let added = 0;
  let already = 0;
  const BATCH = 64;
  for (let i = 0; i < captures.length; i += BATCH) {
    const batch = await Promise.all(
      captures.slice(i, i + BATCH).map(async (c) => {
        const sha256 = await sha256File(c.path);
        return { data: { path: c.path, sha256, size: c.size }, id: jobId(c.path, sha256) };
      }),
    );
    const exists = await Promise.all(batch.map((b) => queue.getJob(b.id).then((j) => j !== undefined)));
    const fresh = batch.filter((_, k) => !exists[k]);
    already += batch.length - fresh.length;
    // A job id that exists is left as it is (BullMQ ignores the add), so a race with another add is harmless.
    await queue.addBulk(fresh.map((b) => ({ name: 'analyze', data: b.data, opts: { ...JOB_OPTIONS, jobId: b.id } })));
    added += fresh.length;
  }
  await io.out(`${added} job${added === 1 ? '' : 's'} added, ${already} already queued (${captures.length} captures) on queue ${queue.name}\n`);
  return 0;
}

async function status(queue: Queue<ScanJob>, io: Output): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
  const waiting = (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0);
  const workers = await queue.getWorkersCount();
  let text = `queue ${queue.name}: ${waiting} waiting, ${c.active ?? 0} active, ${c.completed ?? 0} done, ${c.failed ?? 0} failed; ${workers} worker${workers === 1 ? '' : 's'} connected\n`;
  const failed = await queue.getFailed(0, 99);
  for (const job of failed) text += `failed: ${job.data.path}: ${job.failedReason} (${job.attemptsMade} attempts)\n`;
  if ((c.failed ?? 0) > failed.length) text += `... and ${(c.failed ?? 0) - failed.length} more failed jobs\n`;
  await io.out(text);
  return 0;
}
