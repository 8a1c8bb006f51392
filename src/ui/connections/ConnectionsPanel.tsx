import './ConnectionsPanel.css';
import { useCallback, type ReactNode } from 'react';
import { useConnectionRows } from '../../state/selectors.ts';
import { useAppStore } from '../../state/store.ts';
import { formatCount } from '../shared/format.ts';
import { ConnectionFilters } from './ConnectionFilters.tsx';
import { ConnectionTable } from './ConnectionTable.tsx';
import { WorkbenchBar } from './WorkbenchBar.tsx';

/** `tabs`: the switch to the capture's other views, at the end of the header. */
export function ConnectionsPanel({ tabs }: { tabs?: ReactNode }) {
  const { ids: rows, list } = useConnectionRows();
  const total = list.count;
  const running = useAppStore((s) => s.status === 'running');
  const found = useAppStore((s) => s.progress?.connections ?? 0);
  const onOpen = useCallback(() => document.getElementById('details-region')?.focus(), []);

  return (
    <section className="panel connections-panel" aria-labelledby="connections-title">
      <header className="panel-header">
        <h2 id="connections-title">
          Connections{' '}
          <span className="count" data-testid="connection-count">
            {rows.length === total ? formatCount(total) : `${formatCount(rows.length)} of ${formatCount(total)}`}
          </span>
          {running ? (
            <span className="muted">
              {' '}
              · still reading{found > total ? ` (${formatCount(found)} found; all listed at the end)` : ''}
            </span>
          ) : null}
        </h2>
        <ConnectionFilters />
        <WorkbenchBar />
        {tabs}
      </header>
      {total === 0 ? (
        <p className="empty-note">{running ? 'Looking for TCP connections…' : 'This capture holds no TCP connection.'}</p>
      ) : rows.length === 0 ? (
        <p className="empty-note">No connection matches the filters.</p>
      ) : (
        <ConnectionTable rows={rows} list={list} onOpen={onOpen} />
      )}
    </section>
  );
}
