/**
 * The page's side of the analysis worker (the messages are in protocol.ts). One analysis at a time;
 * cancelling terminates the worker (the only way to stop a tight parse loop at once) and spawns a
 * fresh one.
 */
import * as Comlink from 'comlink';
import type { ListColumns } from '../core/model/list-columns.ts';
import type { Progress } from '../core/analyze-api.ts';
import { CancelledError, type AnalysisEngine, type PageAnalysis, type WorkerApi } from './protocol.ts';
import { ReportAssembler, type ReportBatch } from './report-batches.ts';

function spawn(): { worker: Worker; remote: Comlink.Remote<WorkerApi> } {
  const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), {
    type: 'module',
    name: 'resetscope-analysis',
  });
  return { worker, remote: Comlink.wrap<WorkerApi>(worker) };
}

/** The engine over a worker, spawned on first use (and again after a cancel). */
export function createWorkerEngine(): AnalysisEngine {
  let spawned: ReturnType<typeof spawn> | null = null;
  const current = (): ReturnType<typeof spawn> => (spawned ??= spawn());
  let rejectRunning: ((reason: unknown) => void) | null = null;
  /** Numbers the row queries, so the worker works out only the newest of those waiting. */
  let generation = 0;
  /** Row queries a cancel leaves unanswered (their worker is gone): answered with null then. */
  const waitingRows = new Set<() => void>();

  return {
    analyze(input, name, handlers) {
      return new Promise<PageAnalysis>((resolve, reject) => {
        rejectRunning = reject;
        const callbacks = {
          onProgress: (p: Progress) => handlers.onProgress(p),
          onList: (list: ListColumns) => handlers.onList(list),
        };
        current().remote
          .analyze(input instanceof Blob ? input : Comlink.transfer(input, [input.stream]), name, Comlink.proxy(callbacks))
          .then(resolve, (err: unknown) => reject(toError(err)))
          .finally(() => {
            if (rejectRunning === reject) rejectRunning = null;
          });
      });
    },
    cancel() {
      spawned?.worker.terminate();
      spawned = null;
      const reject = rejectRunning;
      rejectRunning = null;
      reject?.(new CancelledError());
      for (const drop of waitingRows) drop();
      waitingRows.clear();
    },
    connectionRows(query) {
      return new Promise<Uint32Array | null>((resolve, reject) => {
        const drop = (): void => resolve(null);
        waitingRows.add(drop);
        current()
          .remote.connectionRows({ ...query, generation: ++generation })
          .then(resolve, (err: unknown) => reject(toError(err)))
          .finally(() => waitingRows.delete(drop));
      });
    },
    async connection(id) {
      // In batches, each taken in by its own task (see report-batches.ts).
      const assembler = new ReportAssembler();
      const found = await current().remote.connectionDetail(id, Comlink.proxy((batch: ReportBatch) => assembler.add(batch)));
      const connection = assembler.connections[0];
      return found && connection ? { connection, packets: found.packets } : null;
    },
    connectionOfFrame: (frame) => current().remote.connectionOfFrame(frame),
    frameDetail: (frame) => current().remote.frameDetail(frame).catch((err: unknown) => Promise.reject(toError(err))),
    exportCapture: (request) => current().remote.exportCapture(request).catch((err: unknown) => Promise.reject(toError(err))),
    linkCapture: (id, options) => current().remote.linkCapture(id, options).catch((err: unknown) => Promise.reject(toError(err))),
    exportDocument: (request) => current().remote.exportDocument(request).catch((err: unknown) => Promise.reject(toError(err))),
    expertPage: (request) => current().remote.expertPage(request).catch((err: unknown) => Promise.reject(toError(err))),
    endpoints: () => current().remote.endpoints().catch((err: unknown) => Promise.reject(toError(err))),
    followStream: (id, request) => current().remote.followStream(id, request).catch((err: unknown) => Promise.reject(toError(err))),
  };
}

function toError(err: unknown): Error {
  if (err instanceof Error) return err;
  if (typeof err === 'object' && err !== null && 'message' in err) return new Error(String(err.message));
  return new Error(String(err));
}
