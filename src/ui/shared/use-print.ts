/** Whether the page is being printed (or shown as printed): the print media query, kept current. */
import { useSyncExternalStore } from 'react';

const query = typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia('print') : null;

function subscribe(onChange: () => void): () => void {
  if (!query) return () => {};
  query.addEventListener('change', onChange);
  // Some browsers only say so through the print events.
  window.addEventListener('beforeprint', onChange);
  window.addEventListener('afterprint', onChange);
  return () => {
    query.removeEventListener('change', onChange);
    window.removeEventListener('beforeprint', onChange);
    window.removeEventListener('afterprint', onChange);
  };
}

export function usePrinting(): boolean {
  return useSyncExternalStore(subscribe, () => query?.matches ?? false, () => false);
}
