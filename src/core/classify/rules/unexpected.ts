/**
 * `unexpected` — seed 002 "A packet was received that wasn't expected" (and the Windows case of
 * data the stack did not expect); SCENARIOS.md `unexpected`. The RST answers a segment for which its
 * sender never had state in the capture (a stray SYN-ACK or ACK, backscatter), or whose ACK
 * acknowledges something the sender never sent.
 */
import { TcpFlag, type Evidence } from '../../model/types.ts';
import { seqGt } from '../../tcp/seq.ts';
import { durationText, endpointText } from '../format.ts';
import type { ResetContext } from '../reset-context.ts';
import { claim, clamp, pktClaim, pktText, rstClaim, rstFact, type Rule } from './common.ts';

const { SYN, ACK } = TcpFlag;

/**
 * The RST's TTL is one its sender's stack uses and its IP ID follows the sender's counter: the
 * sender's own stack made it (the text says so), or null.
 */
function ownStack(x: ResetContext): string | null {
  const { rst, record } = x;
  const ttl = x.kernelTtlConn;
  if (!ttl || rst.ttl < ttl.min || rst.ttl > ttl.max) return null;
  if (x.conn.ipVersion !== 4 || rst.ipId === 0 || record.lastIpId < 0) return null;
  const step = (rst.ipId - record.lastIpId) & 0xffff;
  if (step === 0 || step > 64) return null;
  return `TTL ${rst.ttl} as on ${x.sender.ip}'s other packets without payload, and IP ID 0x${hex(rst.ipId)} follows its 0x${hex(record.lastIpId)} of frame ${record.lastIpIdFrame}: its own stack sent this RST`;
}

function hex(n: number): string {
  return n.toString(16).padStart(4, '0');
}

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
          { frame: seg.frame, fact: `${pktText(seg)} from the ${x.peerSide} ${endpointText(x.receiver)}${seg.flags & SYN ? ' with no SYN before it' : ''}`, claim: pktClaim(seg) },
          { fact: `${endpointText(x.sender)} sent nothing on this connection before: no SYN, no SYN-ACK, no data`, absent: { from: x.side, before: rst.frame } },
          { frame: rst.frame, fact: `${rstFact(x)} ${durationText(rst.timeNs - seg.timeNs)} later${seqIsAck ? ', seq = that segment\'s ack' : ''}`, claim: claim(x.side, { set: TcpFlag.RST, ...(seqIsAck ? { seqIsAckOf: seg.frame } : {}) }) },
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
      const own = ownStack(x);
      return {
        confidence: own ? 0.75 : 0.7,
        evidence: () => [
          {
            frame: seg.frame,
            claim: claim(x.peerSide, { set: ACK }),
            fact: synSent
              ? `${pktText(seg)} from ${endpointText(x.receiver)} whose ack does not acknowledge ${x.sender.ip}'s SYN`
              : `${pktText(seg)} from ${endpointText(x.receiver)} acknowledging data ${x.sender.ip} never sent`,
          },
          { frame: rst.frame, fact: `${rstFact(x)} ${durationText(rst.timeNs - seg.timeNs)} later, seq = that ack (RFC 9293: the answer to an unacceptable ACK)`, claim: claim(x.side, { set: TcpFlag.RST, seqIsAckOf: seg.frame }) },
          ...(own ? [{ frame: rst.frame, fact: own, claim: rstClaim(x) }] : []),
        ],
      };
    }
    return null;
  },
  explain(x) {
    if (x.me.packets > 0) {
      return (
        `${endpointText(x.receiver)} sent a segment whose acknowledgement does not fit what ${endpointText(x.sender)} had sent, and ${x.sender.ip} answered with a reset, as TCP requires. ` +
        `Look for a stale or spoofed segment, a middlebox rewriting sequence numbers, or an earlier connection on the same ports.`
      );
    }
    return (
      `${endpointText(x.receiver)} sent a segment that ${endpointText(x.sender)} had no connection for, and ${x.sender.ip} answered with a reset, as TCP requires. ` +
      `Look for spoofed traffic whose replies land here (backscatter), asymmetric routing, or a capture that began in the middle of the connection.`
    );
  },
};
