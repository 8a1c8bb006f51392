/** Go to frame and the exports, above the connection list, once a capture is analysed. */
import { useCallback } from 'react';
import type { DocumentKind } from '../../core/export/documents.ts';
import { selectConnectionRows } from '../../core/model/connection-rows.ts';
import { rowsCurrent } from '../../state/rows-slice.ts';
import { appStore, useAppStore } from '../../state/store.ts';
import { goToFrame } from '../app/go-to-frame.ts';
import { useEngine } from '../app/services.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { GotoFrame } from './GotoFrame.tsx';
import './Workbench.css';

export function WorkbenchBar() {
  const done = useAppStore((s) => s.status === 'done');
  const engine = useEngine();
  const onGo = useCallback((frame: number) => goToFrame(appStore, engine, frame), [engine]);
  const onExport = useCallback(
    (kind: DocumentKind) => {
      const s = appStore.getState();
      // What the list shows, in its order (the JSON report ignores it: it is always whole); worked
      // out again only when the filter changed and its rows are not back yet.
      const ids = kind === 'json' ? new Uint32Array(0) : rowsCurrent(s) ? s.shown.ids : selectConnectionRows(s.list, s.filters, s.sort);
      return engine.exportDocument({ kind, ids, filter: s.filters.text });
    },
    [engine],
  );
  if (!done) return null;
  return (
    <div className="workbench-bar">
      <GotoFrame onGo={onGo} />
      <ExportButtons onExport={onExport} />
    </div>
  );
}
