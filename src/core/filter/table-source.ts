import { dirIndex, synAckToAck, synToSynAck, type ConnectionTable } from '../tcp/connection-table.ts';
import { streamNumber } from '../model/stream-number.ts';
import type { FilterSource } from './evaluate.ts';

/**
 * The filter's view of the analysis's connection table (command line, worker). `expert` is the
 * connections' expert masks (expert.ts, `expertMasks`), for the `tcp.analysis.*` fields; without it
 * they match nothing.
 */
export function tableFilterSource(table: ConnectionTable, expert?: Uint32Array): FilterSource {
  const C = table.conn;
  const D = table.dir;
  return {
    count: table.length,
    stream: (id) => streamNumber(table, id),
    addresses: table.hosts.values,
    clientAddress: (id) => C.clientHost[id]!,
    serverAddress: (id) => C.serverHost[id]!,
    clientPort: (id) => C.clientPort[id]!,
    serverPort: (id) => C.serverPort[id]!,
    sentPackets: (id, fromClient) => D.packets[dirIndex(id, fromClient)]!,
    sentResets: (id, fromClient) => table.rstFrames.get(dirIndex(id, fromClient))?.length ?? 0,
    state: (id) => table.stateOf(id),
    history: (id) => table.history[id]!,
    bytes: (id) => D.bytes[2 * id]! + D.bytes[2 * id + 1]!,
    packets: (id) => C.packets[id]!,
    duration: (id) => (C.endNs[id]! - C.startNs[id]!) * 1e-9,
    rtt: (id) => handshakeRtt(table, id),
    resetCount: (id) => table.resetsOf(id).length,
    resetScenario: (id, k) => table.resetsOf(id)[k]!.scenario,
    resetSeverity: (id, k) => table.resetsOf(id)[k]!.severity,
    serverName: (id) => table.apps?.service(id) ?? null,
    expertKinds: (id) => expert?.[id] ?? 0,
  };
}

/**
 * The handshake's round trip as seen at the capture point: the first SYN to the SYN-ACK plus the
 * SYN-ACK to the ACK that completes the handshake (Wireshark's tcp.analysis.initial_rtt). Null unless
 * all three were seen.
 */
export function handshakeRtt(table: ConnectionTable, id: number): number | null {
  return rttOf({ synToSynAck: synToSynAck(table, id), synAckToAck: synAckToAck(table, id) });
}

/** The same from a connection's `handshake`, so the page's list and the report agree to the bit. */
export function rttOf(handshake: { synToSynAck: number | null; synAckToAck: number | null }): number | null {
  return handshake.synToSynAck === null || handshake.synAckToAck === null ? null : handshake.synToSynAck + handshake.synAckToAck;
}
