/// <reference lib="webworker" />
/**
 * The page's range threads: Web Workers started by the analysis worker, one per core
 * (`navigator.hardwareConcurrency`), kept for the next file. They end with the analysis worker
 * (Cancel terminates it, and its workers with it).
 */
import { RangePool, type RangeReply, type RangeThread } from '../core/parallel/pool.ts';
import type { RangeRunner } from '../core/parallel/protocol.ts';

/** Files below this are read by the analysis worker alone (starting the range workers costs more). */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

function webThread(): RangeThread<Blob> {
  const worker = new Worker(new URL('./range.worker.ts', import.meta.url), { type: 'module' });
  return {
    post: (request) => worker.postMessage(request, request.spare),
    listen(reply, failed) {
      worker.onmessage = (e: MessageEvent<RangeReply>) => reply(e.data);
      worker.onerror = (e) => failed(new Error(e.message || 'range worker failed'));
    },
    terminate: () => worker.terminate(),
  };
}

let pool: RangePool<Blob> | null = null;

/** A runner over the range workers for `file`, or undefined when one thread is better. */
export function pageRangeRunner(file: Blob): RangeRunner | undefined {
  const threads = Math.min(16, self.navigator.hardwareConcurrency || 1);
  if (threads <= 1 || file.size < PARALLEL_MIN_BYTES || typeof Worker === 'undefined') return undefined;
  if (pool?.threads !== threads) {
    pool?.terminate();
    pool = new RangePool(threads, webThread);
  }
  return pool.runner(file);
}
