/**
 * The capture as a whole, in three views of the main panel: the connection list, the expert list and
 * the endpoints table, switched by a tab bar at the end of each view's header (on the line of the
 * list's tools, so no height is taken from the list). The list stays mounted (hidden) behind the others so its scroll and focus survive.
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

function TabBar({ shown, done, onChange }: { shown: Tab; done: boolean; onChange(tab: Tab): void }) {
  return (
    <div className="tab-bar" role="tablist" aria-label="Views of the capture">
      {TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={shown === t.id ? `tab-${t.id}` : undefined}
          aria-selected={shown === t.id}
          aria-controls={shown === t.id ? `tabpanel-${t.id}` : undefined}
          className={`tab${shown === t.id ? ' is-active' : ''}`}
          disabled={!done && t.id !== 'connections'}
          title={!done && t.id !== 'connections' ? 'Once the whole file has been read' : undefined}
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function CaptureTabs() {
  const [tab, setTab] = useState<Tab>('connections');
  const done = useAppStore((s) => s.status === 'done');
  const runId = useAppStore((s) => s.runId);
  const shown = done ? tab : 'connections';
  const bar = <TabBar shown={shown} done={done} onChange={setTab} />;
  return (
    <div className="capture-tabs">
      <div role="tabpanel" id="tabpanel-connections" aria-labelledby="tab-connections" className="tab-panel" hidden={shown !== 'connections'}>
        <ConnectionsPanel tabs={shown === 'connections' ? bar : null} />
      </div>
      {shown === 'expert' ? (
        <div role="tabpanel" id="tabpanel-expert" aria-labelledby="tab-expert" className="tab-panel">
          <ExpertPanel key={runId} tabs={bar} />
        </div>
      ) : null}
      {shown === 'endpoints' ? (
        <div role="tabpanel" id="tabpanel-endpoints" aria-labelledby="tab-endpoints" className="tab-panel">
          <EndpointsPanel key={runId} tabs={bar} onShowConnections={() => setTab('connections')} />
        </div>
      ) : null}
    </div>
  );
}
