/**
 * The offline app's browser side: the service worker's update prompt, files launched from the
 * operating system, and the links toolbar, in a layer of their own above the app.
 */
import { StrictMode, type ReactNode } from 'react';
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
// Bottom left, over the ladder's lower end, leaving the explanation readable.
mount('pwa-layer pwa-layer-left', <ShareBar />);
