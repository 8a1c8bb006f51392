/**
 * The composition root: one store, one analysis engine (a worker, spawned on first use), the actions
 * over them, the links and launch handlers, and one React root.
 */
// The tokens and base styles first: each component's own stylesheet comes after them.
import './ui/shared/theme.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { consumeLaunchQueue } from './pwa/launch-queue.ts';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import { appStore } from './state/store.ts';
import { createAppActions } from './ui/app/actions.ts';
import { App } from './ui/app/App.tsx';
import { goToFrame } from './ui/app/go-to-frame.ts';
import { AppServicesProvider } from './ui/app/services.tsx';
import { startTimeReference } from './ui/app/time-reference.ts';
import { LinkNotice } from './ui/links/LinkNotice.tsx';
import { showLinkNotice } from './ui/links/notices.ts';
import { startUrlSync } from './ui/links/url-sync.ts';
import { createWorkerEngine } from './worker/analysis-client.ts';

const engine = createWorkerEngine();
const actions = createAppActions(appStore, engine);
consumeLaunchQueue(actions.openFile, (message) => appStore.getState().showError(message));
startUrlSync({ store: appStore, openFile: actions.openFile, goToFrame: (frame) => void goToFrame(appStore, engine, frame) });
startTimeReference(appStore, engine, (frame) =>
  showLinkNotice({ kind: 'warning', text: `Frame ${frame} is not a TCP frame of this capture: times are not shown relative to it.` }),
);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <AppServicesProvider services={{ engine, actions }}>
      <App />
      {/* Messages in a corner, over the panels: about links, and about a new version. */}
      <div className="pwa-layer">
        <LinkNotice />
        <UpdatePrompt />
      </div>
    </AppServicesProvider>
  </StrictMode>,
);
