import { firstResetFrame, hasResetFrame, type ListColumns } from '../core/model/list-columns.ts';
import type { FrameNumber } from '../core/model/types.ts';
import type { ConnectionDetail } from '../worker/protocol.ts';

export interface SelectionSlice {
  /** Connection id shown in the ladder. */
  selectedConnection: number | null;
  /**
   * The selected connection in full (per-direction stats, every verdict) with its packets, or null
   * while it is fetched from the worker: the page's list holds only what the list shows.
   */
  selectedDetail: ConnectionDetail | null;
  /** Frame of the RST shown in the explanation panel. */
  selectedReset: FrameNumber | null;
  /** Frame highlighted (and scrolled to) in the ladder, e.g. from an evidence link. */
  highlightedFrame: FrameNumber | null;
  /** Bumped on every highlight request, so asking twice for the same frame scrolls again. */
  highlightSerial: number;
  /** Frame whose decoded fields are shown in the packet details panel. */
  detailFrame: FrameNumber | null;

  selectConnection(id: number | null): void;
  selectReset(frame: FrameNumber | null): void;
  highlightFrame(frame: FrameNumber | null): void;
  showFrameDetail(frame: FrameNumber | null): void;
  clearSelection(): void;
  /** After the final report replaces the provisional connections: keep what still exists. */
  reconcileSelection(): void;
}

/** What the selection reads of the capture slice. */
interface SelectionNeeds {
  list: ListColumns;
  runId: number;
  connectionSource: ((id: number) => Promise<ConnectionDetail | null>) | null;
}

export function createSelectionSlice(
  set: (patch: Partial<SelectionSlice>) => void,
  get: () => SelectionSlice & SelectionNeeds,
): SelectionSlice {
  /** Serial of the latest request, so only its answer is taken (an older one may come later). */
  let request = 0;
  /** Fetch the selected connection in full (from the worker: the page holds only the list). */
  const loadDetail = (id: number): void => {
    const s = get();
    set({ selectedDetail: null });
    const source = s.connectionSource;
    if (!source) return;
    const serial = ++request;
    const { runId } = s;
    source(id).then(
      (detail) => {
        const now = get();
        if (serial === request && now.runId === runId && now.selectedConnection === id && detail?.connection.id === id) set({ selectedDetail: detail });
      },
      () => {
        // The worker was replaced (a new file, a cancel): the selection was cleared with it.
      },
    );
  };

  return {
    selectedConnection: null,
    selectedDetail: null,
    selectedReset: null,
    highlightedFrame: null,
    highlightSerial: 0,
    detailFrame: null,

    selectConnection(id) {
      if (id === get().selectedConnection) return;
      const { list } = get();
      const ok = id !== null && Number.isInteger(id) && id >= 0 && id < list.count;
      set({
        selectedConnection: ok ? id : null,
        selectedReset: ok ? firstResetFrame(list, id) : null,
        selectedDetail: null,
        highlightedFrame: null,
        detailFrame: null,
      });
      if (ok) loadDetail(id);
    },

    selectReset(frame) {
      set({ selectedReset: frame });
    },

    highlightFrame(frame) {
      set({ highlightedFrame: frame, highlightSerial: get().highlightSerial + 1 });
    },

    showFrameDetail(frame) {
      set({ detailFrame: frame });
    },

    clearSelection() {
      set({ selectedConnection: null, selectedDetail: null, selectedReset: null, highlightedFrame: null, detailFrame: null });
    },

    reconcileSelection() {
      const { selectedConnection, selectedReset, list } = get();
      if (selectedConnection === null) return;
      if (selectedConnection >= list.count) {
        get().clearSelection();
        return;
      }
      if (selectedReset === null || !hasResetFrame(list, selectedConnection, selectedReset)) {
        set({ selectedReset: firstResetFrame(list, selectedConnection) });
      }
      loadDetail(selectedConnection);
    },
  };
}
