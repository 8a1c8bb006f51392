/**
 * Worker threads that read ranges of a capture for `analyze` (src/core/parallel): one pool per
 * process, kept between files (a thread takes tens of milliseconds to start) and not keeping the
 * process alive when idle. A file's ranges are handed out in order, at most a few per thread ahead
 * of the one the main thread is tracking, so memory stays bounded however large the file.
 */
import { Worker } from 'node:worker_threads';
import type { RangeDone, RangeJob, RangeRunner, RangeSession, RangeTask } from '../../core/parallel/protocol.ts';

export interface ThreadRequest {
  session: number;
  path: string;
  job: RangeJob;
  task: RangeTask;
}

export type ThreadReply = { session: number; index: number; done: RangeDone; error?: undefined } | { session: number; index: number; error: string; done?: undefined };

/** Ranges read ahead of the one being tracked, per thread. */
const AHEAD_PER_THREAD = 1;

/** The thread's module: the bundle's range-thread.js, or range-thread.ts from the sources (tsx). */
function threadUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./range-thread.ts', import.meta.url) : new URL('./range-thread.js', import.meta.url);
}

function newThread(): Worker {
  const url = threadUrl();
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  // From the sources (npm run analyze): the thread registers the TypeScript loader first.
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true });
}

interface Waiter {
  resolve: (d: RangeDone) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

class RangePool {
  private readonly slots: Slot[] = [];
  private session = 0;
  private path = '';
  private job: RangeJob | null = null;
  private tasks: RangeTask[] = [];
  /** Next task to hand out, and the one the main thread waits for. */
  private next = 0;
  private wanted = 0;
  private readonly results = new Map<number, RangeDone | Error>();
  private readonly waiters = new Map<number, Waiter>();

  constructor(readonly threads: number) {
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: newThread(), busy: false };
    slot.worker.unref();
    slot.worker.on('message', (m: ThreadReply) => {
      slot.busy = false;
      this.idle(slot);
      if (m.session === this.session) this.settle(m.index, m.error !== undefined ? new Error(`range thread: ${m.error}`) : m.done);
      this.pump();
    });
    const die = (e: Error): void => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      // The thread's task is lost: fail whoever waits (the analysis reports an internal error).
      for (const [i, w] of this.waiters) {
        this.waiters.delete(i);
        w.reject(e);
      }
      this.session++;
    };
    slot.worker.on('error', die);
    slot.worker.on('exit', (code) => {
      if (slot.busy) die(new Error(`range thread exited with code ${code}`));
    });
    return slot;
  }

  /** A busy thread keeps the process alive (its answer is awaited); an idle one does not. */
  private idle(slot: Slot): void {
    if (slot.busy) slot.worker.ref();
    else slot.worker.unref();
  }

  private settle(index: number, r: RangeDone | Error): void {
    const w = this.waiters.get(index);
    if (!w) {
      this.results.set(index, r);
      return;
    }
    this.waiters.delete(index);
    if (r instanceof Error) w.reject(r);
    else w.resolve(r);
  }

  private pump(): void {
    if (!this.job) return;
    for (const slot of this.slots) {
      if (slot.busy) continue;
      if (this.next >= this.tasks.length || this.next > this.wanted + AHEAD_PER_THREAD * this.threads) return;
      const task = this.tasks[this.next++]!;
      slot.busy = true;
      this.idle(slot);
      const request: ThreadRequest = { session: this.session, path: this.path, job: this.job, task };
      slot.worker.postMessage(request);
    }
  }

  open(path: string, job: RangeJob, tasks: RangeTask[]): RangeSession {
    this.session++;
    const session = this.session;
    this.path = path;
    this.job = job;
    this.tasks = tasks;
    this.next = 0;
    this.wanted = 0;
    this.results.clear();
    this.waiters.clear();
    this.pump();
    return {
      result: (index) => {
        if (session !== this.session) return Promise.reject(new Error('range session closed'));
        this.wanted = index;
        this.pump();
        const r = this.results.get(index);
        if (r !== undefined) {
          this.results.delete(index);
          return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
        }
        return new Promise<RangeDone>((resolve, reject) => this.waiters.set(index, { resolve, reject }));
      },
      close: () => {
        if (session !== this.session) return;
        this.session++;
        this.job = null;
        this.results.clear();
        this.waiters.clear();
      },
    };
  }

  async terminate(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

let pool: RangePool | null = null;

/** Read the ranges of the file at `path` with `threads` threads (the pool is kept for the next file). */
export function rangeRunner(path: string, threads: number): RangeRunner {
  if (pool?.threads !== threads) {
    void pool?.terminate();
    pool = new RangePool(threads);
  }
  const p = pool;
  return { threads, open: (job, tasks) => p.open(path, job, tasks) };
}
