/**
 * A scan's worker thread: hashes a file, and unless its part is already in OUT, analyses it and
 * writes the part. One file at a time; the pool (pool.ts) hands out the next.
 */
import { parentPort } from 'node:worker_threads';
import { hasPart, sha256File, writePart } from './parts.ts';
import { analyzeToRows, errorRows, failureText } from './rows.ts';
import type { ThreadJob, ThreadMessage } from './pool.ts';

const port = parentPort!;
const post = (m: ThreadMessage): void => port.postMessage(m);

port.on('message', (job: ThreadJob) => {
  void handle(job);
});

async function handle(job: ThreadJob): Promise<void> {
  try {
    const sha256 = await sha256File(job.path);
    if (hasPart(job.out, sha256)) {
      post({ type: 'done', id: job.id, sha256, status: 'already', resets: 0, connections: 0 });
      return;
    }
    let rows;
    try {
      rows = await analyzeToRows(job.path, job.file, sha256, job.size, (bytes) => post({ type: 'progress', id: job.id, bytes }));
    } catch (e) {
      const reason = failureText(e);
      if (!job.recordErrors) {
        post({ type: 'done', id: job.id, sha256, status: 'failed', resets: 0, connections: 0, error: reason });
        return;
      }
      rows = errorRows(job.file, sha256, job.size, reason);
    }
    await writePart(job.out, rows);
    post({
      type: 'done',
      id: job.id,
      sha256,
      status: rows.file.error === null ? 'analyzed' : 'error',
      resets: rows.resets.length,
      connections: rows.connections.length,
      ...(rows.file.error === null ? {} : { error: rows.file.error }),
    });
  } catch (e) {
    // The file vanished or OUT is not writable: nothing was recorded.
    post({ type: 'done', id: job.id, sha256: null, status: 'failed', resets: 0, connections: 0, error: failureText(e) });
  }
}
