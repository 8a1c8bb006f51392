import './SharedNotice.css';
import { useAppStore } from '../../state/store.ts';
import { sharedNotice } from './shared-origin.ts';

/** Above the verdict: this capture is one connection shared from another, and whose numbers are shown. */
export function SharedNotice() {
  const report = useAppStore((s) => s.result?.report ?? null);
  const notice = report ? sharedNotice(report) : null;
  if (!notice) return null;
  return (
    <p className={`shared-notice is-${notice.kind}`} role="note" data-testid="shared-notice" data-kind={notice.kind}>
      {notice.text}
    </p>
  );
}
