/**
 * The app's one store, in slices: capture (the file and the analysis), selection (what is shown),
 * view (filters and sort), display (time format, ladder spacing). The slices do not import each other or this file: each names what it
 * needs of the others, and `AppState` must give it (the compiler checks it here). Components read
 * narrow slices with `useAppStore(selector)`.
 */
import { createStore, useStore, type StoreApi } from 'zustand';
import { createCaptureSlice, type CaptureSlice } from './capture-slice.ts';
import { createDisplaySlice, type DisplaySlice } from './display-slice.ts';
import { createSelectionSlice, type SelectionSlice } from './selection-slice.ts';
import { createViewSlice, type ViewSlice } from './view-slice.ts';

export type AppState = CaptureSlice & SelectionSlice & ViewSlice & DisplaySlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createCaptureSlice(set, get),
    ...createSelectionSlice(set, get),
    ...createViewSlice(set, get),
    ...createDisplaySlice(set, get),
  }));
}

/** The store the app renders from. */
export const appStore = createAppStore();

export function useAppStore<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}
