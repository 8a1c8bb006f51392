/**
 * The endpoints table, as Wireshark's Statistics > Endpoints but for what this tool is about: per host
 * (IP address), its connections as client and as server, the resets it sent and received by scenario,
 * and the packets and payload bytes it sent and received. Built in one pass over the connections, as
 * columns (a port scan of a /16 is 65,536 hosts, not 65,536 objects).
 */
import type { Side } from '../model/primitives.ts';
import { compareIp } from '../model/endpoint.ts';
import { dirIndex, type ConnectionTable } from '../tcp/connection-table.ts';

/** What the table reads of the connections. */
export interface EndpointSource {
  readonly count: number;
  /** Distinct address texts; connections refer to them by index. */
  readonly addresses: readonly string[];
  clientAddress(id: number): number;
  serverAddress(id: number): number;
  packetsFrom(id: number, side: Side): number;
  /** TCP payload bytes the side sent. */
  bytesFrom(id: number, side: Side): number;
  /** Calls `visit` with the sender and scenario of each of the connection's resets. */
  eachReset(id: number, visit: (from: Side, scenario: string) => void): void;
}

export interface EndpointTable {
  /** Hosts; row h is `addresses[h]`, in order of first appearance. */
  count: number;
  addresses: string[];
  asClient: Uint32Array;
  asServer: Uint32Array;
  packetsSent: Float64Array;
  packetsReceived: Float64Array;
  bytesSent: Float64Array;
  bytesReceived: Float64Array;
  resetsSent: Float64Array;
  resetsReceived: Float64Array;
  /** Scenario ids the by-scenario rows refer to. */
  scenarios: string[];
  /**
   * Host h's resets by scenario are rows `byScenarioStart[h] .. byScenarioStart[h + 1]`: the scenario
   * (index into `scenarios`), how many of those it sent and how many it received.
   */
  byScenarioStart: Uint32Array;
  byScenario: Uint16Array;
  byScenarioSent: Float64Array;
  byScenarioReceived: Float64Array;
}

/** The endpoints of the connections `source` gives. */
export function endpointTable(source: EndpointSource): EndpointTable {
  // Hosts are numbered in order of first appearance, over the source's address indices.
  const hostOf = new Int32Array(source.addresses.length).fill(-1);
  const addresses: string[] = [];
  const host = (address: number): number => {
    let h = hostOf[address]!;
    if (h < 0) {
      h = hostOf[address] = addresses.length;
      addresses.push(source.addresses[address]!);
    }
    return h;
  };
  const n = Math.min(source.addresses.length, source.count * 2);
  const asClient = new Uint32Array(n);
  const asServer = new Uint32Array(n);
  const packetsSent = new Float64Array(n);
  const packetsReceived = new Float64Array(n);
  const bytesSent = new Float64Array(n);
  const bytesReceived = new Float64Array(n);
  const resetsSent = new Float64Array(n);
  const resetsReceived = new Float64Array(n);
  const scenarioIndex = new Map<string, number>();
  const scenarios: string[] = [];
  // Per host, scenario -> [sent, received]; only hosts with resets get a map.
  const perHost = new Map<number, Map<number, [number, number]>>();
  const count = (h: number, scenario: number, sent: boolean): void => {
    let m = perHost.get(h);
    if (!m) perHost.set(h, (m = new Map()));
    let pair = m.get(scenario);
    if (!pair) m.set(scenario, (pair = [0, 0]));
    pair[sent ? 0 : 1]++;
  };
  for (let id = 0; id < source.count; id++) {
    const c = host(source.clientAddress(id));
    const s = host(source.serverAddress(id));
    asClient[c]!++;
    asServer[s]!++;
    const cp = source.packetsFrom(id, 'client');
    const sp = source.packetsFrom(id, 'server');
    const cb = source.bytesFrom(id, 'client');
    const sb = source.bytesFrom(id, 'server');
    packetsSent[c]! += cp;
    packetsReceived[c]! += sp;
    packetsSent[s]! += sp;
    packetsReceived[s]! += cp;
    bytesSent[c]! += cb;
    bytesReceived[c]! += sb;
    bytesSent[s]! += sb;
    bytesReceived[s]! += cb;
    source.eachReset(id, (from, scenario) => {
      let k = scenarioIndex.get(scenario);
      if (k === undefined) {
        scenarioIndex.set(scenario, (k = scenarios.length));
        scenarios.push(scenario);
      }
      const [sender, receiver] = from === 'client' ? [c, s] : [s, c];
      resetsSent[sender]!++;
      resetsReceived[receiver]!++;
      count(sender, k, true);
      count(receiver, k, false);
    });
  }
  const hosts = addresses.length;
  const byScenarioStart = new Uint32Array(hosts + 1);
  let rows = 0;
  for (const m of perHost.values()) rows += m.size;
  const byScenario = new Uint16Array(rows);
  const byScenarioSent = new Float64Array(rows);
  const byScenarioReceived = new Float64Array(rows);
  let r = 0;
  for (let h = 0; h < hosts; h++) {
    byScenarioStart[h] = r;
    const m = perHost.get(h);
    if (!m) continue;
    // Most resets first, then by scenario id, so a row reads the same every time.
    const entries = [...m.entries()].sort((a, b) => b[1][0] + b[1][1] - (a[1][0] + a[1][1]) || (scenarios[a[0]]! < scenarios[b[0]]! ? -1 : 1));
    for (const [k, [sent, received]] of entries) {
      byScenario[r] = k;
      byScenarioSent[r] = sent;
      byScenarioReceived[r] = received;
      r++;
    }
  }
  byScenarioStart[hosts] = r;
  const cut = <T extends Uint32Array | Float64Array>(a: T): T => a.slice(0, hosts) as T;
  return {
    count: hosts,
    addresses,
    asClient: cut(asClient),
    asServer: cut(asServer),
    packetsSent: cut(packetsSent),
    packetsReceived: cut(packetsReceived),
    bytesSent: cut(bytesSent),
    bytesReceived: cut(bytesReceived),
    resetsSent: cut(resetsSent),
    resetsReceived: cut(resetsReceived),
    scenarios,
    byScenarioStart,
    byScenario,
    byScenarioSent,
    byScenarioReceived,
  };
}

/** The source over the analysis's connection table (the worker, the command line). */
export function tableEndpointSource(table: ConnectionTable): EndpointSource {
  const C = table.conn;
  const D = table.dir;
  return {
    count: table.length,
    addresses: table.hosts.values,
    clientAddress: (id) => C.clientHost[id]!,
    serverAddress: (id) => C.serverHost[id]!,
    packetsFrom: (id, side) => D.packets[dirIndex(id, side === 'client')]!,
    bytesFrom: (id, side) => D.bytes[dirIndex(id, side === 'client')]!,
    eachReset: (id, visit) => {
      if (table.resetCount(id) === 0) return;
      for (const r of table.eachReset(id)) visit(r.from, r.scenario);
    },
  };
}

/** The columns the endpoints table sorts by. */
export const ENDPOINT_SORT_KEYS = [
  'address',
  'asClient',
  'asServer',
  'resetsSent',
  'resetsReceived',
  'packetsSent',
  'packetsReceived',
  'bytesSent',
  'bytesReceived',
] as const;
export type EndpointSortKey = (typeof ENDPOINT_SORT_KEYS)[number];

/**
 * The hosts to show, in order: those whose address contains `text` (case-insensitive; every
 * whitespace-separated term must), sorted by `key` (ties by address), or, without a key, the most
 * resets (sent and received) first.
 */
export function selectEndpointRows(table: EndpointTable, text: string, key: EndpointSortKey | null, desc: boolean): Uint32Array {
  const terms = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const rows: number[] = [];
  for (let h = 0; h < table.count; h++) {
    const address = table.addresses[h]!.toLowerCase();
    if (terms.every((t) => address.includes(t))) rows.push(h);
  }
  const byAddress = (a: number, b: number): number => compareIp(table.addresses[a]!, table.addresses[b]!);
  if (key === null) {
    const resets = (h: number): number => table.resetsSent[h]! + table.resetsReceived[h]!;
    rows.sort((a, b) => resets(b) - resets(a) || byAddress(a, b));
  } else if (key === 'address') {
    rows.sort((a, b) => (desc ? -1 : 1) * byAddress(a, b));
  } else {
    const column = table[key];
    const sign = desc ? -1 : 1;
    rows.sort((a, b) => sign * (column[a]! - column[b]!) || byAddress(a, b));
  }
  return Uint32Array.from(rows);
}

/** Host h's resets by scenario: `{scenario, sent, received}`, most first. */
export function endpointScenarios(table: EndpointTable, h: number): { scenario: string; sent: number; received: number }[] {
  const out = [];
  for (let r = table.byScenarioStart[h]!, end = table.byScenarioStart[h + 1]!; r < end; r++) {
    out.push({ scenario: table.scenarios[table.byScenario[r]!]!, sent: table.byScenarioSent[r]!, received: table.byScenarioReceived[r]! });
  }
  return out;
}

/** The display filter that keeps a host's connections: `ip.addr == X` (or `ipv6.addr`). */
export function hostFilter(address: string): string {
  return address.includes(':') ? `ipv6.addr == ${address}` : `ip.addr == ${address}`;
}
