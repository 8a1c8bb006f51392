/**
 * The main thread's handle on the analysis worker. One analysis at a time; cancelling terminates the
 * worker (the only way to stop a tight parse loop at once) and spawns a fresh one.
 */
import * as Comlink from 'comlink';
import type { PageResult, Progress } from '../core/analyze-api.ts';
import type { FrameDetail } from '../core/frame-detail.ts';
import type { Connection } from '../core/model/types.ts';
import type { ListColumns } from '../state/connection-list.ts';
import type { AnalysisWorkerApi } from './analysis.worker.ts';
import { ReportAssembler, type ReportBatch } from './report-batches.ts';

/**
 * The result as the page holds it: the per-packet columns and the report without its connections
 * (they stay in the worker; `AnalysisEngine.connection` fetches one), plus the list's columns.
 */
export interface WorkerResult extends PageResult {
  list: ListColumns;
}

export interface AnalysisHandlers {
  onProgress(progress: Progress): void;
  /** The provisional list of the connections found so far. */
  onList(list: ListColumns): void;
}

/** What the store needs from the worker; tests give the store a fake one. */
export interface AnalysisEngine {
  analyze(file: Blob, name: string, handlers: AnalysisHandlers): Promise<WorkerResult>;
  /** Connection `id` of the running (provisional) or last analysis in full, or null. */
  connection(id: number): Promise<Connection | null>;
  /** Stop the running analysis; its promise rejects with a `CancelledError`. */
  cancel(): void;
  frameDetail(file: Blob, name: string, fileOffset: number, frame: number, linkType: number): Promise<FrameDetail>;
}

export class CancelledError extends Error {
  constructor() {
    super('Analysis cancelled');
    this.name = 'CancelledError';
  }
}

function spawn(): { worker: Worker; remote: Comlink.Remote<AnalysisWorkerApi> } {
  const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), {
    type: 'module',
    name: 'resetscope-analysis',
  });
  return { worker, remote: Comlink.wrap<AnalysisWorkerApi>(worker) };
}

export function createWorkerEngine(): AnalysisEngine {
  let current = spawn();
  let rejectRunning: ((reason: unknown) => void) | null = null;

  return {
    analyze(file, name, handlers) {
      return new Promise<WorkerResult>((resolve, reject) => {
        rejectRunning = reject;
        const callbacks = {
          onProgress: (p: Progress) => handlers.onProgress(p),
          onList: (list: ListColumns) => handlers.onList(list),
        };
        current.remote
          .analyze(file, name, Comlink.proxy(callbacks))
          .then(resolve, (err: unknown) => reject(toError(err)))
          .finally(() => {
            if (rejectRunning === reject) rejectRunning = null;
          });
      });
    },
    cancel() {
      current.worker.terminate();
      current = spawn();
      const reject = rejectRunning;
      rejectRunning = null;
      reject?.(new CancelledError());
    },
    async connection(id) {
      // In batches, each taken in by its own task (see report-batches.ts).
      const assembler = new ReportAssembler();
      const found = await current.remote.connectionDetail(id, Comlink.proxy((batch: ReportBatch) => assembler.add(batch)));
      return found ? (assembler.connections[0] ?? null) : null;
    },
    frameDetail(file, name, fileOffset, frame, linkType) {
      return current.remote.frameDetail(file, name, fileOffset, frame, linkType);
    },
  };
}

function toError(err: unknown): Error {
  if (err instanceof Error) return err;
  if (typeof err === 'object' && err !== null && 'message' in err) return new Error(String(err.message));
  return new Error(String(err));
}
