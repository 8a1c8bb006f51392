/**
 * `unknown` — SCENARIOS.md `unknown`: none of the documented scenarios fits. Reached only when every
 * other rule declined; the evidence says what the capture does show, so the reader sees why.
 */
import { TcpFlag, type Evidence } from '../../model/types.ts';
import { durationText, endpointText } from '../format.ts';
import { claim, rstClaim, rstFact, type Rule } from './common.ts';

const { SYN, RST, FIN } = TcpFlag;

export const unknown: Rule = {
  id: 'unknown',
  match(x) {
    const evidence: Evidence[] = [{ frame: x.rst.frame, fact: rstFact(x), claim: rstClaim(x) }];
    const others = x.conn.packets - x.conn.dir.client.rstFrames.length - x.conn.dir.server.rstFrames.length;
    if (others === 0) {
      evidence.push({ fact: `the capture holds no other packet of this connection than resets: nothing shows what ${x.sender.ip} was answering (the capture may have started late or been filtered)` });
    } else if (x.prevPeer === null) {
      evidence.push({ fact: `no packet from ${endpointText(x.receiver)} before the reset` });
    } else {
      evidence.push({ frame: x.prevPeer.frame, claim: claim(x.peerSide), fact: `last packet from ${endpointText(x.receiver)}, ${durationText(x.rst.timeNs - x.prevPeer.timeNs)} before` });
    }
    if ((x.rst.flags & (SYN | RST)) === (SYN | RST) || (x.rst.flags & (FIN | RST)) === (FIN | RST)) {
      evidence.push({ frame: x.rst.frame, fact: 'RST together with SYN or FIN: no TCP stack sends this; the packet was crafted (scanner, fuzzer or test tool)', claim: rstClaim(x) });
    }
    if (x.rst.flags & 0xe00) evidence.push({ frame: x.rst.frame, fact: 'reserved TCP flag bits are set: a crafted packet', claim: rstClaim(x) });
    return { confidence: 0.2, evidence: () => evidence };
  },
  explain(x) {
    return (
      `The ${x.side} ${endpointText(x.sender)} reset its connection with ${endpointText(x.receiver)}, but the capture does not show enough to say why. ` +
      `See the facts below: who sent it, when, and after what.`
    );
  },
};
