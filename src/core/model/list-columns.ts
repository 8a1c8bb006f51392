/**
 * What the connection list needs of every connection, as typed-array columns: the page holds these
 * (about 60 bytes a connection, plus 22 a reset) instead of the full `Connection` objects (~1.5 kB
 * each with their per-direction stats and verdicts), which stay in the worker and cross over one at a
 * time when a connection is selected. The worker builds them, from the provisional connections while
 * the file is read and from the connection table at the end, and transfers them to the page.
 *
 * Strings that repeat (addresses, Zeek state and history, scenario ids) are stored once in a table and
 * referred to by index.
 */
import { rttOf } from '../filter/table-source.ts';
import type { ConnectionHead } from '../tcp/connection-table.ts';
import { streamNumber } from './stream-number.ts';
import { StringTable } from './string-table.ts';
import type { Severity } from './types.ts';

/** The `resetSeverity` column's codes: index i is SEVERITY_CODES[i]. */
export const SEVERITY_CODES: readonly Severity[] = ['normal', 'problem', 'suspicious'];

export interface ListColumns {
  /** Connections; row i is connection id i. */
  count: number;
  /** The tcp.stream its sender gave row 0 of a shared connection (model/stream-number.ts). */
  sharedStream?: number | null;
  clientIp: Uint32Array;
  clientPort: Uint16Array;
  serverIp: Uint32Array;
  serverPort: Uint16Array;
  /** Index into `states`. */
  state: Uint16Array;
  /** Index into `histories`. */
  history: Uint32Array;
  /** Index into `services` (0: none): the SNI, HTTP Host or DNS name of the server. */
  service: Uint32Array;
  packets: Float64Array;
  bytesClient: Float64Array;
  bytesServer: Float64Array;
  /** Seconds since the capture's first frame. */
  start: Float64Array;
  end: Float64Array;
  /** Packets the client sent (the server sent `packets` minus these); NaN when not known. */
  sentByClient: Float64Array;
  /** The handshake's round trip, seconds; NaN without a complete handshake. */
  rtt: Float64Array;
  /**
   * The expert kinds of the connection's packets, per direction (expert.ts, `expertMasks`): filled
   * when the analysis is finished (0 in the provisional list), for the `tcp.analysis.*` filter fields.
   */
  expert: Uint32Array;
  /** The resets of connection i are rows resetStart[i] .. resetStart[i + 1] of the reset columns. */
  resetStart: Uint32Array;
  resetFrame: Uint32Array;
  resetTime: Float64Array;
  /** Index into `scenarios`. */
  resetScenario: Uint16Array;
  /** Index into SEVERITY_CODES. */
  resetSeverity: Uint8Array;
  /** 1 when the server sent the reset. */
  resetFromServer: Uint8Array;
  /** Distinct address texts, lower case. */
  ips: string[];
  states: string[];
  histories: string[];
  /** Distinct service names; `services[0]` is '' (none). */
  services: string[];
  scenarios: string[];
  /** For each host finding id, the ids of the connections with a reset that belongs to it, ascending. */
  findings: Map<string, Uint32Array>;
}

type ColumnName = {
  [K in keyof ListColumns]: ListColumns[K] extends ArrayBufferView ? K : never;
}[keyof ListColumns];

const CONNECTION_COLUMNS = [
  'clientIp',
  'clientPort',
  'serverIp',
  'serverPort',
  'state',
  'history',
  'service',
  'packets',
  'bytesClient',
  'bytesServer',
  'start',
  'end',
  'sentByClient',
  'rtt',
  'expert',
] as const satisfies readonly ColumnName[];
const RESET_COLUMNS = ['resetFrame', 'resetTime', 'resetScenario', 'resetSeverity', 'resetFromServer'] as const satisfies readonly ColumnName[];

type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;

function grow<T extends Typed>(a: T, capacity: number): T {
  const next = new (a.constructor as new (n: number) => T)(capacity);
  next.set(a);
  return next;
}

/** Appends connections (in id order) to growing columns; `columns()` is a view of what is there. */
export class ConnectionListBuilder {
  private count = 0;
  private resets = 0;
  private capacity: number;
  private resetCapacity: number;
  private readonly cols: Pick<ListColumns, (typeof CONNECTION_COLUMNS)[number] | (typeof RESET_COLUMNS)[number]> & {
    resetStart: Uint32Array;
  };
  private readonly ips = new StringTable();
  private readonly states = new StringTable();
  private readonly histories = new StringTable();
  private readonly services = new StringTable(['']);
  private readonly scenarios = new StringTable();
  private readonly findings = new Map<string, number[]>();

  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.resetCapacity = 64;
    const n = this.capacity;
    const r = this.resetCapacity;
    this.cols = {
      clientIp: new Uint32Array(n),
      clientPort: new Uint16Array(n),
      serverIp: new Uint32Array(n),
      serverPort: new Uint16Array(n),
      state: new Uint16Array(n),
      history: new Uint32Array(n),
      service: new Uint32Array(n),
      packets: new Float64Array(n),
      bytesClient: new Float64Array(n),
      bytesServer: new Float64Array(n),
      start: new Float64Array(n),
      end: new Float64Array(n),
      sentByClient: new Float64Array(n),
      rtt: new Float64Array(n),
      expert: new Uint32Array(n),
      resetStart: new Uint32Array(n + 1),
      resetFrame: new Uint32Array(r),
      resetTime: new Float64Array(r),
      resetScenario: new Uint16Array(r),
      resetSeverity: new Uint8Array(r),
      resetFromServer: new Uint8Array(r),
    };
  }

  get length(): number {
    return this.count;
  }

  /** Add connection `c`, whose id must be the next one. */
  append(c: ConnectionHead & { app?: { service: string | null } | undefined }): void {
    if (c.id !== this.count) throw new Error(`connection ${c.id} appended as row ${this.count}`);
    const cols = this.cols;
    if (this.count === this.capacity) {
      this.capacity *= 2;
      for (const k of CONNECTION_COLUMNS) (cols[k] as Typed) = grow(cols[k], this.capacity);
      cols.resetStart = grow(cols.resetStart, this.capacity + 1);
    }
    const i = this.count;
    cols.clientIp[i] = this.ips.of(c.client.ip.toLowerCase());
    cols.clientPort[i] = c.client.port;
    cols.serverIp[i] = this.ips.of(c.server.ip.toLowerCase());
    cols.serverPort[i] = c.server.port;
    cols.state[i] = this.states.of(c.state);
    cols.history[i] = this.histories.of(c.history);
    const service = c.service ?? c.app?.service ?? null;
    cols.service[i] = service ? this.services.of(service) : 0;
    cols.packets[i] = c.packets;
    cols.bytesClient[i] = c.bytes.client;
    cols.bytesServer[i] = c.bytes.server;
    cols.start[i] = c.start;
    cols.end[i] = c.end;
    cols.sentByClient[i] = c.sentByClient ?? c.dir?.client.packets ?? Number.NaN;
    cols.rtt[i] = (c.handshake && rttOf(c.handshake)) ?? Number.NaN;
    if (this.resets + c.resets.length > this.resetCapacity) {
      while (this.resets + c.resets.length > this.resetCapacity) this.resetCapacity *= 2;
      for (const k of RESET_COLUMNS) (cols[k] as Typed) = grow(cols[k], this.resetCapacity);
    }
    for (const r of c.resets) {
      const j = this.resets++;
      cols.resetFrame[j] = r.frame;
      cols.resetTime[j] = r.time;
      cols.resetScenario[j] = this.scenarios.of(r.scenario);
      cols.resetSeverity[j] = Math.max(0, SEVERITY_CODES.indexOf(r.severity));
      cols.resetFromServer[j] = r.from === 'server' ? 1 : 0;
      for (const f of r.findings) {
        let members = this.findings.get(f);
        if (!members) this.findings.set(f, (members = []));
        if (members[members.length - 1] !== i) members.push(i);
      }
    }
    this.count += 1;
    cols.resetStart[this.count] = this.resets;
  }

  /**
   * The columns so far. `copy` false gives views into the builder's buffers (cheap, for the page while
   * streaming); true gives arrays of exactly the right length, safe to transfer.
   */
  columns(copy = false): ListColumns {
    const cut = <T extends Typed>(a: T, n: number): T => (copy ? (a.slice(0, n) as T) : (a.subarray(0, n) as T));
    const n = this.count;
    const r = this.resets;
    const c = this.cols;
    const findings = new Map<string, Uint32Array>();
    for (const [id, members] of this.findings) findings.set(id, Uint32Array.from(members));
    return {
      count: n,
      clientIp: cut(c.clientIp, n),
      clientPort: cut(c.clientPort, n),
      serverIp: cut(c.serverIp, n),
      serverPort: cut(c.serverPort, n),
      state: cut(c.state, n),
      history: cut(c.history, n),
      service: cut(c.service, n),
      packets: cut(c.packets, n),
      bytesClient: cut(c.bytesClient, n),
      bytesServer: cut(c.bytesServer, n),
      start: cut(c.start, n),
      end: cut(c.end, n),
      sentByClient: cut(c.sentByClient, n),
      rtt: cut(c.rtt, n),
      expert: cut(c.expert, n),
      resetStart: cut(c.resetStart, n + 1),
      resetFrame: cut(c.resetFrame, r),
      resetTime: cut(c.resetTime, r),
      resetScenario: cut(c.resetScenario, r),
      resetSeverity: cut(c.resetSeverity, r),
      resetFromServer: cut(c.resetFromServer, r),
      ips: [...this.ips.values],
      states: [...this.states.values],
      histories: [...this.histories.values],
      services: [...this.services.values],
      scenarios: [...this.scenarios.values],
      findings,
    };
  }
}

/** Columns for a whole array of connections (ids 0..n-1 in order). */
export function listOf(connections: Iterable<ConnectionHead>, capacity?: number): ListColumns {
  const b = new ConnectionListBuilder(capacity);
  for (const c of connections) b.append(c);
  return b.columns(true);
}

export const EMPTY_LIST: ListColumns = listOf([]);

export function resetCount(list: ListColumns, id: number): number {
  return list.resetStart[id + 1]! - list.resetStart[id]!;
}

/** Frame of the connection's first reset, or null. */
export function firstResetFrame(list: ListColumns, id: number): number | null {
  if (id < 0 || id >= list.count || resetCount(list, id) === 0) return null;
  return list.resetFrame[list.resetStart[id]!]!;
}

export function hasResetFrame(list: ListColumns, id: number, frame: number): boolean {
  if (id < 0 || id >= list.count) return false;
  for (let j = list.resetStart[id]!, end = list.resetStart[id + 1]!; j < end; j++) if (list.resetFrame[j] === frame) return true;
  return false;
}

/** The scenario ids of a connection's resets with their counts, most frequent first (ties: first seen). */
export function connectionScenarioCounts(list: ListColumns, id: number): { scenario: string; count: number }[] {
  const from = list.resetStart[id]!;
  const to = list.resetStart[id + 1]!;
  if (from === to) return [];
  if (to - from === 1) return [{ scenario: list.scenarios[list.resetScenario[from]!]!, count: 1 }];
  const counts = new Map<number, number>();
  for (let j = from; j < to; j++) counts.set(list.resetScenario[j]!, (counts.get(list.resetScenario[j]!) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([s, count]) => ({ scenario: list.scenarios[s]!, count }));
}

/** One row of the list as the table draws it: built only for the rows in view. */
export interface ListRow {
  id: number;
  /** The number shown for it, Wireshark's tcp.stream (model/stream-number.ts). */
  stream: number;
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
  resets: number;
  scenarios: { scenario: string; count: number }[];
  state: string;
  history: string;
  /** SNI, HTTP Host or DNS name; '' when none. */
  service: string;
  packets: number;
  bytesClient: number;
  bytesServer: number;
  start: number;
  duration: number;
  /** The handshake's round trip, seconds; NaN without a complete handshake. */
  rtt: number;
}

export function listRow(list: ListColumns, id: number): ListRow {
  return {
    id,
    stream: streamNumber(list, id),
    clientIp: list.ips[list.clientIp[id]!]!,
    clientPort: list.clientPort[id]!,
    serverIp: list.ips[list.serverIp[id]!]!,
    serverPort: list.serverPort[id]!,
    resets: resetCount(list, id),
    scenarios: connectionScenarioCounts(list, id),
    state: list.states[list.state[id]!]!,
    history: list.histories[list.history[id]!]!,
    service: list.services[list.service[id]!] ?? '',
    packets: list.packets[id]!,
    bytesClient: list.bytesClient[id]!,
    bytesServer: list.bytesServer[id]!,
    start: list.start[id]!,
    duration: list.end[id]! - list.start[id]!,
    rtt: list.rtt[id]!,
  };
}
