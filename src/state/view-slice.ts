import { DEFAULT_SORT, NO_FILTERS, type ConnectionFilters, type SortKey, type SortState } from '../core/model/connection-rows.ts';

export interface ViewSlice {
  filters: ConnectionFilters;
  sort: SortState;

  setFilters(patch: Partial<ConnectionFilters>): void;
  clearFilters(): void;
  /** A header click: ascending, then descending, then back to the default order. */
  toggleSort(key: SortKey): void;
  setSort(sort: SortState): void;
  resetView(): void;
}

export function createViewSlice(set: (patch: Partial<ViewSlice>) => void, get: () => ViewSlice): ViewSlice {
  return {
    filters: NO_FILTERS,
    sort: DEFAULT_SORT,

    setFilters(patch) {
      set({ filters: { ...get().filters, ...patch } });
    },
    clearFilters() {
      set({ filters: NO_FILTERS });
    },
    toggleSort(key) {
      const { sort } = get();
      if (sort.key !== key) set({ sort: { key, desc: false } });
      else if (!sort.desc) set({ sort: { key, desc: true } });
      else set({ sort: DEFAULT_SORT });
    },
    setSort(sort) {
      set({ sort });
    },
    resetView() {
      set({ filters: NO_FILTERS, sort: DEFAULT_SORT });
    },
  };
}
