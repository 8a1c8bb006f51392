/**
 * `resetscope worker --redis URL --out OUT`: takes capture jobs from the queue, analyses each on a
 * pool of threads into a part in OUT (a folder shared by the workers), and acknowledges the job only
 * once the part is on disk. A worker killed mid-file holds its job's lock until it expires; then
 * another worker's stalled-job check puts the job back. A file that fails three times stays failed
 * with its reason (its last attempt also records the reason in OUT/files).
 */
import { availableParallelism, hostname } from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import { parseOptions } from '../options.ts';
import type { Output } from '../run.ts';
import { prepareOut } from '../scan/parts.ts';
import { AnalysisPool } from '../scan/pool.ts';
import { checkRedisUrl, connection, DEFAULT_QUEUE, type ScanJob } from './common.ts';

export const WORKER_USAGE = `usage: resetscope worker --redis URL --out OUT [--jobs N] [--queue NAME] [--until-empty]

Takes capture jobs from the queue (resetscope queue add) and writes one result part per file into
OUT, a folder shared by all workers; resetscope query OUT "SQL" reads them. Stop it with Ctrl-C or
SIGTERM (it finishes the files in hand first).
  --jobs N         files analysed at once (default: one per core)
  --queue NAME     the queue (default ${DEFAULT_QUEUE})
  --name NAME      how the queue names this worker (default host name and process id)
  --until-empty    exit once no job is waiting or active
  --lock-ms N      how long a job stays locked without news from its worker before another worker
                   takes it over (default 30000)`;

export async function workerCommand(argv: string[], io: Output): Promise<number> {
  const opts = parseOptions(argv, { redis: 'value', out: 'value', jobs: 'value', queue: 'value', name: 'value', 'lock-ms': 'value', 'until-empty': 'flag' });
  if (opts.help) {
    await io.out(`${WORKER_USAGE}\n`);
    return 0;
  }
  const jobs = opts.values.jobs ? Number(opts.values.jobs) : availableParallelism();
  const lockMs = opts.values['lock-ms'] ? Number(opts.values['lock-ms']) : 30_000;
  const bad =
    opts.error ??
    checkRedisUrl(opts.values.redis) ??
    (!opts.values.out ? 'needs --out OUT' : null) ??
    (!Number.isInteger(jobs) || jobs < 1 ? `--jobs takes a whole number, not ${opts.values.jobs}` : null) ??
    (!Number.isInteger(lockMs) || lockMs < 1000 ? `--lock-ms takes a whole number of milliseconds (1000 or more)` : null);
  if (bad || opts.positional.length) {
    io.err(`${bad ? `resetscope worker: ${bad}\n` : ''}${WORKER_USAGE}\n`);
    return 2;
  }
  const out = opts.values.out!;
  const name = opts.values.name ?? `${hostname()}:${process.pid}`;
  const queueName = opts.values.queue ?? DEFAULT_QUEUE;
  prepareOut(out);
  const pool = new AnalysisPool(jobs);

  const processor = async (job: Job<ScanJob>): Promise<{ sha256: string | null; status: string; resets: number }> => {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const r = await pool.run({ path: job.data.path, file: job.data.path, size: job.data.size, out, recordErrors: last });
    if (r.status === 'failed' || r.status === 'error') throw new Error(r.error ?? 'failed');
    return { sha256: r.sha256, status: r.status, resets: r.resets };
  };
  const clients = [connection(opts.values.redis!, { patient: true })];
  const worker = new Worker<ScanJob>(queueName, processor, {
    connection: clients[0]!,
    concurrency: jobs,
    name,
    lockDuration: lockMs,
    stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
    // A job whose worker died is put back; twice more and it is failed (a file that kills its reader).
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('completed', (job, result) => {
    void io.out(`done ${job.data.path}: ${result.status === 'already' ? 'already in OUT' : `${result.resets} resets`}\n`);
  });
  worker.on('failed', (job, e) => {
    if (job) void io.out(`failed ${job.data.path}: ${e.message} (attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1})\n`);
  });
  let lastError = '';
  worker.on('error', (e) => {
    if (e.message !== lastError) io.err(`resetscope worker: ${e.message}\n`);
    lastError = e.message;
  });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(watch);
      await worker.close();
      await pool.close();
      await probe?.close();
      for (const c of clients) c.disconnect();
    })());
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  let probe: Queue | null = null;
  let watch: NodeJS.Timeout | undefined;
  if (opts.flags.has('until-empty')) {
    clients.push(connection(opts.values.redis!, { patient: true }));
    probe = new Queue(queueName, { connection: clients[1]! });
    probe.on('error', () => undefined);
    watch = setInterval(() => {
      void probe!
        .getJobCounts('waiting', 'prioritized', 'delayed', 'active')
        .then((c) => {
          if (Object.values(c).every((n) => n === 0)) void stop();
        })
        .catch(() => undefined);
    }, 1000);
  }
  io.err(`resetscope worker ${name}: taking jobs from ${queueName} with ${jobs} thread${jobs === 1 ? '' : 's'}, results in ${out}\n`);
  await worker.run();
  await stop();
  return 0;
}
