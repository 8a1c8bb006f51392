import type { StateCreator } from 'zustand';
import type { FrameNumber } from '../core/model/types.ts';
import type { AppState } from './store.ts';

export interface SelectionSlice {
  /** Connection id shown in the ladder. */
  selectedConnection: number | null;
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

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set, get) => ({
  selectedConnection: null,
  selectedReset: null,
  highlightedFrame: null,
  highlightSerial: 0,
  detailFrame: null,

  selectConnection(id) {
    if (id === get().selectedConnection) return;
    const conn = id === null ? undefined : get().connections[id];
    set({
      selectedConnection: conn ? id : null,
      selectedReset: conn?.resets[0]?.frame ?? null,
      highlightedFrame: null,
      detailFrame: null,
    });
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
    set({ selectedConnection: null, selectedReset: null, highlightedFrame: null, detailFrame: null });
  },

  reconcileSelection() {
    const { selectedConnection, selectedReset, connections } = get();
    if (selectedConnection === null) return;
    const conn = connections[selectedConnection];
    if (!conn) {
      get().clearSelection();
      return;
    }
    if (selectedReset === null || !conn.resets.some((r) => r.frame === selectedReset)) {
      set({ selectedReset: conn.resets[0]?.frame ?? null });
    }
  },
});
