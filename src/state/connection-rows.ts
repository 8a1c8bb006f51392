/**
 * Which connections the list shows, in which order: pure functions over the report's connections,
 * returning indices (a million connections are a million numbers, not a million new objects).
 */
import type { Connection, Severity } from '../core/model/types.ts';

export interface ConnectionFilters {
  /** Whitespace-separated terms; each must occur in the client or server address:port. */
  text: string;
  scenario: string | null;
  severity: Severity | null;
  /** Zeek conn_state. */
  state: string | null;
  /** Only the connections of this host finding. */
  finding: string | null;
  /** Only connections with a reset in [from, to] (seconds since the capture's first frame). */
  timeRange: readonly [number, number] | null;
}

export const NO_FILTERS: ConnectionFilters = {
  text: '',
  scenario: null,
  severity: null,
  state: null,
  finding: null,
  timeRange: null,
};

export type SortKey =
  | 'id'
  | 'client'
  | 'server'
  | 'state'
  | 'history'
  | 'packets'
  | 'bytesClient'
  | 'bytesServer'
  | 'start'
  | 'duration'
  | 'resets'
  | 'scenario';

/** `null` key: the default order, connections with resets first, then by first frame. */
export interface SortState {
  key: SortKey | null;
  desc: boolean;
}

export const DEFAULT_SORT: SortState = { key: null, desc: false };

export function isFiltered(f: ConnectionFilters): boolean {
  return (
    f.text.trim() !== '' ||
    f.scenario !== null ||
    f.severity !== null ||
    f.state !== null ||
    f.finding !== null ||
    f.timeRange !== null
  );
}

/** The scenario ids of a connection's resets, most frequent first, without repeats. */
export function connectionScenarios(c: Connection): string[] {
  if (c.resets.length === 0) return [];
  if (c.resets.length === 1) return [c.resets[0]!.scenario];
  const counts = new Map<string, number>();
  for (const r of c.resets) counts.set(r.scenario, (counts.get(r.scenario) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s);
}

function endpointText(c: Connection): string {
  return `${c.client.ip}:${c.client.port} ${c.server.ip}:${c.server.port}`.toLowerCase();
}

/** A predicate for the filters, built once per filter change. */
export function makeConnectionFilter(f: ConnectionFilters): (c: Connection) => boolean {
  const terms = f.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const { scenario, severity, state, finding, timeRange } = f;
  return (c) => {
    if (state !== null && c.state !== state) return false;
    if (scenario !== null && !c.resets.some((r) => r.scenario === scenario)) return false;
    if (severity !== null && !c.resets.some((r) => r.severity === severity)) return false;
    if (finding !== null && !c.resets.some((r) => r.findings.includes(finding))) return false;
    if (timeRange !== null && !c.resets.some((r) => r.time >= timeRange[0] && r.time <= timeRange[1])) return false;
    if (terms.length > 0) {
      const text = endpointText(c);
      for (const t of terms) if (!text.includes(t)) return false;
    }
    return true;
  };
}

function compareIp(a: string, b: string): number {
  // Numeric for IPv4 (so 10.0.0.9 < 10.0.0.10); IPv6 after IPv4, then as text.
  const pa = a.split('.');
  const pb = b.split('.');
  if (pa.length === 4 && pb.length === 4) {
    for (let i = 0; i < 4; i++) {
      const d = Number(pa[i]) - Number(pb[i]);
      if (d !== 0) return d;
    }
    return 0;
  }
  if (pa.length === 4) return -1;
  if (pb.length === 4) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

type Compare = (a: Connection, b: Connection) => number;

const byKey: Record<SortKey, Compare> = {
  id: (a, b) => a.id - b.id,
  client: (a, b) => compareIp(a.client.ip, b.client.ip) || a.client.port - b.client.port,
  server: (a, b) => compareIp(a.server.ip, b.server.ip) || a.server.port - b.server.port,
  state: (a, b) => (a.state < b.state ? -1 : a.state > b.state ? 1 : 0),
  history: (a, b) => (a.history < b.history ? -1 : a.history > b.history ? 1 : 0),
  packets: (a, b) => a.packets - b.packets,
  bytesClient: (a, b) => a.bytes.client - b.bytes.client,
  bytesServer: (a, b) => a.bytes.server - b.bytes.server,
  start: (a, b) => a.start - b.start,
  duration: (a, b) => a.end - a.start - (b.end - b.start),
  resets: (a, b) => a.resets.length - b.resets.length,
  scenario: (a, b) => {
    const sa = a.resets[0]?.scenario ?? '\uffff';
    const sb = b.resets[0]?.scenario ?? '\uffff';
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  },
};

/**
 * Indices into `connections` of the rows to show, filtered and sorted. Ties keep connection order,
 * so the list never shuffles between two equal rows.
 */
export function selectConnectionRows(
  connections: readonly Connection[],
  filters: ConnectionFilters,
  sort: SortState,
): Uint32Array {
  const keep = isFiltered(filters) ? makeConnectionFilter(filters) : null;
  const out = new Uint32Array(connections.length);
  let n = 0;
  for (let i = 0; i < connections.length; i++) {
    if (keep === null || keep(connections[i]!)) out[n++] = i;
  }
  const rows = out.subarray(0, n);
  // Connections are stored in id order, so the filter loop already produced that order.
  if (sort.key === 'id') return sort.desc ? rows.reverse() : rows;
  const cmp = sort.key === null ? null : byKey[sort.key];
  const sign = sort.desc ? -1 : 1;
  rows.sort((ia, ib) => {
    const a = connections[ia]!;
    const b = connections[ib]!;
    if (cmp === null) {
      const ra = a.resets.length > 0 ? 0 : 1;
      const rb = b.resets.length > 0 ? 0 : 1;
      return ra - rb || ia - ib;
    }
    return sign * cmp(a, b) || ia - ib;
  });
  return rows;
}

/** The distinct values a filter menu offers, from what the capture holds. */
export function filterChoices(connections: readonly Connection[]): { scenarios: string[]; states: string[] } {
  const scenarios = new Set<string>();
  const states = new Set<string>();
  for (const c of connections) {
    states.add(c.state);
    for (const r of c.resets) scenarios.add(r.scenario);
  }
  return { scenarios: [...scenarios].sort(), states: [...states].sort() };
}
