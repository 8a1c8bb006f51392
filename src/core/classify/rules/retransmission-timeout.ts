/**
 * `retransmission-timeout` — seed 002 "network issues, such as latency, jitter, or packet loss that
 * are causing the client to believe the connection is no longer viable"; SCENARIOS.md
 * `retransmission-timeout`. The RST sender retransmitted the same data several times without an
 * ACK, then gave up.
 */
import { seqGt } from '../../tcp/seq.ts';
import { durationText, endpointText, framesText } from '../format.ts';
import { TcpFlag } from '../../model/types.ts';
import { claim, clamp, dataClaim, rstClaim, rstFact, tidy, type Rule } from './common.ts';

/** Retransmissions without an ACK before a reset counts as giving up. */
export const MIN_RETRANSMISSIONS = 2;

export const retransmissionTimeout: Rule = {
  id: 'retransmission-timeout',
  match(x) {
    const { me, peer, rst } = x;
    if (me.retransSinceAck < MIN_RETRANSMISSIONS || me.dataEnd === null) return null;
    // Seam (x.completeness): "no ACK came" only where the peer's ACKs could be seen.
    if (peer.highestAck !== null && !seqGt(me.dataEnd, peer.highestAck)) return null;
    const frames = me.retransFrames;
    const evidence = () => tidy([
      { frame: frames[0], fact: `${framesText(frames)}: ${me.retransSinceAck} retransmissions of the same data by the ${x.side} ${endpointText(x.sender)}`, claim: dataClaim(x.side) },
      {
        frame: peer.highestAckFrame || undefined,
        claim: claim(x.peerSide, { set: TcpFlag.ACK }),
        fact: peer.highestAckFrame
          ? `the last acknowledgement from ${endpointText(x.receiver)} does not cover that data; no ACK came after`
          : `${endpointText(x.receiver)} never acknowledged any of it`,
      },
      { frame: rst.frame, fact: `${rstFact(x)} ${durationText(rst.timeNs - (me.last?.timeNs ?? rst.timeNs))} after the last retransmission`, claim: rstClaim(x) },
    ]);
    return { confidence: clamp(0.8 + 0.04 * (me.retransSinceAck - MIN_RETRANSMISSIONS)), evidence };
  },
  explain(x) {
    return (
      `The ${x.side} ${endpointText(x.sender)} sent the same data ${x.me.retransSinceAck + 1} times without an acknowledgement from ${endpointText(x.receiver)}, then gave up and reset the connection. ` +
      `The path between the hosts was losing packets, or the peer had gone away.`
    );
  },
};
