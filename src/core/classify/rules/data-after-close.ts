/**
 * `data-after-close` — seed 001 case two (the FTP client sends LIST, closes at once with FIN, the
 * server's late reply gets a reset), seed 002 "unexpected data"; SCENARIOS.md `data-after-close`.
 * The RST sender had sent FIN, the peer then sent data, and the RST answers that data.
 */
import { TcpFlag, type Evidence } from '../../model/types.ts';
import { seqGt, seqLt } from '../../tcp/seq.ts';
import { durationText, endpointText } from '../format.ts';
import type { Pkt, ResetContext } from '../reset-context.ts';
import { goodbyeOnly } from './app-facts.ts';
import { claim, clamp, rstClaim, rstFact, type Rule } from './common.ts';

/**
 * The peer's data that reached the RST's sender after its FIN (sent after it, or crossing it within
 * a round trip), with nothing new from the sender since; null when there is none.
 */
export function dataAfterFin(x: ResetContext): { d: Pkt; crossed: boolean } | null {
  const { me, peer } = x;
  if (!me.finFrame) return null;
  const d = peer.lastData;
  if (!d) return null;
  // Data seen before the FIN at the capture point may still have reached the sender after it:
  // sent before the peer saw the FIN (its ack stops short of it), crossing it within a round trip.
  const crossed = d.timeNs < me.finTimeNs;
  if (crossed) {
    const unacked = me.highestAck === null || !seqGt(me.highestAck, d.seq);
    const beforeFinSeen = (d.flags & TcpFlag.ACK) !== 0 && me.nextSeq !== null && seqLt(d.ack, me.nextSeq);
    if (!(unacked && beforeFinSeen && me.finTimeNs - d.timeNs <= x.inFlightNs)) return null;
  }
  // The RST comes after that data, with nothing new from the sender in between.
  if (me.lastData && me.lastData.timeNs > d.timeNs) return null;
  return { d, crossed };
}

export const dataAfterClose: Rule = {
  id: 'data-after-close',
  match(x) {
    const { me, rst } = x;
    const late = dataAfterFin(x);
    if (!late) return null;
    const { d, crossed } = late;
    // When the data after the close is only the protocol's goodbye (TLS close_notify), nothing was
    // lost: that is a normal close (`fast-close`, which cites the goodbye), not this problem.
    if (goodbyeOnly(x, d)) return null;
    const socketGone = !(rst.flags & TcpFlag.ACK) && rst.seq === d.ack;
    const evidence = (): Evidence[] => {
      const e: Evidence[] = [
        { frame: me.finFrame, fact: `FIN from the ${x.side} ${endpointText(x.sender)}: it had finished sending`, claim: claim(x.side, { set: TcpFlag.FIN }) },
        crossed
          ? { frame: d.frame, fact: `${d.len} bytes of data from ${endpointText(x.receiver)}, sent before it saw that FIN (its ack stops short of it): they crossed, and the data reached the ${x.side} after it had closed`, claim: claim(x.peerSide, { minLen: d.len, maxLen: d.len }) }
          : { frame: d.frame, fact: `${d.len} bytes of data from ${endpointText(x.receiver)} ${durationText(d.timeNs - me.finTimeNs)} after that FIN`, claim: claim(x.peerSide, { minLen: d.len, maxLen: d.len }) },
        { frame: rst.frame, fact: `${rstFact(x)} ${durationText(rst.timeNs - d.timeNs)} after the data`, claim: rstClaim(x) },
      ];
      if (socketGone) e.push({ frame: rst.frame, fact: 'no ACK flag and seq = the data\'s ack: the socket was already gone', claim: claim(x.side, { set: TcpFlag.RST, clear: TcpFlag.ACK, seqIsAckOf: d.frame }) });
      return e;
    };
    return { confidence: clamp(0.85 + (socketGone ? 0.05 : 0)), evidence };
  },
  explain(x) {
    return (
      `The ${x.side} ${endpointText(x.sender)} had already closed its side (FIN) when ${endpointText(x.receiver)} sent more data, so it answered that data with a reset. ` +
      `One side closed while the other still had something to say: typically a reply that came after the requester had hung up; that data was lost.`
    );
  },
};
