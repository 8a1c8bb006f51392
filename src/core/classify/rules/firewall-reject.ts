/**
 * `firewall-reject` — seed 001 case one ("it is probably someone blocking the attempt ... usually a
 * Firewall"), seed 002 firewall/security device intervention; SCENARIOS.md `firewall-reject`.
 * Like `refused`, but the RST was made by a device in the path: its TTL/hop limit differs from the
 * other packets of that address, or it comes back faster than the round trip to that host.
 */
import { TcpFlag, type Evidence } from '../../model/types.ts';

const { SYN, ACK } = TcpFlag;
import { durationText, endpointText } from '../format.ts';
import { answersSyn, clamp, noSynAckFact, outside, rstClaim, synClaim, ttlText, type Rule } from './common.ts';

/** A RST this much faster than the host's fastest SYN-ACK (and at least this fraction) is from nearer. */
const MIN_RTT_DIFF_NS = 500_000;
const RTT_FRACTION = 0.5;

export const firewallReject: Rule = {
  id: 'firewall-reject',
  match(x) {
    if (!answersSyn(x)) return null;
    const syn = x.prevPeer!;
    // What the host's stack sends (SYN-ACKs, pure ACKs), not data whose TTL an application chose.
    const host = x.kernelTtlHost;
    const ttlOff = host !== null && outside(x.rst.ttl, host);
    const rtt = x.shared.hostMinSynAckNs.get(x.sender.ip);
    const delay = x.rst.timeNs - syn.timeNs;
    const tooFast = rtt !== undefined && x.capture.side !== 'server' && rtt - delay > MIN_RTT_DIFF_NS && delay < RTT_FRACTION * rtt;
    let confidence = ttlOff ? 0.8 : 0;
    if (tooFast) confidence = Math.max(confidence, 0.65) + (confidence > 0 ? 0.1 : 0);
    if (confidence === 0) return null;
    const evidence = (): Evidence[] => {
      const e: Evidence[] = [{ frame: syn.frame, fact: `SYN to ${endpointText(x.sender)}`, claim: synClaim(x.peerSide) }];
      if (ttlOff) e.push({ frame: x.rst.frame, fact: `${ttlText(x.rst.ttl, host, x.sender.ip + "'s")} (this and other connections): another device made it`, claim: rstClaim(x) });
      if (tooFast) {
        e.push({
          frame: x.rst.frame,
          claim: rstClaim(x),
          fact: `the RST came ${durationText(delay)} after the SYN, while ${x.sender.ip} needs at least ${durationText(rtt)} to answer a SYN: it came from nearer`,
        });
      }
      e.push({ fact: noSynAckFact(x.sender.ip), absent: { from: x.side, set: SYN | ACK, before: x.rst.frame } });
      return e;
    };
    return { confidence: clamp(confidence), evidence };
  },
  explain(x) {
    return (
      `The SYN from ${endpointText(x.receiver)} to ${endpointText(x.sender)} was answered with a reset that ${x.sender.ip} itself probably did not send: ` +
      `its TTL or timing does not match that host's other packets. A firewall or security group between the hosts rejects this port.`
    );
  },
};
