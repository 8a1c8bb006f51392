/**
 * One capture's rows for the three tables of a scan (resets, connections, files), made from the
 * analysis the way `analyze --json` reports it. The rows are plain JSON values so a part can be
 * written by any process (a scan's worker thread, a queue worker on another machine).
 */
import { analyze, NotACaptureError, type AnalysisResult } from '../../core/analyze.ts';
import type { Connection } from '../../core/model/types.ts';
import { fileSource } from '../file-source.ts';

export interface FileRow {
  file: string;
  sha256: string;
  size: number;
  format: string | null;
  compressed: boolean | null;
  packets: number | null;
  tcp_packets: number | null;
  connections: number | null;
  resets: number | null;
  /** Microseconds since the epoch of the first frame. */
  first_time_us: number | null;
  duration: number | null;
  warnings: number;
  warning_messages: string[];
  error: string | null;
}

export interface ResetRow {
  file: string;
  sha256: string;
  frame: number;
  time_us: number | null;
  /** Seconds since the capture's first frame. */
  offset: number;
  connection: number;
  client_ip: string;
  client_port: number;
  server_ip: string;
  server_port: number;
  sender: string;
  sender_ip: string;
  flags: string;
  scenario: string;
  severity: string;
  confidence: number;
  explanation: string;
}

export interface ConnectionRow {
  file: string;
  sha256: string;
  connection: number;
  client_ip: string;
  client_port: number;
  server_ip: string;
  server_port: number;
  ip_version: number;
  start_us: number | null;
  duration: number;
  state: string;
  history: string;
  packets: number;
  client_packets: number;
  server_packets: number;
  client_bytes: number;
  server_bytes: number;
  resets: number;
  service: string | null;
}

export interface CaptureRows {
  file: FileRow;
  resets: ResetRow[];
  connections: ConnectionRow[];
}

/** "1700000000.123456789" + seconds -> microseconds since the epoch. */
function epochMicros(firstTime: string | null, offset: number): number | null {
  if (firstTime === null) return null;
  const [whole = '0', frac = ''] = firstTime.split('.');
  const micros = BigInt(whole) * 1_000_000n + BigInt((frac + '000000').slice(0, 6));
  return Number(micros) + Math.round(offset * 1e6);
}

/** The service a connection's report names, when it names one (a string or an object with a name). */
function serviceOf(c: Connection): string | null {
  const s = (c as unknown as { service?: unknown }).service;
  if (typeof s === 'string') return s;
  if (s && typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string') return (s as { name: string }).name;
  return null;
}

export function rowsOf(result: AnalysisResult, file: string, sha256: string, size: number): CaptureRows {
  const report = result.report;
  const resets: ResetRow[] = [];
  const connections: ConnectionRow[] = [];
  const table = result.connections;
  for (let id = 0; id < table.length; id++) {
    const c = table.get(id);
    connections.push({
      file,
      sha256,
      connection: c.id,
      client_ip: c.client.ip,
      client_port: c.client.port,
      server_ip: c.server.ip,
      server_port: c.server.port,
      ip_version: c.ipVersion,
      start_us: epochMicros(report.firstTime, c.start),
      duration: Math.round((c.end - c.start) * 1e9) / 1e9,
      state: c.state,
      history: c.history,
      packets: c.packets,
      client_packets: c.dir.client.packets,
      server_packets: c.dir.server.packets,
      client_bytes: c.bytes.client,
      server_bytes: c.bytes.server,
      resets: c.resets.length,
      service: serviceOf(c),
    });
    for (const r of c.resets) {
      resets.push({
        file,
        sha256,
        frame: r.frame,
        time_us: epochMicros(report.firstTime, r.time),
        offset: r.time,
        connection: c.id,
        client_ip: c.client.ip,
        client_port: c.client.port,
        server_ip: c.server.ip,
        server_port: c.server.port,
        sender: r.from,
        sender_ip: r.facts.sender.ip,
        flags: r.flags,
        scenario: r.scenario,
        severity: r.severity,
        confidence: r.confidence,
        explanation: r.explanation,
      });
    }
  }
  resets.sort((a, b) => a.frame - b.frame);
  return {
    file: {
      file,
      sha256,
      size,
      format: report.file.format,
      compressed: report.file.compressed,
      packets: report.packets,
      tcp_packets: report.tcpPackets,
      connections: table.length,
      resets: resets.length,
      first_time_us: epochMicros(report.firstTime, 0),
      duration: report.duration,
      warnings: report.warnings.length,
      warning_messages: report.warnings.map((w) => (w.frame !== undefined ? `frame ${w.frame}: ${w.message}` : w.message)),
      error: null,
    },
    resets,
    connections,
  };
}

/** The row of a file that could not be read at all. */
export function errorRows(file: string, sha256: string, size: number, error: string): CaptureRows {
  return {
    file: {
      file,
      sha256,
      size,
      format: null,
      compressed: null,
      packets: null,
      tcp_packets: null,
      connections: null,
      resets: null,
      first_time_us: null,
      duration: null,
      warnings: 0,
      warning_messages: [],
      error,
    },
    resets: [],
    connections: [],
  };
}

/** The reason a file cannot be analysed, in the words `analyze` prints. */
export function failureText(e: unknown): string {
  if (e instanceof NotACaptureError) return e.message;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'cannot open: no such file';
  if (code === 'EISDIR') return 'cannot open: it is a directory';
  return `cannot be read: ${(e as Error).message}`;
}

/** Analyse one file into rows; throws when it cannot be read (`failureText` words the reason). */
export async function analyzeToRows(
  path: string,
  file: string,
  sha256: string,
  size: number,
  onBytes?: (bytes: number) => void,
): Promise<CaptureRows> {
  const source = await fileSource(path);
  try {
    const result = await analyze(source, onBytes ? { onProgress: (p) => onBytes(p.bytesRead), progressInterval: 250 } : {});
    return rowsOf(result, file, sha256, size);
  } finally {
    await source.close();
  }
}
