/** What `queue add`, `queue status` and `worker` share: the queue's name, its jobs and the Redis connection. */
import type { ConnectionOptions, JobsOptions } from 'bullmq';

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

export function connection(url: string): ConnectionOptions {
  // BullMQ's workers block on Redis: a command must wait for a reconnection rather than fail.
  return { url, maxRetriesPerRequest: null };
}

export function checkRedisUrl(url: string | undefined): string | null {
  if (!url) return 'needs --redis URL (for example --redis redis://127.0.0.1:6379)';
  if (!/^rediss?:\/\//.test(url)) return `--redis takes a URL such as redis://host:6379, not ${url}`;
  return null;
}
