/**
 * The offline app's browser side: the service worker's update prompt, files launched from the
 * operating system, and the links toolbar, in a layer of their own above the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startUrlSync } from '../state/url-sync.ts';
import { appStore } from '../state/store.ts';
import { openFile } from '../ui/app/engine.ts';
import { consumeLaunchQueue } from './launch-queue.ts';
import { LinkNotice } from './LinkNotice.tsx';
import { ShareBar } from './ShareBar.tsx';
import { UpdatePrompt } from './UpdatePrompt.tsx';
import './pwa.css';

consumeLaunchQueue(openFile);
startUrlSync({ store: appStore, openFile });

const layer = document.createElement('div');
layer.className = 'pwa-layer';
document.body.append(layer);
createRoot(layer).render(
  <StrictMode>
    <LinkNotice />
    <ShareBar />
    <UpdatePrompt />
  </StrictMode>,
);
