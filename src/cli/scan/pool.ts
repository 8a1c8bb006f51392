/**
 * A pool of worker threads (one per core by default), each analysing one file at a time into a
 * part (thread.ts). Used by `scan` on one machine and by `worker` for the jobs of a queue.
 */
import { Worker } from 'node:worker_threads';

export interface ThreadJob {
  id: number;
  /** Where to read the file. */
  path: string;
  /** The name the tables give it. */
  file: string;
  size: number;
  out: string;
  /** Write a part with the error when the file cannot be analysed (else report the failure only). */
  recordErrors: boolean;
}

export interface ThreadResult {
  sha256: string | null;
  /** analyzed / error: a part was written; already: the part was there; failed: nothing written. */
  status: 'analyzed' | 'already' | 'error' | 'failed';
  resets: number;
  connections: number;
  error?: string;
}

export type ThreadMessage =
  | ({ type: 'done'; id: number } & ThreadResult)
  | { type: 'progress'; id: number; bytes: number };

/** The thread's module: the bundle's scan-thread.js, or thread.ts when run from the sources (tsx). */
function threadUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./thread.ts', import.meta.url) : new URL('./scan-thread.js', import.meta.url);
}

function newThread(): Worker {
  const url = threadUrl();
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  // From the sources (npm run analyze): the thread registers the TypeScript loader first.
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true });
}

interface Slot {
  worker: Worker;
  job: ThreadJob | null;
  resolve: ((r: ThreadResult) => void) | null;
  reject: ((e: Error) => void) | null;
}

export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: { job: ThreadJob; resolve: (r: ThreadResult) => void; reject: (e: Error) => void }[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly onProgress?: (job: ThreadJob, bytes: number) => void,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = newThread();
    const slot: Slot = { worker, job: null, resolve: null, reject: null };
    worker.on('message', (m: ThreadMessage) => {
      if (m.type === 'progress') {
        if (slot.job && slot.job.id === m.id) this.onProgress?.(slot.job, m.bytes);
        return;
      }
      const resolve = slot.resolve;
      slot.job = null;
      slot.resolve = slot.reject = null;
      const { type: _t, id: _i, ...result } = m;
      resolve?.(result);
      this.pump();
    });
    const die = (e: Error): void => {
      const reject = slot.reject;
      slot.job = null;
      slot.resolve = slot.reject = null;
      reject?.(e);
      if (this.closed) return;
      // A thread that died (out of memory on a hostile file) is replaced; its file fails.
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      this.pump();
    };
    worker.on('error', die);
    worker.on('exit', (code) => {
      if (!this.closed && (slot.job || code !== 0)) die(new Error(`analysis thread exited with code ${code}`));
    });
    return slot;
  }

  run(job: Omit<ThreadJob, 'id'>): Promise<ThreadResult> {
    if (this.closed) return Promise.reject(new Error('pool closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ job: { ...job, id: this.nextId++ }, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.waiting.length === 0) continue;
      const next = this.waiting.shift()!;
      slot.job = next.job;
      slot.resolve = next.resolve;
      slot.reject = next.reject;
      slot.worker.postMessage(next.job);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
