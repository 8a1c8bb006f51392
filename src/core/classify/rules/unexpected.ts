/**
 * `unexpected` — seed 002 "A packet was received that wasn't expected" (and the Windows case of
 * data the stack did not expect); SCENARIOS.md `unexpected`. The RST answers a segment for which its
 * sender never had state in the capture (a stray SYN-ACK or ACK, backscatter), or whose ACK
 * acknowledges something the sender never sent.
 */
import { TcpFlag, type Evidence } from '../../model/types.ts';
import { seqGt } from '../../tcp/seq.ts';
import { durationText, endpointText } from '../format.ts';
import { clamp, pktText, rstFact, type Rule } from './common.ts';

const { SYN, ACK } = TcpFlag;

export const unexpected: Rule = {
  id: 'unexpected',
  match(x) {
    const seg = x.prevPeer;
    const { me, rst } = x;
    if (!seg) return null;
    if ((seg.flags & (SYN | ACK)) === SYN) return null;
    if (me.rsts > 0) return null;
    if (me.packets === 0) {
      const seqIsAck = (seg.flags & ACK) !== 0 && rst.seq === seg.ack;
      const confidence = ((seg.flags & SYN) !== 0 ? 0.88 : 0.75) + (seqIsAck ? 0.05 : 0);
      const evidence = (): Evidence[] => {
        const e: Evidence[] = [
          { frame: seg.frame, fact: `${pktText(seg)} from the ${x.peerSide} ${endpointText(x.receiver)}${seg.flags & SYN ? ' with no SYN before it' : ''}` },
          { fact: `${endpointText(x.sender)} sent nothing on this connection before: no SYN, no SYN-ACK, no data` },
          { frame: rst.frame, fact: `${rstFact(x)} ${durationText(rst.timeNs - seg.timeNs)} later${seqIsAck ? ', seq = that segment\'s ack' : ''}` },
        ];
        if (x.conn.state === 'OTH' || x.conn.history.startsWith('^')) {
          e.push({ fact: 'the connection has no handshake in the capture: if the capture began mid-stream, this may be a stale connection instead' });
        }
        return e;
      };
      return { confidence: clamp(confidence), evidence };
    }
    // The segment acknowledges something the sender never sent (RFC 9293 §3.10.7.3: unacceptable ACK).
    if (seg.flags & ACK && me.nextSeq !== null) {
      const synSent = me.synFrame !== 0 && !me.synAck && me.highestAck === null;
      const bad = synSent ? seg.ack !== ((me.synSeq + 1) >>> 0) : seqGt(seg.ack, me.nextSeq);
      if (!bad) return null;
      return {
        confidence: 0.7,
        evidence: () => [
          {
            frame: seg.frame,
            fact: synSent
              ? `${pktText(seg)} from ${endpointText(x.receiver)} whose ack does not acknowledge ${x.sender.ip}'s SYN`
              : `${pktText(seg)} from ${endpointText(x.receiver)} acknowledging data ${x.sender.ip} never sent`,
          },
          { frame: rst.frame, fact: `${rstFact(x)} ${durationText(rst.timeNs - seg.timeNs)} later, seq = that ack (RFC 9293: the answer to an unacceptable ACK)` },
        ],
      };
    }
    return null;
  },
  explain(x) {
    return (
      `${endpointText(x.receiver)} sent a segment that ${endpointText(x.sender)} had no connection for, and ${x.sender.ip} answered with a reset, as TCP requires. ` +
      `Look for spoofed traffic whose replies land here (backscatter), asymmetric routing, or a capture that began in the middle of the connection.`
    );
  },
};
