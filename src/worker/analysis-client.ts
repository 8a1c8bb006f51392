/**
 * The main thread's handle on the analysis worker. One analysis at a time; cancelling terminates the
 * worker (the only way to stop a tight parse loop at once) and spawns a fresh one.
 */
import * as Comlink from 'comlink';
import type { PageResult, Progress } from '../core/analyze-api.ts';
import type { FrameDetail } from '../core/frame-detail.ts';
import type { Connection } from '../core/model/types.ts';
import type { AnalysisWorkerApi } from './analysis.worker.ts';
import { ReportAssembler, type ReportBatch } from './report-batches.ts';

export interface AnalysisHandlers {
  onProgress(progress: Progress): void;
  onConnections(fresh: Connection[]): void;
}

/** What the store needs from the worker; tests give the store a fake one. */
export interface AnalysisEngine {
  analyze(file: Blob, name: string, handlers: AnalysisHandlers): Promise<PageResult>;
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
      return new Promise<PageResult>((resolve, reject) => {
        rejectRunning = reject;
        const assembler = new ReportAssembler();
        const callbacks = {
          onProgress: (p: Progress) => handlers.onProgress(p),
          onConnections: (fresh: Connection[]) => handlers.onConnections(fresh),
          onReportBatch: (batch: ReportBatch) => assembler.add(batch),
        };
        current.remote
          .analyze(file, name, Comlink.proxy(callbacks))
          .then(
            (result) => resolve({ ...result, report: { ...result.report, connections: assembler.connections } }),
            (err: unknown) => reject(toError(err)),
          )
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
