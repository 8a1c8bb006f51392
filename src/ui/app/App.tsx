import './App.css';
import { useCallback, useEffect } from 'react';
import { appStore, useAppStore } from '../../state/store.ts';
import { OverviewCharts } from '../charts/OverviewCharts.tsx';
import { ExplanationPanel } from '../explain/ExplanationPanel.tsx';
import { CaptureTabs } from '../insights/CaptureTabs.tsx';
import { ConnectionExpert } from '../insights/ConnectionExpert.tsx';
import { LadderPanel } from '../ladder/LadderPanel.tsx';
import { ErrorBanner } from './ErrorBanner.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { OpenButtons } from './OpenButtons.tsx';
import { ProgressPanel } from './ProgressPanel.tsx';
import { useAppActions } from './services.tsx';
import { SummaryBar } from './SummaryBar.tsx';
import { TimeControls } from './TimeControls.tsx';
import { useFileDrop } from './use-file-drop.ts';
import { Welcome } from './Welcome.tsx';
import { shownFileName } from '../links/shared-origin.ts';
// Last: the print rules override every panel's own.
import './print.css';

/** Tests and scripts wait on `body[data-analysis="done"]` (or "error"), never on sleeps. */
function useAnalysisSignal(): void {
  const status = useAppStore((s) => s.status);
  useEffect(() => {
    document.body.dataset.analysis = status;
  }, [status]);
}

export function App() {
  const status = useAppStore((s) => s.status);
  // A shared connection shows the name of the capture it comes from.
  const fileName = useAppStore(shownFileName);
  const hasWorkspace = status === 'running' || status === 'done';
  const { openDemo, openFile } = useAppActions();
  const onDrop = useCallback((file: File) => openFile(file, file.name), [openFile]);
  const dragging = useFileDrop(onDrop);
  useAnalysisSignal();
  const resetView = useCallback(() => {
    appStore.getState().resetView();
    appStore.getState().clearSelection();
  }, []);

  useEffect(() => {
    // `npm start` opens /#demo so a newcomer sees a full analysis at once.
    if (window.location.hash === '#demo') void openDemo();
  }, [openDemo]);

  return (
    <div className={`app${hasWorkspace ? ' has-workspace' : ''}`}>
      <header className="topbar">
        <div className="brand">
          <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
            <rect width="32" height="32" rx="7" className="brand-bg" />
            <path d="M9 7v18M23 7v18" className="brand-life" />
            <path d="M9 11l14 4M23 19L9 23" className="brand-arrow" />
            <circle cx="16" cy="21" r="3.2" className="brand-rst" />
          </svg>
          <span className="brand-name">Resetscope</span>
        </div>
        {hasWorkspace && fileName ? (
          <span className="topbar-file" title={fileName} data-testid="file-name">
            {fileName}
          </span>
        ) : null}
        {status === 'done' ? <TimeControls /> : null}
        <div className="topbar-actions">{hasWorkspace ? <OpenButtons /> : null}</div>
      </header>
      <ProgressPanel />
      <ErrorBanner />
      {hasWorkspace ? (
        <main className="workspace">
          <ErrorBoundary onReset={resetView}>
            <SummaryBar />
            <div className="grid">
              <CaptureTabs />
              <aside className="side-top">
                <OverviewCharts />
              </aside>
              <LadderPanel />
              <aside className="side-bottom">
                <ExplanationPanel>
                  <ConnectionExpert />
                </ExplanationPanel>
              </aside>
            </div>
          </ErrorBoundary>
        </main>
      ) : (
        <main className="workspace workspace-empty">
          <Welcome />
        </main>
      )}
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-card">Drop the capture to analyse it</div>
        </div>
      ) : null}
    </div>
  );
}
