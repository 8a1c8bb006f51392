import './ErrorBanner.css';
import { useAppStore } from '../../state/store.ts';

export function ErrorBanner() {
  const status = useAppStore((s) => s.status);
  const error = useAppStore((s) => s.error);
  if (status === 'cancelled') {
    return (
      <div className="banner banner-info" role="status">
        Analysis cancelled. Open another capture or try the demo.
      </div>
    );
  }
  if (status !== 'error' || !error) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="error">
      <strong>That file could not be opened.</strong> {error} Resetscope reads pcap and pcapng captures, optionally gzip-compressed.
    </div>
  );
}
