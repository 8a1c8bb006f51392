import type { StateCreator } from 'zustand';
import type { PageResult, Progress } from '../core/analyze-api.ts';
import type { Connection } from '../core/model/types.ts';
import type { AppState } from './store.ts';

export type CaptureStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

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
   * Connections found so far (provisional while running), then the report's. Appended in place while
   * streaming, so `connectionsVersion` is what tells selectors it changed.
   */
  connections: Connection[];
  connectionsVersion: number;
  /** The whole result (typed-array columns are held by reference, never cloned). */
  result: PageResult | null;
  error: string | null;
  startedAt: number;

  beginCapture(file: Blob, name: string): number;
  addConnections(runId: number, fresh: readonly Connection[]): void;
  setProgress(runId: number, progress: Progress): void;
  finishCapture(runId: number, result: PageResult): void;
  failCapture(runId: number, message: string): void;
  markCancelled(runId: number): void;
  /** An error outside any run (e.g. the demo could not be fetched). */
  showError(message: string): void;
}

export const createCaptureSlice: StateCreator<AppState, [], [], CaptureSlice> = (set, get) => ({
  status: 'idle',
  runId: 0,
  fileName: null,
  fileSize: 0,
  file: null,
  progress: null,
  connections: [],
  connectionsVersion: 0,
  result: null,
  error: null,
  startedAt: 0,

  beginCapture(file, name) {
    const runId = get().runId + 1;
    set({
      status: 'running',
      runId,
      fileName: name,
      fileSize: file.size,
      file,
      progress: null,
      connections: [],
      connectionsVersion: 0,
      result: null,
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
    for (const c of fresh) s.connections.push(c);
    set({ connectionsVersion: s.connectionsVersion + 1 });
  },

  setProgress(runId, progress) {
    if (runId !== get().runId || get().status !== 'running') return;
    set({ progress });
  },

  finishCapture(runId, result) {
    const s = get();
    if (runId !== s.runId || s.status !== 'running') return;
    set({
      status: 'done',
      result,
      connections: result.report.connections,
      connectionsVersion: s.connectionsVersion + 1,
    });
    // Provisional ids stay valid (ids are the connection order), but verdicts were provisional.
    get().reconcileSelection();
    // Open on the first reset, so the ladder and its explanation show at once.
    if (get().selectedConnection === null) {
      const first = result.report.connections.find((c) => c.resets.length > 0);
      if (first) get().selectConnection(first.id);
    }
  },

  failCapture(runId, message) {
    if (runId !== get().runId) return;
    set({ status: 'error', error: message, result: null, connections: [], connectionsVersion: get().connectionsVersion + 1 });
    get().clearSelection();
  },

  markCancelled(runId) {
    if (runId !== get().runId) return;
    set({ status: 'cancelled', result: null, connections: [], connectionsVersion: get().connectionsVersion + 1 });
    get().clearSelection();
  },

  showError(message) {
    set({
      status: 'error',
      runId: get().runId + 1,
      error: message,
      result: null,
      file: null,
      connections: [],
      connectionsVersion: get().connectionsVersion + 1,
    });
    get().clearSelection();
  },
});
