/**
 * The offline app's browser side: the service worker's update prompt, files launched from the
 * operating system, and the links toolbar, in a layer of their own above the app.
 */
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { startUrlSync } from '../state/url-sync.ts';
import { appStore } from '../state/store.ts';
import { openFile } from '../ui/app/engine.ts';
import { addToSlot } from '../ui/app/slots.ts';
import { consumeLaunchQueue } from './launch-queue.ts';
import { LinkNotice } from './LinkNotice.tsx';
import { ShareBar } from './ShareBar.tsx';
import { UpdatePrompt } from './UpdatePrompt.tsx';
import './pwa.css';

consumeLaunchQueue(openFile);
startUrlSync({ store: appStore, openFile });

/** A layer of our own, so the app's tree is left alone; `where` picks the corner. */
function mount(className: string, node: ReactNode): void {
  const layer = document.createElement('div');
  layer.className = className;
  document.body.append(layer);
  createRoot(layer).render(<StrictMode>{node}</StrictMode>);
}

mount(
  'pwa-layer',
  <>
    <LinkNotice />
    <UpdatePrompt />
  </>,
);
// In the ladder's header, next to the zoom, whenever a connection is shown.
addToSlot('connection-actions', ShareBar);
