/**
 * `fast-close` — seed 001 ("many websites will send resets on the connections opened to them after
 * they sent all webpage information to the client, and this is a normal server behavior");
 * SCENARIOS.md `fast-close`. The exchange looks complete: the last data was acknowledged, or a FIN
 * exchange had begun, and no data was lost.
 */
import { TcpFlag, type Evidence } from '../../model/types.ts';

const { FIN, ACK } = TcpFlag;
import { endpointText } from '../format.ts';
import { claim, clamp, closeCompleted, oneText, rstClaim, rstFact, tidy, type Rule } from './common.ts';
import { dataState } from './flow.ts';
import { appComplete, cutShort, goodbyeOnly } from './app-facts.ts';
import { dataAfterFin } from './data-after-close.ts';

export const fastClose: Rule = {
  id: 'fast-close',
  match(x) {
    const { me, peer, rst } = x;
    if (me.packets === 0 || peer.packets === 0) return null;
    // The only data after the sender's FIN is TLS's goodbye: the close was orderly for the application.
    const late = dataAfterFin(x);
    const bye = late && goodbyeOnly(x, late.d);
    if (bye) {
      return {
        confidence: clamp(0.85),
        evidence: () => [
          { frame: me.finFrame, fact: `FIN from the ${x.side} ${endpointText(x.sender)}: it had finished sending`, claim: claim(x.side, { set: FIN }) },
          bye,
          { frame: rst.frame, fact: `${rstFact(x)} answers that goodbye: the ${x.side} had closed its socket`, claim: rstClaim(x) },
        ],
        also: [{ scenario: 'data-after-close', confidence: 0.5 }],
      };
    }
    // Complete means complete for the application too: a body or record cut short is an abort.
    if (cutShort(x)) return null;
    const s = dataState(x);
    if (s.senderUnacked || s.peerUnacked || s.peerSendsAfter) return null;
    const fin = me.finFrame || peer.finFrame;
    const both = me.finFrame && peer.finFrame;
    const completed = closeCompleted(x);
    const serverSide = x.side === 'server' ? me : peer;
    const replyLast = me.dataPackets > 0 && peer.dataPackets > 0 && s.lastData !== null && s.lastData === serverSide.lastData;
    if (!fin && !replyLast) return null;
    const done = appComplete(x);
    const evidence = (): Evidence[] => {
      const e: Parameters<typeof tidy>[0] = [];
      if (fin) {
        if (completed) {
          e.push({ frame: me.finFrame, fact: `FIN from the ${x.side} ${endpointText(x.sender)}`, claim: claim(x.side, { set: FIN }) });
          e.push({ frame: peer.finFrame, fact: `FIN from the ${x.peerSide} ${endpointText(x.receiver)}`, claim: claim(x.peerSide, { set: FIN }) });
          e.push({ frame: peer.highestAckFrame, fact: `${endpointText(x.receiver)} acknowledged the ${x.side}'s FIN: the close was complete before the RST`, claim: claim(x.peerSide, { set: ACK }) });
        } else {
          const finSide = fin === me.finFrame ? x.side : x.peerSide;
          e.push({ frame: fin, fact: both ? 'both sides had sent FIN: the close had begun' : `FIN from the ${finSide}: the close had begun`, claim: claim(finSide, { set: FIN }) });
        }
      } else {
        e.push({ frame: s.lastData!.frame, fact: oneText(`the server's reply (${s.lastData!.len} bytes) was the last data: the exchange was complete`), claim: claim('server', { minLen: s.lastData!.len, maxLen: s.lastData!.len }) });
      }
      if (done) e.push(done);
      if (me.dataEnd !== null && !completed) {
        e.push(
          s.ackCrossed
            ? { frame: s.ackCrossed.frame, fact: `${endpointText(x.receiver)} acknowledged all of the ${x.side}'s data (its ACK crossed the RST)`, claim: claim(x.peerSide, { set: ACK }) }
            : { frame: peer.highestAckFrame, fact: oneText(`${endpointText(x.receiver)} had acknowledged all of the ${x.side}'s data`), claim: claim(x.peerSide, { set: ACK }) },
        );
      }
      if (peer.dataEnd !== null) e.push({ frame: rst.frame, fact: `${rstFact(x)} acknowledges everything ${x.receiver.ip} sent: no data lost`, claim: rstClaim(x) });
      else e.push({ frame: rst.frame, fact: `${rstFact(x)}; no data outstanding on either side`, claim: rstClaim(x) });
      return tidy(e);
    };
    return { confidence: clamp((completed ? 0.9 : fin ? (both ? 0.85 : 0.8) : 0.78) + (done ? 0.05 : 0)), evidence };
  },
  explain(x) {
    const late = dataAfterFin(x);
    if (late && goodbyeOnly(x, late.d)) {
      return (
        `The ${x.side} ${endpointText(x.sender)} had closed its side (FIN); ${endpointText(x.receiver)} then sent only TLS's goodbye (close_notify), and the closed socket answered it with a reset. ` +
        `Nothing was lost: the application data was complete, only the farewell went unread. This is how many TLS clients and servers end a session.`
      );
    }
    return (
      `The ${x.side} ${endpointText(x.sender)} ended the connection with a reset after the exchange with ${endpointText(x.receiver)} was complete: every byte had been acknowledged. ` +
      `Many servers (and some clients) close this way to save the four-packet FIN exchange; it is normal unless the peer reports truncated data.`
    );
  },
};
