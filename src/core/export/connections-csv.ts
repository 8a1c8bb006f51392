/**
 * The connection list as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold
 * a comma, a quote or a line end): the command line's `--format csv` and the page's "Export CSV", one
 * row per connection, in the order given.
 */
import { streamNumber } from '../model/stream-number.ts';
import { handshakeRtt } from '../filter/table-source.ts';
import { serviceOfPort } from '../filter/services.ts';
import type { ConnectionTable } from '../tcp/connection-table.ts';

export const CSV_COLUMNS = [
  'stream',
  'client',
  'client_port',
  'server',
  'server_port',
  'service',
  'state',
  'history',
  'packets',
  'bytes_client',
  'bytes_server',
  'start_s',
  'duration_s',
  'rtt_s',
  'resets',
  'scenarios',
  'severities',
  'reset_frames',
  'first_frame',
  'last_frame',
] as const;

/** One CSV field. A leading = + - @ would make a spreadsheet read a formula: such text is quoted with a ' before it. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const seconds = (s: number): string => s.toFixed(6);

/** Distinct values in first-seen order, joined by spaces. */
function distinct(values: readonly string[]): string {
  return [...new Set(values)].join(' ');
}

/** The CSV text in pieces (a header line, then rows in batches), for connections `ids` of `table`. */
export function* connectionsCsvChunks(table: ConnectionTable, ids: Iterable<number>): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  let batch = '';
  for (const id of ids) {
    const h = table.head(id);
    const rtt = handshakeRtt(table, id);
    const row = [
      streamNumber(table, id),
      h.client.ip,
      h.client.port,
      h.server.ip,
      h.server.port,
      serviceOfPort(h.server.port),
      h.state,
      h.history,
      h.packets,
      h.bytes.client,
      h.bytes.server,
      seconds(h.start),
      seconds(h.end - h.start),
      rtt === null ? null : seconds(rtt),
      h.resets.length,
      distinct(h.resets.map((r) => r.scenario)),
      distinct(h.resets.map((r) => r.severity)),
      h.resets.map((r) => r.frame).join(' '),
      table.conn.firstFrame[id]!,
      table.conn.lastFrame[id]!,
    ];
    batch += `${row.map(csvField).join(',')}\r\n`;
    if (batch.length > 1 << 20) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}
