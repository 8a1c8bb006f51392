/**
 * `abort` — seed 000 scenario 2 (a reset in the middle of a conversation: the sender aborts its
 * queued segments, an "abortive" release instead of an orderly FIN), seed 002 "the application at
 * one end of the connection has been closed or has crashed"; SCENARIOS.md `abort`.
 */
import { TcpFlag, type Evidence, type FrameClaim } from '../../model/types.ts';

const { SYN, ACK } = TcpFlag;
import { durationText, endpointText } from '../format.ts';
import { claim, clamp, dataClaim, oneText, pktClaim, pktText, rstClaim, rstFact, synClaim, tidy, type Rule } from './common.ts';
import type { Pkt, ResetContext } from '../reset-context.ts';
import { MIN_FORGET_NS } from './stale.ts';
import { dataState } from './flow.ts';
import { acksKnown, cutShort } from './app-facts.ts';

export const abort: Rule = {
  id: 'abort',
  match(x) {
    const { me, peer, rst } = x;
    if (me.packets === 0) return null;
    // The originator gives up on its own attempt before (or right after) the SYN-ACK.
    if (me.synFrame && !me.synAck && me.dataPackets === 0 && peer.dataPackets === 0) {
      const answered = peer.synAck;
      return {
        confidence: answered ? 0.5 : 0.4,
        evidence: () => [
          { frame: me.synFrame, fact: `SYN from the ${x.side} ${endpointText(x.sender)}`, claim: synClaim(x.side) },
          answered
            ? { frame: peer.synFrame, fact: oneText(`SYN-ACK from ${endpointText(x.receiver)}: the connection was accepted`), claim: claim(x.peerSide, { set: SYN | ACK }) }
            : { fact: `no SYN-ACK from ${endpointText(x.receiver)} yet`, absent: { from: x.peerSide, set: SYN | ACK, before: rst.frame } },
          { frame: rst.frame, fact: `${rstFact(x)} ${durationText(rst.timeNs - (me.last?.timeNs ?? rst.timeNs))} after its own last packet, with no data sent: the ${x.side} cancelled its own connection`, claim: rstClaim(x) },
        ],
      };
    }
    const s = dataState(x);
    // A host answering the first data of a connection it accepted moments ago as if it had none:
    // one such reset is an abort; many at once are accept-queue overflow (findings/overload.ts).
    const young = youngForgotten(x);
    const lastFromPeer = !s.peerSendsAfter && s.lastData !== null && !s.lastDataFromSender;
    // "Never acknowledged" only where the capture holds the ACKs that would have said otherwise.
    const peerUnacked = s.peerUnacked && acksKnown(x, x.side);
    const senderUnacked = s.senderUnacked && acksKnown(x, x.peerSide);
    // The application's message cut short (an HTTP body short of its length, a TLS record cut mid-way).
    const cut = cutShort(x);
    let confidence = 0.55;
    if (peerUnacked) confidence = 0.8;
    if (senderUnacked) confidence = Math.max(confidence, 0.75);
    if (cut) confidence = Math.max(confidence, 0.8);
    if (s.peerSendsAfter) confidence = Math.max(confidence, 0.78);
    if (lastFromPeer) confidence = Math.max(confidence, 0.72);
    if (young) confidence = Math.min(confidence, 0.6);
    const evidence = (): Evidence[] => {
      const e: { frame?: number | undefined; fact: string; claim?: FrameClaim }[] = [];
      if (cut) e.push(cut);
      if (peerUnacked) e.push({ frame: peer.lastData?.frame, fact: `data from ${endpointText(x.receiver)} that the ${x.side} never acknowledged: it closed with data unread`, claim: dataClaim(x.peerSide) });
      if (senderUnacked) e.push({ frame: me.lastData?.frame, fact: `the ${x.side}'s own data was not yet acknowledged: it was lost with the reset`, claim: dataClaim(x.side) });
      if (s.peerSendsAfter) e.push({ frame: x.after.peerDataAfterFirst?.frame, fact: `${endpointText(x.receiver)} was still sending: data from it arrived after the reset`, claim: dataClaim(x.peerSide) });
      if (lastFromPeer) e.push({ frame: s.lastData!.frame, fact: `the last data came from ${endpointText(x.receiver)} and got no reply: the ${x.side} stopped mid-conversation`, claim: dataClaim(x.peerSide) });
      if (young) {
        e.push({
          frame: young.frame,
          fact: `${x.sender.ip} answered ${pktText(young)} ${durationText(rst.timeNs - young.timeNs)} later as a host without the connection, ${durationText(rst.timeNs - me.synTimeNs)} after accepting it: a listener that never took it from its queue does this (overloaded), an application that crashed too`,
          claim: pktClaim(young),
        });
      }
      if (e.length === 0) {
        e.push({ fact: me.dataPackets + peer.dataPackets === 0 ? 'no data was exchanged before the reset' : 'the exchange does not look complete' });
      }
      e.push({ frame: rst.frame, fact: `${rstFact(x)}${me.finFrame ? '' : ', which had sent no FIN'}${rst.flags & TcpFlag.ACK ? '' : ' (no ACK flag)'}`, claim: claim(x.side, { set: TcpFlag.RST, ...(rst.flags & TcpFlag.ACK ? {} : { clear: TcpFlag.ACK }) }) });
      return tidy(e);
    };
    return { confidence: clamp(confidence), evidence, ...(young ? { also: [{ scenario: 'overload' as const, confidence: 0.5 }] } : {}) };
  },
  explain(x) {
    return (
      `The ${x.side} ${endpointText(x.sender)} aborted the connection with ${endpointText(x.receiver)} in the middle of the conversation, ${
        x.me.finFrame ? `with a reset after its own FIN (frame ${x.me.finFrame}) while the exchange was still unfinished` : 'with a reset instead of an orderly FIN'
      }. ` +
      `Its application closed abruptly: it crashed, hit an error or timeout, or closed the socket with data still unread (any data in flight was lost).`
    );
  },
};

/**
 * The RST is a stateless answer (no ACK flag, seq = the segment's ack) to the peer's data on a
 * connection the sender SYN-ACKed under a second before, having acknowledged nothing but the SYN:
 * the segment it answers, or null.
 */
function youngForgotten(x: ResetContext): Pkt | null {
  const { me, rst } = x;
  const seg = x.prevPeer;
  if (!seg || seg.len === 0 || !me.synAck || rst.flags & TcpFlag.ACK || rst.seq !== seg.ack) return null;
  if (rst.timeNs - me.synTimeNs >= MIN_FORGET_NS || me.dataPackets > 0) return null;
  if (me.highestAck !== null && me.highestAck !== ((x.peer.synSeq + 1) >>> 0)) return null;
  return seg;
}
