/**
 * The app's one store, in slices: capture (the file and the analysis), selection (what is shown),
 * view (filters and sort), display (time format, ladder spacing), rows (what the list shows). The slices do not import each other or this file: each names what it
 * needs of the others, and `AppState` must give it (the compiler checks it here). Components read
 * narrow slices with `useAppStore(selector)`.
 */
import { createStore, useStore, type StoreApi } from 'zustand';
import { createCaptureSlice, type CaptureSlice } from './capture-slice.ts';
import { createDisplaySlice, type DisplaySlice } from './display-slice.ts';
import { createRowsSlice, type RowsSlice } from './rows-slice.ts';
import { createSelectionSlice, type SelectionSlice } from './selection-slice.ts';
import { createViewSlice, type ViewSlice } from './view-slice.ts';

export type AppState = CaptureSlice & SelectionSlice & ViewSlice & DisplaySlice & RowsSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(): AppStore {
  const store = createStore<AppState>()((set, get) => ({
    ...createCaptureSlice(set, get),
    ...createSelectionSlice(set, get),
    ...createViewSlice(set, get),
    ...createDisplaySlice(set, get),
    ...createRowsSlice(set, get),
  }));
  // The list's rows follow the list, the filters and the order, whichever action changed them.
  store.subscribe((s, prev) => {
    if (s.list !== prev.list || s.filters !== prev.filters || s.sort !== prev.sort || s.status !== prev.status || s.rowSource !== prev.rowSource) {
      s.refreshRows();
    }
  });
  return store;
}

/** The store the app renders from. */
export const appStore = createAppStore();

export function useAppStore<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}
