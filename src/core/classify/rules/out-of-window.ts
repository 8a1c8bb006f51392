/**
 * `out-of-window` — seed 002 (desynchronisation between the endpoints) and RFC 5961 §3.2 (a RST
 * whose sequence number is outside the receiver's window is ignored; one inside but not exact
 * draws a challenge ACK); SCENARIOS.md `out-of-window`.
 */
import { TcpFlag, type Evidence } from '../../model/types.ts';
import { checkSeq, relSeq } from '../seq-check.ts';
import { endpointText } from '../format.ts';
import { acksVisible } from './app-facts.ts';
import { claim, clamp, outside, rstClaim, rstFact, ttlText, type Rule } from './common.ts';

export const outOfWindow: Rule = {
  id: 'out-of-window',
  match(x) {
    // No window judgement from a direction the capture does not show (or shows without its ACKs).
    if (!acksVisible(x, x.peerSide)) return null;
    const s = checkSeq(x);
    // One below rcv.nxt after the sender's own FIN answers a segment sent before the peer saw that FIN: data-after-close.
    if (s.validity !== 'out-of-window' || s.oneBelowAfterFin) return null;
    // The peer's packets a round trip later show it ignored the RST; earlier ones were in flight.
    const next = x.after.peerLateFirst;
    const ttlOff = x.kernelTtlConn !== null && outside(x.rst.ttl, x.kernelTtlConn);
    let confidence = 0.8;
    if (next) confidence += 0.1;
    if (ttlOff) confidence += 0.05;
    const evidence = (): Evidence[] => {
      const e: Evidence[] = [];
      if (s.synSent) {
        e.push({ frame: x.rst.frame, fact: `${rstFact(x)} while ${x.receiver.ip} had only sent a SYN, and its ack does not acknowledge that SYN (RFC 9293: such a RST is dropped)`, claim: rstClaim(x) });
      } else {
        const base = x.conn.dir[x.side].baseSeq;
        e.push({
          frame: x.rst.frame,
          claim: rstClaim(x),
          fact: `${rstFact(x)} with seq ${relSeq(base, x.rst.seq)}, but the receiver expects ${relSeq(base, s.rcvNxt!)} with a window of ${s.window} bytes (RFC 5961: outside the window, ignored)`,
        });
        if (x.peer.highestAckFrame) e.push({ frame: x.peer.highestAckFrame, fact: `the receiver's latest acknowledgement before the RST`, claim: claim(x.peerSide, { set: TcpFlag.ACK }) });
      }
      if (next) {
        e.push({ frame: next.frame, claim: claim(x.peerSide), fact: `${endpointText(x.receiver)} went on sending more than a round trip after it (${x.after.peerLate} packet${x.after.peerLate === 1 ? '' : 's'}): the RST was ignored` });
      }
      if (ttlOff) {
        e.push({ frame: x.rst.frame, fact: ttlText(x.rst.ttl, x.kernelTtlConn!, `${x.sender.ip}'s`), claim: rstClaim(x) });
      }
      return e;
    };
    return { confidence: clamp(confidence), evidence };
  },
  explain(x) {
    return (
      `A reset claiming to come from ${endpointText(x.sender)} (the ${x.side}) carried a sequence number outside what ${endpointText(x.receiver)} would accept, so a modern stack ignores it. ` +
      `Either someone guessed at the connection (a blind reset attempt) or something on the path broke sequence tracking.`
    );
  },
};
