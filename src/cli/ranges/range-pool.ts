/**
 * The command line's range threads (src/core/parallel/pool.ts over Node worker threads): one pool
 * per process, kept between files (a thread takes tens of milliseconds to start), an idle thread
 * not keeping the process alive.
 */
import { Worker } from 'node:worker_threads';
import { RangePool, type RangeReply, type RangeThread } from '../../core/parallel/pool.ts';
import type { RangeRunner } from '../../core/parallel/protocol.ts';

/** The thread's module: the bundle's range-thread.js, or range-thread.ts from the sources (tsx). */
function threadUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./range-thread.ts', import.meta.url) : new URL('./range-thread.js', import.meta.url);
}

function newWorker(): Worker {
  const url = threadUrl();
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  // From the sources (npm run analyze): the thread registers the TypeScript loader first.
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true });
}

function nodeThread(): RangeThread<string> {
  const worker = newWorker();
  worker.unref();
  let busy = false;
  return {
    post: (request) => worker.postMessage(request, request.spare),
    listen(reply, failed) {
      worker.on('message', (m: RangeReply) => reply(m));
      worker.on('error', failed);
      worker.on('exit', (code) => {
        if (busy) failed(new Error(`range thread exited with code ${code}`));
      });
    },
    busy(b) {
      busy = b;
      // A busy thread's answer is awaited: it keeps the process alive; an idle one does not.
      if (b) worker.ref();
      else worker.unref();
    },
    terminate: () => void worker.terminate(),
  };
}

let pool: RangePool<string> | null = null;

/** Read the ranges of the file at `path` with `threads` threads (the pool is kept for the next file). */
export function rangeRunner(path: string, threads: number): RangeRunner {
  if (pool?.threads !== threads) {
    pool?.terminate();
    pool = new RangePool(threads, nodeThread);
  }
  return pool.runner(path);
}
