/** The one message about links on screen at a time (wrong capture, download progress, failures). */
import { createStore } from 'zustand';

export type LinkNoticeKind = 'info' | 'warning' | 'error';
export interface LinkNotice {
  kind: LinkNoticeKind;
  text: string;
  /** Shown as a button next to the text. */
  action?: { label: string; run: () => void };
  /** Called when the notice is closed with × (not when another replaces it). */
  onDismiss?: () => void;
}

/** Messages about links (wrong capture, download progress and failures), shown by LinkNotice. */
export const linkNotices = createStore<{ notice: LinkNotice | null }>()(() => ({ notice: null }));

export function showLinkNotice(notice: LinkNotice | null): void {
  linkNotices.setState({ notice });
}

/** The × of the notice: whatever it was waiting for is given up (a download is cancelled). */
export function dismissLinkNotice(): void {
  const notice = linkNotices.getState().notice;
  linkNotices.setState({ notice: null });
  notice?.onDismiss?.();
}
