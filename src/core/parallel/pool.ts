/**
 * Threads that read ranges of a capture (range-task.ts), whatever the platform: Node worker threads
 * for the command line (src/cli/ranges), Web Workers in the page (src/worker). A file's ranges are
 * handed out in order, at most one per thread ahead of the one being tracked, so memory stays
 * bounded however large the file.
 */
import type { RangeDone, RangeJob, RangeRunner, RangeSession, RangeTask } from './protocol.ts';

/** What a thread is asked: one range of `file` (a path in Node, the File in the page). */
export interface RangeRequest<F> {
  session: number;
  file: F;
  job: RangeJob;
  task: RangeTask;
  /** Buffers to read windows into (transferred). */
  spare: ArrayBuffer[];
}

export type RangeReply = { session: number; index: number; done: RangeDone; error?: undefined } | { session: number; index: number; error: string; done?: undefined };

/** One thread, as the platform makes it. */
export interface RangeThread<F> {
  /** Sends the request, its spare buffers transferred. */
  post(request: RangeRequest<F>): void;
  /** Called once: `reply` for each answer, `failed` when the thread dies. */
  listen(reply: (r: RangeReply) => void, failed: (e: Error) => void): void;
  /** Told when the thread starts and ends a range (Node lets an idle thread not hold the process). */
  busy?(busy: boolean): void;
  terminate(): void;
}

/** Ranges read ahead of the one being tracked, per thread. */
const AHEAD_PER_THREAD = 1;
/** Window buffers given back and kept for the threads, per thread, and handed with one request. */
const SPARE_PER_THREAD = 8;
const SPARE_PER_REQUEST = 6;

interface Slot<F> {
  thread: RangeThread<F>;
  busy: boolean;
  /** The thread has answered once (so it can start: one that fails before cannot, nor its replacement). */
  answered: boolean;
}

export class RangePool<F> {
  private readonly slots: Slot<F>[] = [];
  private session = 0;
  private file: F | null = null;
  private job: RangeJob | null = null;
  private tasks: RangeTask[] = [];
  /** Next task to hand out, and the one the tracking thread waits for. */
  private next = 0;
  private wanted = 0;
  private readonly results = new Map<number, RangeDone | Error>();
  private readonly waiters = new Map<number, { resolve: (d: RangeDone) => void; reject: (e: Error) => void }>();
  private spare: ArrayBuffer[] = [];
  /** Why the threads cannot start (their module is missing, say): every session fails with it. */
  private broken: Error | null = null;

  constructor(readonly threads: number, private readonly spawnThread: () => RangeThread<F>) {
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot<F> {
    const slot: Slot<F> = { thread: this.spawnThread(), busy: false, answered: false };
    slot.thread.listen(
      (m) => {
        slot.answered = true;
        this.setBusy(slot, false);
        if (m.session === this.session) this.settle(m.index, m.error !== undefined ? new Error(`range thread: ${m.error}`) : m.done);
        this.pump();
      },
      (e) => {
        const index = this.slots.indexOf(slot);
        if (index >= 0) {
          // A thread that never answered would fail again if started again, for ever: not replaced.
          if (slot.answered) this.slots[index] = this.spawn();
          else {
            this.slots.splice(index, 1);
            this.broken = e;
          }
        }
        slot.thread.terminate();
        // The thread's range is lost: whoever waits fails (the analysis reports an internal error).
        for (const [i, w] of this.waiters) {
          this.waiters.delete(i);
          w.reject(e);
        }
        this.session++;
        this.job = null;
      },
    );
    return slot;
  }

  private setBusy(slot: Slot<F>, busy: boolean): void {
    slot.busy = busy;
    slot.thread.busy?.(busy);
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
    if (!this.job || this.file === null) return;
    for (const slot of this.slots) {
      if (slot.busy) continue;
      if (this.next >= this.tasks.length || this.next > this.wanted + AHEAD_PER_THREAD * this.threads) return;
      const task = this.tasks[this.next++]!;
      this.setBusy(slot, true);
      const spare = this.spare.splice(0, SPARE_PER_REQUEST);
      slot.thread.post({ session: this.session, file: this.file, job: this.job, task, spare });
    }
  }

  /** A runner that reads `file` with this pool's threads. */
  runner(file: F): RangeRunner {
    return { threads: this.threads, open: (job, tasks) => this.open(file, job, tasks) };
  }

  private open(file: F, job: RangeJob, tasks: RangeTask[]): RangeSession {
    const broken = this.broken;
    if (broken && this.slots.length === 0) return { result: () => Promise.reject(broken), close() {} };
    const session = ++this.session;
    this.file = file;
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
      recycle: (buffers) => {
        for (const b of buffers) if (b.byteLength > 0 && this.spare.length < SPARE_PER_THREAD * this.threads) this.spare.push(b);
      },
      close: () => {
        if (session !== this.session) return;
        this.session++;
        this.job = null;
        this.file = null;
        this.results.clear();
        this.waiters.clear();
      },
    };
  }

  terminate(): void {
    for (const s of this.slots) s.thread.terminate();
  }
}
