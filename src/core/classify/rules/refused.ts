/**
 * `refused` — seed 000 scenario 1 (no process listening: the host answers the SYN with a RST),
 * seed 001 case one, seed 002 "refusal of connection"; SCENARIOS.md `refused`.
 * On the wire: RST(+ACK) answers a SYN, no SYN-ACK came from that side, ack = SYN seq + 1.
 */
import { TcpFlag, type Evidence } from '../../model/types.ts';

const { SYN, ACK } = TcpFlag;
import { durationText, endpointText } from '../format.ts';
import { acksSyn, answersSyn, claim, clamp, noSynAckFact, rstFact, synClaim, type Rule } from './common.ts';
import type { ResetContext } from '../reset-context.ts';

export const refused: Rule = {
  id: 'refused',
  match(x) {
    if (!answersSyn(x)) return null;
    const syn = x.prevPeer!;
    const ok = acksSyn(x);
    const evidence = (): Evidence[] => [
      { frame: syn.frame, fact: `SYN from the ${x.peerSide} ${endpointText(x.receiver)} to ${endpointText(x.sender)}`, claim: synClaim(x.peerSide) },
      {
        frame: x.rst.frame,
        claim: claim(x.side, { set: TcpFlag.RST, ...(ok ? { set: TcpFlag.RST | ACK, acksSynOf: syn.frame } : {}) }),
        fact: `${rstFact(x)} ${durationText(x.rst.timeNs - syn.timeNs)} later${ok ? ', ack = SYN seq + 1' : ', but its ack does not acknowledge the SYN'}`,
      },
      { fact: noSynAckFact(x.sender.ip), absent: { from: x.side, set: SYN | ACK, before: x.rst.frame } },
    ];
    return { confidence: clamp(ok ? 0.92 : 0.6), evidence };
  },
  lead,
  explain(x) {
    return `${lead(x)}. Nothing accepted connections on port ${x.sender.port} of ${x.sender.ip} at that moment: the service is down, listens elsewhere, or the port is wrong.`;
  },
};

function lead(x: ResetContext): string {
  return `${endpointText(x.sender)} answered the SYN from ${endpointText(x.receiver)} with a reset instead of a SYN-ACK`;
}
