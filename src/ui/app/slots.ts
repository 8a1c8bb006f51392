/**
 * Places in the app's own layout where other layers (the PWA/links layer) put their controls, so
 * nothing has to float over the panels: `addToSlot('connection-actions', ShareBar)` renders ShareBar
 * in the ladder's header, next to the zoom, whenever a connection is shown.
 */
import { useSyncExternalStore, type ComponentType } from 'react';

export type SlotName = 'connection-actions';

const slots = new Map<SlotName, readonly ComponentType[]>();
const listeners = new Set<() => void>();
const EMPTY: readonly ComponentType[] = [];

/** Render `component` in `slot`; returns a function that removes it. */
export function addToSlot(slot: SlotName, component: ComponentType): () => void {
  slots.set(slot, [...(slots.get(slot) ?? EMPTY), component]);
  listeners.forEach((l) => l());
  return () => {
    slots.set(slot, (slots.get(slot) ?? EMPTY).filter((c) => c !== component));
    listeners.forEach((l) => l());
  };
}

export function slotContents(slot: SlotName): readonly ComponentType[] {
  return slots.get(slot) ?? EMPTY;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSlot(slot: SlotName): readonly ComponentType[] {
  return useSyncExternalStore(
    subscribe,
    () => slotContents(slot),
    () => slotContents(slot),
  );
}
