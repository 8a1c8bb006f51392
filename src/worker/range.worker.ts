/// <reference lib="webworker" />
/**
 * A Web Worker that reads ranges of the capture for the analysis worker (src/core/parallel/pool.ts):
 * it is given the File (slicing a File copies nothing), reads and decodes one range, and posts the
 * packed frames back with their buffers transferred.
 */
import { blobSource } from '../core/capture/source.ts';
import { transferables } from '../core/parallel/packed.ts';
import type { RangeReply, RangeRequest } from '../core/parallel/pool.ts';
import { readRangeTask } from '../core/parallel/range-task.ts';

self.onmessage = (e: MessageEvent<RangeRequest<Blob>>) => {
  const m = e.data;
  readRangeTask(blobSource('', m.file), m.job, m.task, m.spare).then(
    (done) => {
      const reply: RangeReply = { session: m.session, index: m.task.index, done };
      self.postMessage(reply, transferables(done.frames));
    },
    (err: unknown) => {
      const reply: RangeReply = { session: m.session, index: m.task.index, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
      self.postMessage(reply);
    },
  );
};
