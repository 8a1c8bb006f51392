import { createColumnHelper } from '@tanstack/react-table';
import type { Connection } from '../../core/model/types.ts';
import type { SortKey } from '../../state/connection-rows.ts';
import { connectionScenarios } from '../../state/connection-rows.ts';
import { ScenarioBadge } from '../explain/ScenarioBadge.tsx';
import { formatBytes, formatCount, formatDuration, formatEndpoint, formatOffset } from '../format/format.ts';

export interface ColumnMeta {
  sortKey: SortKey;
  width: number;
  align?: 'right';
  title?: string;
}

const col = createColumnHelper<Connection>();

/** Column model of the connection list. Sorting and filtering happen in the store, over indices. */
export const connectionColumns = [
  col.accessor('id', {
    header: '#',
    cell: (c) => c.getValue(),
    meta: { sortKey: 'id', width: 52, align: 'right', title: 'Stream index (tcp.stream)' } satisfies ColumnMeta,
  }),
  col.accessor((c) => formatEndpoint(c.client.ip, c.client.port), {
    id: 'client',
    header: 'Client',
    meta: { sortKey: 'client', width: 168 } satisfies ColumnMeta,
  }),
  col.accessor((c) => formatEndpoint(c.server.ip, c.server.port), {
    id: 'server',
    header: 'Server',
    meta: { sortKey: 'server', width: 150 } satisfies ColumnMeta,
  }),
  col.accessor((c) => c.resets.length, {
    id: 'resets',
    header: 'RSTs',
    cell: (c) => (c.getValue() > 0 ? <span className="rst-count">{formatCount(c.getValue())}</span> : <span className="muted">0</span>),
    meta: { sortKey: 'resets', width: 56, align: 'right' } satisfies ColumnMeta,
  }),
  col.display({
    id: 'scenario',
    header: 'Scenario',
    cell: (c) => {
      const conn = c.row.original;
      const ids = connectionScenarios(conn);
      return (
        <span className="badges">
          {ids.slice(0, 2).map((id) => (
            <ScenarioBadge key={id} scenario={id} count={conn.resets.filter((r) => r.scenario === id).length} />
          ))}
          {ids.length > 2 ? <span className="muted">+{ids.length - 2}</span> : null}
        </span>
      );
    },
    meta: { sortKey: 'scenario', width: 200 } satisfies ColumnMeta,
  }),
  col.accessor('state', {
    header: 'State',
    meta: { sortKey: 'state', width: 64, title: "Zeek's conn_state" } satisfies ColumnMeta,
  }),
  col.accessor('history', {
    header: 'History',
    meta: { sortKey: 'history', width: 96, title: "Zeek's history" } satisfies ColumnMeta,
  }),
  col.accessor('packets', {
    header: 'Pkts',
    cell: (c) => formatCount(c.getValue()),
    meta: { sortKey: 'packets', width: 64, align: 'right' } satisfies ColumnMeta,
  }),
  col.accessor((c) => c.bytes.client, {
    id: 'bytesClient',
    header: 'Bytes →',
    cell: (c) => formatBytes(c.getValue()),
    meta: { sortKey: 'bytesClient', width: 76, align: 'right', title: 'Payload bytes sent by the client' } satisfies ColumnMeta,
  }),
  col.accessor((c) => c.bytes.server, {
    id: 'bytesServer',
    header: 'Bytes ←',
    cell: (c) => formatBytes(c.getValue()),
    meta: { sortKey: 'bytesServer', width: 76, align: 'right', title: 'Payload bytes sent by the server' } satisfies ColumnMeta,
  }),
  col.accessor('start', {
    header: 'Start',
    cell: (c) => formatOffset(c.getValue()),
    meta: { sortKey: 'start', width: 92, align: 'right', title: 'Seconds since the first frame' } satisfies ColumnMeta,
  }),
  col.accessor((c) => c.end - c.start, {
    id: 'duration',
    header: 'Duration',
    cell: (c) => formatDuration(c.getValue()),
    meta: { sortKey: 'duration', width: 84, align: 'right' } satisfies ColumnMeta,
  }),
];

export function columnMeta(meta: unknown): ColumnMeta {
  return meta as ColumnMeta;
}
