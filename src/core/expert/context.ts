/** Where the expert analysis reads a connection's handshake round trip and window scaling. */
import { handshakeRtt, rttOf } from '../filter/table-source.ts';
import type { Connection } from '../model/types.ts';
import { dirIndex, type ConnectionTable } from '../tcp/connection-table.ts';
import type { ExpertContext } from './expert.ts';

/**
 * A side's window shift as Wireshark applies it: known once both SYNs were seen, the announced shift
 * when both sides announced one (RFC 7323 §2.2), else 0; -1 when a SYN is missing.
 */
function shiftOf(ownSyn: boolean, peerSyn: boolean, own: number, peer: number): number {
  if (!ownSyn || !peerSyn) return -1;
  return own >= 0 && peer >= 0 ? own : 0;
}

/** The context from the analysis's connection table (the worker, the command line). */
export function tableExpertContext(table: ConnectionTable): ExpertContext {
  const D = table.dir;
  return {
    rtt: (id) => handshakeRtt(table, id),
    windowShift: (id, fromClient) => {
      const own = dirIndex(id, fromClient);
      const peer = dirIndex(id, !fromClient);
      return shiftOf(D.synFrame[own]! !== 0, D.synFrame[peer]! !== 0, D.windowScale[own]!, D.windowScale[peer]!);
    },
  };
}

/** The context of one connection, for its own packets (rows 0..n-1; the connection is number 0). */
export function connectionExpertContext(conn: Pick<Connection, 'handshake' | 'dir'>): ExpertContext {
  const { client, server } = conn.dir;
  return {
    rtt: () => rttOf(conn.handshake),
    windowShift: (_id, fromClient) => {
      const [own, peer] = fromClient ? [client, server] : [server, client];
      return shiftOf(own.synFrame !== null, peer.synFrame !== null, own.windowScale, peer.windowScale);
    },
  };
}
