/** What `queue add`, `queue status` and `worker` share: the queue's name, its jobs and the Redis connection. */
import type { JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';

export const DEFAULT_QUEUE = 'resetscope';

export interface ScanJob {
  /** Absolute path, the same on every machine (a shared folder). */
  path: string;
  sha256: string;
  size: number;
}

/** A job that fails three times is kept as failed, with its reason; done jobs stay (they make `add` idempotent). */
export const JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 1000 },
  removeOnComplete: false,
  removeOnFail: false,
};

/**
 * A Redis client for one Queue or Worker (bundled: BullMQ would otherwise look for one at run time).
 * A worker waits for Redis for ever (it reconnects after a restart); a one-off command (`queue add`,
 * `queue status`) gives up after about five seconds without it.
 */
export function connection(url: string, { patient }: { patient: boolean }): Redis {
  // BullMQ's workers block on Redis: a command must wait for a reconnection rather than fail.
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    ...(patient ? {} : { retryStrategy: (times: number) => (times > 10 ? null : 500) }),
  });
  client.on('error', () => undefined);
  return client;
}

export function checkRedisUrl(url: string | undefined): string | null {
  if (!url) return 'needs --redis URL (for example --redis redis://127.0.0.1:6379)';
  if (!/^rediss?:\/\//.test(url)) return `--redis takes a URL such as redis://host:6379, not ${url}`;
  return null;
}
