/**
 * The endpoints table: per host, its connections as client and as server, the resets it sent and
 * received (with their scenarios), packets and bytes each way. Sorted by a header button, filtered by
 * address text; a host's address applies `ip.addr == X` to the connection list and shows it. The
 * table is computed in the worker; only the rows in view are drawn.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  endpointScenarios,
  hostFilter,
  selectEndpointRows,
  type EndpointSortKey,
  type EndpointTable,
} from '../../core/stats/endpoints.ts';
import { appStore } from '../../state/store.ts';
import { useEngine } from '../app/services.tsx';
import { formatBytes, formatCount } from '../shared/format.ts';
import { ScenarioBadge } from '../shared/ScenarioBadge.tsx';
import { SortableHeader } from '../shared/SortableHeader.tsx';

const ROW_HEIGHT = 30;

interface Column {
  key: EndpointSortKey;
  label: string;
  title: string;
  num?: boolean;
  width: number;
}

const COLUMNS: Column[] = [
  { key: 'address', label: 'Host', title: 'IP address (click one to list its connections)', width: 170 },
  { key: 'asClient', label: 'As client', title: 'Connections the host opened', num: true, width: 84 },
  { key: 'asServer', label: 'As server', title: 'Connections the host answered', num: true, width: 84 },
  { key: 'resetsSent', label: 'RSTs sent', title: 'Resets the host sent, by scenario', num: true, width: 230 },
  { key: 'resetsReceived', label: 'RSTs received', title: 'Resets the host received, by scenario', num: true, width: 230 },
  { key: 'packetsSent', label: 'Pkts →', title: 'Packets the host sent', num: true, width: 80 },
  { key: 'packetsReceived', label: 'Pkts ←', title: 'Packets the host received', num: true, width: 80 },
  { key: 'bytesSent', label: 'Bytes →', title: 'TCP payload bytes the host sent', num: true, width: 90 },
  { key: 'bytesReceived', label: 'Bytes ←', title: 'TCP payload bytes the host received', num: true, width: 90 },
];

const TOTAL_WIDTH = COLUMNS.reduce((w, c) => w + c.width, 0);

function ResetCell({ table, host, sent }: { table: EndpointTable; host: number; sent: boolean }) {
  const total = sent ? table.resetsSent[host]! : table.resetsReceived[host]!;
  if (total === 0) return <span className="muted">0</span>;
  const scenarios = endpointScenarios(table, host).filter((s) => (sent ? s.sent : s.received) > 0);
  return (
    <span className="endpoint-resets">
      <span className="rst-count">{formatCount(total)}</span>
      <span className="badges">
        {scenarios.slice(0, 2).map((s) => (
          <ScenarioBadge key={s.scenario} scenario={s.scenario} count={sent ? s.sent : s.received} />
        ))}
        {scenarios.length > 2 ? <span className="muted">+{scenarios.length - 2}</span> : null}
      </span>
    </span>
  );
}

export function EndpointsPanel({ tabs, onShowConnections }: { tabs: ReactNode; onShowConnections(): void }) {
  const engine = useEngine();
  const [table, setTable] = useState<EndpointTable | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [sort, setSort] = useState<{ key: EndpointSortKey | null; desc: boolean }>({ key: null, desc: false });
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    engine.endpoints().then(
      (t) => {
        if (live) setTable(t);
      },
      (err: unknown) => {
        if (live) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      live = false;
    };
  }, [engine]);

  const rows = useMemo(() => (table ? selectEndpointRows(table, text, sort.key, sort.desc) : new Uint32Array(0)), [table, text, sort]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  // A header click: ascending (descending first for counts), then the other way, then the default order.
  const toggle = (key: EndpointSortKey): void => {
    const first = key !== 'address';
    if (sort.key !== key) setSort({ key, desc: first });
    else if (sort.desc === first) setSort({ key, desc: !first });
    else setSort({ key: null, desc: false });
  };

  const showHost = (address: string): void => {
    const s = appStore.getState();
    s.setFilters({ text: hostFilter(address) });
    onShowConnections();
  };

  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);

  return (
    <section className="panel endpoints-panel" aria-labelledby="endpoints-title" data-testid="endpoints" data-row-count={rows.length} aria-busy={table === null}>
      <header className="panel-header">
        <h2 id="endpoints-title">
          Endpoints{' '}
          <span className="count">
            {table ? (rows.length === table.count ? formatCount(table.count) : `${formatCount(rows.length)} of ${formatCount(table.count)}`) : ''}
          </span>
        </h2>
        <label className="endpoints-filter">
          <span className="muted small">Host</span>
          <input
            type="search"
            placeholder="Filter by address"
            aria-label="Filter hosts by address"
            value={text}
            spellCheck={false}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        {tabs}
      </header>
      {error ? (
        <p className="empty-note">The endpoints could not be counted: {error}</p>
      ) : !table ? (
        <p className="empty-note loading-note">Counting…</p>
      ) : rows.length === 0 ? (
        <p className="empty-note">{table.count === 0 ? 'No TCP connection in this capture.' : 'No host matches.'}</p>
      ) : (
        <div ref={scrollRef} className="table-scroll endpoints-scroll">
          <table className="conn-table endpoints-table" aria-rowcount={rows.length + 1} style={{ width: TOTAL_WIDTH }}>
            <colgroup>
              {COLUMNS.map((c) => (
                <col key={c.key} style={{ width: c.width }} />
              ))}
            </colgroup>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <SortableHeader key={c.key} sortKey={c.key} title={c.title} sortedBy={sort.key} desc={sort.desc} numeric={Boolean(c.num)} onSort={toggle}>
                    {c.label}
                  </SortableHeader>
                ))}
              </tr>
            </thead>
            <tbody>
              {padTop > 0 ? (
                <tr aria-hidden="true" className="pad">
                  <td colSpan={COLUMNS.length} style={{ height: padTop }} />
                </tr>
              ) : null}
              {items.map((v) => {
                const h = rows[v.index]!;
                const address = table.addresses[h]!;
                return (
                  <tr key={h} data-testid="endpoint-row" data-host={address} aria-rowindex={v.index + 2} style={{ height: ROW_HEIGHT }}>
                    <td>
                      <button type="button" className="host-link" title={`List the connections of ${address} (${hostFilter(address)})`} onClick={() => showHost(address)}>
                        {address}
                      </button>
                    </td>
                    <td className="num">{formatCount(table.asClient[h]!)}</td>
                    <td className="num">{formatCount(table.asServer[h]!)}</td>
                    <td className="num">
                      <ResetCell table={table} host={h} sent />
                    </td>
                    <td className="num">
                      <ResetCell table={table} host={h} sent={false} />
                    </td>
                    <td className="num">{formatCount(table.packetsSent[h]!)}</td>
                    <td className="num">{formatCount(table.packetsReceived[h]!)}</td>
                    <td className="num">{formatBytes(table.bytesSent[h]!)}</td>
                    <td className="num">{formatBytes(table.bytesReceived[h]!)}</td>
                  </tr>
                );
              })}
              {padBottom > 0 ? (
                <tr aria-hidden="true" className="pad">
                  <td colSpan={COLUMNS.length} style={{ height: padBottom }} />
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
