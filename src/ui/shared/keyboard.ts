/** Page-wide keyboard shortcuts, and when they must stay out of the way. */
import { useEffect, useRef } from 'react';

/** True when keys typed go into a field (text input, text area, select, editable content). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'file', 'color'].includes(target.type);
}

/**
 * Call `handler` for a key pressed anywhere on the page, unless a field has the focus, a modifier is
 * held, or a control already handled it. The handler returns true when it used the key.
 */
export function usePageKey(keys: readonly string[], handler: (e: KeyboardEvent) => boolean, enabled = true): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  const list = keys.join('\n');
  useEffect(() => {
    if (!enabled) return;
    const wanted = new Set(list.split('\n'));
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || !wanted.has(e.key) || isTypingTarget(e.target)) return;
      if (latest.current(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [list, enabled]);
}
