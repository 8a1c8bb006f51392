/**
 * `stale` — seed 000 scenario 3 (the host timed out the connection or was rebooted; when the client
 * uses the old connection the host answers with a reset: closing a "half" session); SCENARIOS.md
 * `stale`. After a gap the peer sends on a connection that existed earlier and the host answers as
 * a host without state does (RFC 9293 §3.10.7.1: no ACK flag, seq = the segment's ack).
 */
import { goodbyeOnly } from './app-facts.ts';
import { dataAfterFin } from './data-after-close.ts';
import { TcpFlag, type Evidence } from '../../model/types.ts';
import { durationText, endpointText } from '../format.ts';
import { answersPeer, claim, clamp, closeCompleted, pktClaim, pktText, rhythmNs, type Rule } from './common.ts';
import { MIN_IDLE_NS, RHYTHM_FACTOR } from './idle-timeout.ts';

const { SYN, ACK, FIN } = TcpFlag;

/** A connection younger than this (since its sender's SYN or SYN-ACK) was not forgotten by a timeout or a restart. */
export const MIN_FORGET_NS = 1e9;

export const stale: Rule = {
  id: 'stale',
  match(x) {
    const { rst, me } = x;
    if (!answersPeer(x) || me.packets === 0 || me.rsts > 0) return null;
    // After a completed FIN exchange there is nothing left to forget: that is a fast close.
    if (closeCompleted(x)) return null;
    // A socket the sender closed (FIN) answering only TLS's goodbye: that is a fast close too.
    const late = dataAfterFin(x);
    if (late && goodbyeOnly(x, late.d)) return null;
    // The clock: a host does not time out or lose a connection it took part in opening moments ago
    // (a burst of these is accept-queue overflow, findings/overload.ts).
    const openedNs = me.synFrame ? me.synTimeNs : x.conn.start * 1e9;
    if (rst.timeNs - openedNs < MIN_FORGET_NS) return null;
    const seg = x.prevPeer!;
    if (seg.flags & SYN || (seg.flags & FIN && seg.len === 0)) return null;
    if (!(seg.flags & ACK) || rst.seq !== seg.ack) return null;
    const stateless = !(rst.flags & ACK);
    const gap = x.gapBeforePrevPeerNs;
    const gapOk = gap >= MIN_IDLE_NS && gap >= RHYTHM_FACTOR * rhythmNs(x) && gap >= 2 * x.maxGapBeforePrevPeerNs;
    if (!stateless && !gapOk) return null;
    const evidence = (): Evidence[] => {
      const e: Evidence[] = [];
      if (me.last) e.push({ frame: me.last.frame, fact: `last packet from the ${x.side} ${endpointText(x.sender)} while it still knew the connection`, claim: claim(x.side) });
      e.push({
        frame: seg.frame,
        claim: pktClaim(seg),
        fact: `${pktText(seg)} from ${endpointText(x.receiver)}${gapOk ? ` after ${durationText(gap)} of silence (the connection's usual gap is ${durationText(x.conn.medianGap * 1e9)})` : ''}`,
      });
      e.push({
        frame: rst.frame,
        claim: claim(x.side, { set: TcpFlag.RST, ...(stateless ? { clear: ACK } : {}), seqIsAckOf: seg.frame }),
        fact: `${stateless ? 'RST without ACK' : 'RST'} ${durationText(rst.timeNs - seg.timeNs)} later, seq = that segment's ack: the answer of a host with no record of the connection`,
      });
      return e;
    };
    let confidence = stateless && gapOk ? 0.85 : stateless ? 0.55 : 0.5;
    if (seg.len > 0) confidence += 0.04;
    return { confidence: clamp(confidence), evidence };
  },
  explain(x) {
    return (
      `${endpointText(x.receiver)} sent on a connection that ${endpointText(x.sender)} had already forgotten, and got a reset back. ` +
      `The ${x.side} ${x.sender.ip} timed the connection out, was restarted, or failed over while ${x.receiver.ip} still held it open (a "half" session).`
    );
  },
};
