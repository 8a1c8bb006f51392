/**
 * A thread that reads ranges of a capture for the command line (range-pool.ts): it opens the file
 * itself (no bytes pass through the main thread on the way in), reads and decodes one range, and
 * posts the packed frames back with their buffers transferred.
 */
import { parentPort } from 'node:worker_threads';
import { transferables } from '../../core/parallel/packed.ts';
import type { RangeReply, RangeRequest } from '../../core/parallel/pool.ts';
import { readRangeTask } from '../../core/parallel/range-task.ts';
import { fileSource } from '../file-source.ts';

const port = parentPort!;

port.on('message', (m: RangeRequest<string>) => {
  void handle(m);
});

async function handle(m: RangeRequest<string>): Promise<void> {
  let source;
  try {
    source = await fileSource(m.file);
    const done = await readRangeTask(source, m.job, m.task, m.spare);
    const reply: RangeReply = { session: m.session, index: m.task.index, done };
    port.postMessage(reply, transferables(done.frames));
  } catch (e) {
    const reply: RangeReply = { session: m.session, index: m.task.index, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    port.postMessage(reply);
  } finally {
    await source?.close();
  }
}
