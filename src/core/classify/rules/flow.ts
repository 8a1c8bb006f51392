/** Where the data stood when the RST was sent: shared by `fast-close` and `abort`. */
import { TcpFlag } from '../../model/types.ts';
import { seqGt, seqLt } from '../../tcp/seq.ts';
import type { Pkt, ResetContext } from '../reset-context.ts';

export interface DataState {
  /** The sender's own data not yet acknowledged by the peer at the RST. */
  senderUnacked: boolean;
  /** ...but the peer's acknowledgement for all of it crossed the RST. */
  ackCrossed: Pkt | null;
  /** The peer's data the sender had not acknowledged (not even in the RST). */
  peerUnacked: boolean;
  /** The peer sent data after the RST (it was still sending). */
  peerSendsAfter: boolean;
  /** The last data segment before the RST, from either side. */
  lastData: Pkt | null;
  lastDataFromSender: boolean;
}

export function dataState(x: ResetContext): DataState {
  const { me, peer, rst } = x;
  let senderUnacked = me.dataEnd !== null && (peer.highestAck === null || seqGt(me.dataEnd, peer.highestAck));
  let ackCrossed: Pkt | null = null;
  const next = x.after.peerNext;
  if (senderUnacked && next && next.flags & TcpFlag.ACK && me.dataEnd !== null && !seqLt(next.ack, me.dataEnd) && next.len === 0) {
    ackCrossed = next;
    senderUnacked = false;
  }
  let peerUnacked = false;
  if (peer.dataEnd !== null) {
    const acked = me.highestAck !== null && !seqLt(me.highestAck, peer.dataEnd);
    const inRst = (rst.flags & TcpFlag.ACK) !== 0 && !seqLt(rst.ack, peer.dataEnd);
    peerUnacked = !acked && !inRst;
  }
  const lastData = !me.lastData ? peer.lastData : !peer.lastData ? me.lastData : me.lastData.timeNs >= peer.lastData.timeNs ? me.lastData : peer.lastData;
  return {
    senderUnacked,
    ackCrossed,
    peerUnacked,
    peerSendsAfter: x.after.peerDataAfter > 0,
    lastData,
    lastDataFromSender: lastData !== null && lastData === me.lastData,
  };
}
