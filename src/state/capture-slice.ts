import type { StateCreator } from 'zustand';
import type { Progress } from '../core/analyze-api.ts';
import type { Connection } from '../core/model/types.ts';
import type { WorkerResult } from '../worker/analysis-client.ts';
import { ConnectionListBuilder, EMPTY_LIST, type ListColumns } from './connection-list.ts';
import type { AppState } from './store.ts';

export type CaptureStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

/** Fetches one connection in full (from the worker, which keeps them). */
export type ConnectionSource = (id: number) => Promise<Connection | null>;

export interface CaptureSlice {
  status: CaptureStatus;
  /** Increments with every opened file; late messages from an older run are ignored. */
  runId: number;
  fileName: string | null;
  fileSize: number;
  /** The opened file, kept to read single frames back on demand. */
  file: Blob | null;
  progress: Progress | null;
  /**
   * What the list shows of every connection, as columns: the connections found so far while running
   * (provisional), then the report's. A new object whenever it changes.
   */
  list: ListColumns;
  /**
   * While running, the provisional connections streamed so far, whole (at most a few ten thousand):
   * the details of a selected one. Empty once the analysis is done; the worker then keeps them.
   */
  provisional: Connection[];
  /** The report's connections in full, one at a time, once the analysis is done. */
  connectionSource: ConnectionSource | null;
  /** The result (typed-array columns are held by reference, never cloned; no connection objects). */
  result: WorkerResult | null;
  error: string | null;
  startedAt: number;

  beginCapture(file: Blob, name: string): number;
  addConnections(runId: number, fresh: readonly Connection[]): void;
  setProgress(runId: number, progress: Progress): void;
  finishCapture(runId: number, result: WorkerResult, source?: ConnectionSource): void;
  failCapture(runId: number, message: string): void;
  markCancelled(runId: number): void;
  /** An error outside any run (e.g. the demo could not be fetched). */
  showError(message: string): void;
}

/** No capture: nothing listed, nothing held. */
function empty(): Pick<CaptureSlice, 'list' | 'provisional' | 'connectionSource' | 'result'> {
  return { list: EMPTY_LIST, provisional: [], connectionSource: null, result: null };
}

export const createCaptureSlice: StateCreator<AppState, [], [], CaptureSlice> = (set, get) => {
  /** Builds the provisional list while streaming; belongs to one run. */
  let streaming: { runId: number; builder: ConnectionListBuilder } | null = null;
  return {
    status: 'idle',
    runId: 0,
    fileName: null,
    fileSize: 0,
    file: null,
    progress: null,
    ...empty(),
    error: null,
    startedAt: 0,

    beginCapture(file, name) {
      const runId = get().runId + 1;
      streaming = null;
      set({
        status: 'running',
        runId,
        fileName: name,
        fileSize: file.size,
        file,
        progress: null,
        ...empty(),
        error: null,
        startedAt: Date.now(),
      });
      get().resetView();
      get().clearSelection();
      return runId;
    },

    addConnections(runId, fresh) {
      const s = get();
      if (runId !== s.runId || s.status !== 'running' || fresh.length === 0) return;
      if (streaming?.runId !== runId) streaming = { runId, builder: new ConnectionListBuilder() };
      const { builder } = streaming;
      const provisional = s.provisional.slice();
      for (const c of fresh) {
        if (c.id !== builder.length) continue; // ids arrive in order; anything else is not for this list
        builder.append(c);
        provisional.push(c);
      }
      set({ list: builder.columns(), provisional });
    },

    setProgress(runId, progress) {
      if (runId !== get().runId || get().status !== 'running') return;
      set({ progress });
    },

    finishCapture(runId, result, source) {
      const s = get();
      if (runId !== s.runId || s.status !== 'running') return;
      streaming = null;
      set({ status: 'done', result, list: result.list, provisional: [], connectionSource: source ?? null });
      // Provisional ids stay valid (ids are the connection order), but verdicts were provisional.
      get().reconcileSelection();
      // Open on the first reset, so the ladder and its explanation show at once.
      if (get().selectedConnection === null) {
        const { resetStart, count } = result.list;
        for (let id = 0; id < count; id++) {
          if (resetStart[id + 1]! > resetStart[id]!) {
            get().selectConnection(id);
            break;
          }
        }
      }
    },

    failCapture(runId, message) {
      if (runId !== get().runId) return;
      streaming = null;
      set({ status: 'error', error: message, ...empty() });
      get().clearSelection();
    },

    markCancelled(runId) {
      if (runId !== get().runId) return;
      streaming = null;
      set({ status: 'cancelled', ...empty() });
      get().clearSelection();
    },

    showError(message) {
      streaming = null;
      set({ status: 'error', runId: get().runId + 1, error: message, file: null, ...empty() });
      get().clearSelection();
    },
  };
};
