import '../shared/toast.css';
import { useStore } from 'zustand';
import { dismissLinkNotice, linkNotices } from './notices.ts';

/** Messages about links: another capture than the link's, a capture downloading or failing. */
export function LinkNotice() {
  const notice = useStore(linkNotices, (s) => s.notice);
  if (!notice) return null;
  return (
    <div
      className={`pwa-toast${notice.kind === 'warning' ? ' is-warning' : notice.kind === 'error' ? ' is-error' : ''}`}
      role={notice.kind === 'info' ? 'status' : 'alert'}
      data-testid="link-notice"
      data-kind={notice.kind}
    >
      <span>{notice.text}</span>
      {notice.action ? (
        <button type="button" className="pwa-button" onClick={notice.action.run}>
          {notice.action.label}
        </button>
      ) : null}
      <button type="button" className="pwa-button" onClick={dismissLinkNotice} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
