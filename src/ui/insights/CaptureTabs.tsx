/**
 * The capture as a whole, in tabs over the main panel: the connection list, the expert list and the
 * endpoints table. The list stays mounted (hidden) behind the others so its scroll and focus survive.
 */
import './Insights.css';
import { useState } from 'react';
import { useAppStore } from '../../state/store.ts';
import { ConnectionsPanel } from '../connections/ConnectionsPanel.tsx';
import { EndpointsPanel } from './EndpointsPanel.tsx';
import { ExpertPanel } from './ExpertPanel.tsx';

type Tab = 'connections' | 'expert' | 'endpoints';

const TABS: { id: Tab; label: string }[] = [
  { id: 'connections', label: 'Connections' },
  { id: 'expert', label: 'Expert info' },
  { id: 'endpoints', label: 'Endpoints' },
];

export function CaptureTabs() {
  const [tab, setTab] = useState<Tab>('connections');
  const done = useAppStore((s) => s.status === 'done');
  const runId = useAppStore((s) => s.runId);
  const shown = done ? tab : 'connections';
  return (
    <div className="capture-tabs">
      <div className="tab-bar" role="tablist" aria-label="The capture">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={shown === t.id}
            aria-controls={`tabpanel-${t.id}`}
            className={`tab${shown === t.id ? ' is-active' : ''}`}
            disabled={!done && t.id !== 'connections'}
            title={!done && t.id !== 'connections' ? 'Once the whole file has been read' : undefined}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="tabpanel-connections" aria-labelledby="tab-connections" className="tab-panel" hidden={shown !== 'connections'}>
        <ConnectionsPanel />
      </div>
      {shown === 'expert' ? (
        <div role="tabpanel" id="tabpanel-expert" aria-labelledby="tab-expert" className="tab-panel">
          <ExpertPanel key={runId} />
        </div>
      ) : null}
      {shown === 'endpoints' ? (
        <div role="tabpanel" id="tabpanel-endpoints" aria-labelledby="tab-endpoints" className="tab-panel">
          <EndpointsPanel key={runId} onShowConnections={() => setTab('connections')} />
        </div>
      ) : null}
    </div>
  );
}
