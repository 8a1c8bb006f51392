import type { Progress } from '../core/analyze-api.ts';
import { EMPTY_LIST, type ListColumns } from '../core/model/list-columns.ts';
import type { CaptureInput, ConnectionDetail, PageAnalysis, RowQuery } from '../worker/protocol.ts';

export type CaptureStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

/** Fetches one connection in full from where they are kept (the worker), for the selection. */
export type ConnectionSource = (id: number) => Promise<ConnectionDetail | null>;

/** Works out the list's rows of the finished analysis where it is kept (the worker); null if it gave up. */
export type RowSource = (query: RowQuery) => Promise<Uint32Array | null>;

export interface CaptureSlice {
  status: CaptureStatus;
  /** Increments with every opened file; late messages from an older run are ignored. */
  runId: number;
  fileName: string | null;
  fileSize: number;
  /** What was opened: a file, or a download the analysis reads as it arrives. */
  file: CaptureInput | null;
  progress: Progress | null;
  /**
   * What the list shows of every connection, as columns: the connections found so far while running
   * (provisional), then the report's. A new object whenever it changes.
   */
  list: ListColumns;
  /** The connections in full, one at a time (provisional ones while running). */
  connectionSource: ConnectionSource | null;
  /** The list's rows of the finished analysis, filtered and sorted (state/rows-slice.ts). */
  rowSource: RowSource | null;
  /** The finished analysis as the page holds it (typed-array columns by reference; no packet table). */
  result: PageAnalysis | null;
  error: string | null;
  startedAt: number;

  beginCapture(file: CaptureInput, name: string, source?: ConnectionSource, rows?: RowSource): number;
  /** The provisional list of a running analysis. */
  setList(runId: number, list: ListColumns): void;
  setProgress(runId: number, progress: Progress): void;
  finishCapture(runId: number, result: PageAnalysis): void;
  failCapture(runId: number, message: string): void;
  markCancelled(runId: number): void;
  /** An error outside any run (e.g. the demo could not be fetched). */
  showError(message: string): void;
}

/** What the capture slice asks of the other slices when a capture begins, ends or fails. */
interface CaptureNeeds {
  resetView(): void;
  clearSelection(): void;
  reconcileSelection(): void;
  selectConnection(id: number | null): void;
  selectedConnection: number | null;
}

/** No capture: nothing listed, nothing held. */
const EMPTY = { list: EMPTY_LIST, connectionSource: null, rowSource: null, result: null } as const;

export function createCaptureSlice(set: (patch: Partial<CaptureSlice>) => void, get: () => CaptureSlice & CaptureNeeds): CaptureSlice {
  return {
    status: 'idle',
    runId: 0,
    fileName: null,
    fileSize: 0,
    file: null,
    progress: null,
    ...EMPTY,
    error: null,
    startedAt: 0,

    beginCapture(file, name, source, rows) {
      const runId = get().runId + 1;
      set({
        status: 'running',
        runId,
        fileName: name,
        fileSize: file.size,
        file,
        progress: null,
        ...EMPTY,
        connectionSource: source ?? null,
        rowSource: rows ?? null,
        error: null,
        startedAt: Date.now(),
      });
      get().resetView();
      get().clearSelection();
      return runId;
    },

    setList(runId, list) {
      if (runId !== get().runId || get().status !== 'running') return;
      set({ list });
    },

    setProgress(runId, progress) {
      if (runId !== get().runId || get().status !== 'running') return;
      set({ progress });
    },

    finishCapture(runId, result) {
      const s = get();
      if (runId !== s.runId || s.status !== 'running') return;
      set({ status: 'done', result, list: result.list });
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
      set({ status: 'error', error: message, ...EMPTY });
      get().clearSelection();
    },

    markCancelled(runId) {
      if (runId !== get().runId) return;
      set({ status: 'cancelled', ...EMPTY });
      get().clearSelection();
    },

    showError(message) {
      set({ status: 'error', runId: get().runId + 1, error: message, file: null, ...EMPTY });
      get().clearSelection();
    },
  };
}
