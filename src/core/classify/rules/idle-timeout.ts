/**
 * `idle-timeout` — seed 002 "Keepalive Timeout" (no answer to keepalives within a time frame, so the
 * peer is taken as unreachable and the connection is torn down with RST, ACK); SCENARIOS.md
 * `idle-timeout`. A RST after a long silence: keepalive probes, or an idle gap far above the
 * connection's own rhythm.
 */
import { countText, durationText, endpointText } from '../format.ts';
import { claim, clamp, rhythmNs, rstClaim, rstFact, sideOf, tidy, type Rule } from './common.ts';

/** Silence shorter than this is never an idle timeout. */
export const MIN_IDLE_NS = 1e9;
/** Times the connection's median gap, and times its largest earlier gap. */
export const RHYTHM_FACTOR = 10;
export const EARLIER_GAP_FACTOR = 3;

export const idleTimeout: Rule = {
  id: 'idle-timeout',
  match(x) {
    const { rst, me, peer } = x;
    const rhythm = rhythmNs(x);
    const lastDataNs = Math.max(me.lastData?.timeNs ?? -1, peer.lastData?.timeNs ?? -1, x.conn.start * 1e9);
    const ka = [me.lastKeepalive, peer.lastKeepalive].filter((k) => k !== null && k.timeNs > lastDataNs);
    const dataSilence = rst.timeNs - lastDataNs;
    if (ka.length > 0 && dataSilence >= MIN_IDLE_NS) {
      const k = ka.sort((a, b) => b!.timeNs - a!.timeNs)[0]!;
      const prober = k.fromClient === (x.side === 'client') ? `the ${x.side}` : `the ${x.peerSide}`;
      return {
        confidence: 0.82,
        evidence: () => [
          { frame: k.frame, fact: `keepalive probe from ${prober}: no data for ${durationText(k.timeNs - lastDataNs)} before it`, claim: claim(sideOf(k), { maxLen: 1 }) },
          { frame: rst.frame, fact: `${rstFact(x)} ${durationText(dataSilence)} after the last data`, claim: rstClaim(x) },
        ],
      };
    }
    const gap = x.gapBeforeNs;
    if (gap < MIN_IDLE_NS || gap < RHYTHM_FACTOR * rhythm || gap < EARLIER_GAP_FACTOR * x.maxEarlierGapNs) return null;
    const ratio = gap / rhythm;
    return {
      confidence: clamp(0.66 + Math.min(0.2, Math.log10(ratio / RHYTHM_FACTOR) * 0.06)),
      evidence: () => tidy([
        { frame: x.prev?.frame, fact: `last packet before a silence of ${durationText(gap)}`, ...(x.prev ? { claim: claim(sideOf(x.prev)) } : {}) },
        {
          fact: `the connection's usual gap is ${durationText(x.conn.medianGap * 1e9)} and its largest earlier one ${durationText(x.maxEarlierGapNs)}: this silence is ${countText(Math.round(ratio))}× its rhythm`,
        },
        { frame: rst.frame, fact: `${rstFact(x)} ends the silence; nothing prompted it`, claim: rstClaim(x) },
      ]),
    };
  },
  explain(x) {
    return (
      `The connection between ${endpointText(x.sender)} and ${endpointText(x.receiver)} had been idle for ${durationText(x.gapBeforeNs)} when the ${x.side} ${x.sender.ip} reset it. ` +
      `An idle timer ended it: in the application, or in a load balancer, NAT or firewall that ${x.sender.ip} sits behind.`
    );
  },
};
