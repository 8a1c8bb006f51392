import { createColumnHelper } from '@tanstack/react-table';
import type { ListRow } from '../../core/model/list-columns.ts';
import type { SortKey } from '../../core/model/connection-rows.ts';
import { EndpointCell } from './EndpointCell.tsx';
import { ScenarioBadge } from '../shared/ScenarioBadge.tsx';
import { formatBytes, formatCount, formatDuration, formatEndpoint, formatRtt } from '../shared/format.ts';
import { StartHeader, TimeCell } from './TimeCell.tsx';

export interface ColumnMeta {
  sortKey: SortKey;
  width: number;
  align?: 'right';
  title?: string;
  /** A time column: as wide as the time setting's longest text needs. */
  time?: true;
}

const col = createColumnHelper<ListRow>();

/** Column model of the connection list. Sorting and filtering happen in the store, over indices. */
export const connectionColumns = [
  col.accessor('stream', {
    id: 'id',
    header: '#',
    cell: (c) => c.getValue(),
    meta: { sortKey: 'id', width: 68, align: 'right', title: 'Stream index (tcp.stream)' } satisfies ColumnMeta,
  }),
  col.accessor((c) => formatEndpoint(c.clientIp, c.clientPort), {
    id: 'client',
    header: 'Client',
    cell: (c) => <EndpointCell ip={c.row.original.clientIp} port={c.row.original.clientPort} />,
    meta: { sortKey: 'client', width: 168 } satisfies ColumnMeta,
  }),
  col.accessor((c) => formatEndpoint(c.serverIp, c.serverPort), {
    id: 'server',
    header: 'Server',
    cell: (c) => <EndpointCell ip={c.row.original.serverIp} port={c.row.original.serverPort} />,
    meta: { sortKey: 'server', width: 150 } satisfies ColumnMeta,
  }),
  col.accessor('service', {
    header: 'Service',
    cell: (c) => (c.getValue() ? <span className="service-name">{c.getValue()}</span> : <span className="muted">—</span>),
    meta: { sortKey: 'service', width: 150, title: 'The name of the service: TLS server name (SNI), HTTP Host, or a DNS answer in the capture' } satisfies ColumnMeta,
  }),
  col.accessor('resets', {
    id: 'resets',
    header: 'RSTs',
    cell: (c) => (c.getValue() > 0 ? <span className="rst-count">{formatCount(c.getValue())}</span> : <span className="muted">0</span>),
    meta: { sortKey: 'resets', width: 56, align: 'right' } satisfies ColumnMeta,
  }),
  col.display({
    id: 'scenario',
    header: 'Scenario',
    cell: (c) => {
      const { scenarios } = c.row.original;
      return (
        <span className="badges">
          {scenarios.slice(0, 2).map(({ scenario, count }) => (
            <ScenarioBadge key={scenario} scenario={scenario} count={count} />
          ))}
          {scenarios.length > 2 ? <span className="muted">+{scenarios.length - 2}</span> : null}
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
  col.accessor('bytesClient', {
    id: 'bytesClient',
    header: 'Bytes →',
    cell: (c) => formatBytes(c.getValue()),
    meta: { sortKey: 'bytesClient', width: 76, align: 'right', title: 'Payload bytes sent by the client' } satisfies ColumnMeta,
  }),
  col.accessor('bytesServer', {
    id: 'bytesServer',
    header: 'Bytes ←',
    cell: (c) => formatBytes(c.getValue()),
    meta: { sortKey: 'bytesServer', width: 76, align: 'right', title: 'Payload bytes sent by the server' } satisfies ColumnMeta,
  }),
  col.accessor('start', {
    header: () => <StartHeader />,
    cell: (c) => <TimeCell seconds={c.getValue()} />,
    meta: { sortKey: 'start', width: 92, align: 'right', title: 'When the first packet was seen', time: true } satisfies ColumnMeta,
  }),
  col.accessor('duration', {
    header: 'Duration',
    cell: (c) => formatDuration(c.getValue()),
    meta: { sortKey: 'duration', width: 84, align: 'right' } satisfies ColumnMeta,
  }),
  col.accessor('rtt', {
    header: 'RTT',
    cell: (c) => formatRtt(c.getValue()),
    meta: {
      sortKey: 'rtt',
      width: 76,
      align: 'right',
      title: "The handshake's round trip, SYN to the ACK that completes it, at the capture point (blank without a handshake)",
    } satisfies ColumnMeta,
  }),
];

export function columnMeta(meta: unknown): ColumnMeta {
  return meta as ColumnMeta;
}
