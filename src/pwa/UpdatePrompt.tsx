import '../ui/shared/toast.css';
import { useEffect } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';

/** "Update available — reload" when a new version has been deployed and is waiting. */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      // Tests wait on this instead of sleeping: the app is cached once the worker is active.
      void navigator.serviceWorker.ready.then(() => {
        document.documentElement.dataset.sw = registration?.active ? 'active' : 'ready';
      });
    },
  });
  useEffect(() => {
    if (!offlineReady) return;
    // Good to know once, not worth a permanent toast.
    const timer = setTimeout(() => setOfflineReady(false), 6000);
    return () => clearTimeout(timer);
  }, [offlineReady, setOfflineReady]);
  if (needRefresh) {
    return (
      <div className="pwa-toast" role="status" data-testid="update-prompt">
        <span>Update available.</span>
        <button type="button" className="pwa-button pwa-primary" onClick={() => void updateServiceWorker(true)}>
          Reload
        </button>
        <button type="button" className="pwa-button" onClick={() => setNeedRefresh(false)}>
          Later
        </button>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div className="pwa-toast" role="status" data-testid="offline-ready">
        <span>Resetscope now works offline.</span>
        <button type="button" className="pwa-button" onClick={() => setOfflineReady(false)}>
          OK
        </button>
      </div>
    );
  }
  return null;
}
