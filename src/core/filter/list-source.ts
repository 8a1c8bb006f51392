import { SEVERITY_CODES, type ListColumns } from '../model/list-columns.ts';
import { streamNumber } from '../model/stream-number.ts';
import type { FilterSource } from './evaluate.ts';

/**
 * The filter's view of the page's list columns. Where a list does not know who sent what (NaN), each
 * side counts as having sent packets, so src/dst fields match on either side rather than on none.
 */
export function listFilterSource(list: ListColumns): FilterSource {
  const resetsSentBy = (id: number, fromServer: number): number => {
    let n = 0;
    for (let j = list.resetStart[id]!, end = list.resetStart[id + 1]!; j < end; j++) if (list.resetFromServer[j] === fromServer) n++;
    return n;
  };
  return {
    count: list.count,
    stream: (id) => streamNumber(list, id),
    addresses: list.ips,
    clientAddress: (id) => list.clientIp[id]!,
    serverAddress: (id) => list.serverIp[id]!,
    clientPort: (id) => list.clientPort[id]!,
    serverPort: (id) => list.serverPort[id]!,
    sentPackets: (id, fromClient) => {
      const byClient = list.sentByClient[id]!;
      if (Number.isNaN(byClient)) return list.packets[id]!;
      return fromClient ? byClient : list.packets[id]! - byClient;
    },
    sentResets: (id, fromClient) => (list.resetStart[id + 1] === list.resetStart[id] ? 0 : resetsSentBy(id, fromClient ? 0 : 1)),
    state: (id) => list.states[list.state[id]!]!,
    history: (id) => list.histories[list.history[id]!]!,
    bytes: (id) => list.bytesClient[id]! + list.bytesServer[id]!,
    packets: (id) => list.packets[id]!,
    duration: (id) => list.end[id]! - list.start[id]!,
    rtt: (id) => (Number.isNaN(list.rtt[id]!) ? null : list.rtt[id]!),
    resetCount: (id) => list.resetStart[id + 1]! - list.resetStart[id]!,
    resetScenario: (id, k) => list.scenarios[list.resetScenario[list.resetStart[id]! + k]!]!,
    resetSeverity: (id, k) => SEVERITY_CODES[list.resetSeverity[list.resetStart[id]! + k]!]!,
    serverName: (id) => list.services[list.service[id]!] || null,
    expertKinds: (id) => list.expert[id] ?? 0,
  };
}
