/**
 * `rst-not-received` — seed 001 case three (the client sends resets every few microseconds while
 * the server keeps sending: the resets are lost before the server, and the capture is on the
 * client's side); SCENARIOS.md `rst-not-received`.
 * Decided per connection side: repeated resets from one side while the peer keeps sending.
 */
import type { Evidence } from '../../model/types.ts';
import { durationText, endpointText, framesText } from '../format.ts';
import { claim, clamp, rstClaim, type Rule } from './common.ts';

/** Peer packets after the first reset that show it never got it. */
export const PEER_PACKETS_AFTER = 3;
/** Resets alone, peer unseen: this many look like the answers to a peer we cannot see. */
export const ONE_WAY_RSTS = 3;

export const rstNotReceived: Rule = {
  id: 'rst-not-received',
  match(x) {
    const g = x.group;
    if (!g || g.frames.length < 2) return null;
    if (g.peerAfterFirst >= PEER_PACKETS_AFTER) {
      const seenLeaving = x.capture.side === x.side;
      const evidence = (): Evidence[] => {
        const e: Evidence[] = [
          { frame: g.frames[0]!, fact: `first reset from the ${x.side} ${endpointText(x.sender)}`, claim: rstClaim(x) },
          { fact: `${framesText(g.frames)}: ${g.frames.length} resets from the same side` },
        ];
        const rtt = x.rttNs !== null ? `more than a round trip (${durationText(x.rttNs)}) after the first reset` : 'after the first reset';
        e.push({ frame: g.peerFirstAfter!, claim: claim(x.peerSide), fact: `${endpointText(x.receiver)} kept sending ${g.peerAfterFirst} packets ${rtt}, for ${durationText(g.peerSpanNs)}, as if none arrived` });
        if (x.rttNs === null) e.push({ fact: 'the capture shows no round trip (no handshake, no acknowledged data): packets already in flight could not be set apart' });
        if (seenLeaving) e.push({ fact: `${x.capture.reason}: the resets were seen leaving ${x.sender.ip}, not arriving` });
        else if (x.capture.side) e.push({ fact: x.capture.reason });
        return e;
      };
      return { confidence: clamp(0.85 + (seenLeaving ? 0.07 : 0) - (x.rttNs === null ? 0.15 : 0)), evidence };
    }
    if (x.conn.dir[x.peerSide].packets === 0 && g.frames.length >= ONE_WAY_RSTS) {
      // The peer is not in the capture: that it kept sending is an inference, and said as one.
      return {
        confidence: 0.4,
        evidence: () => [
          { frame: g.frames[0]!, claim: rstClaim(x), fact: `first of ${g.frames.length} resets from ${endpointText(x.sender)} (${framesText(g.frames)}), every ${durationText(g.medianSpacingNs)} or so` },
          {
            fact: `no packet from ${endpointText(x.receiver)} is in the capture (one-way or filtered capture): what the resets answered is not shown; a stack resets again only when segments keep coming, so the peer probably went on sending`,
            absent: { from: x.peerSide },
          },
        ],
      };
    }
    return null;
  },
  explain(x) {
    if (x.conn.dir[x.peerSide].packets === 0) {
      return (
        `The ${x.side} ${endpointText(x.sender)} reset the connection with ${endpointText(x.receiver)} again and again. ` +
        `None of ${x.receiver.ip}'s packets is in the capture (one-way or filtered), so what the resets answered is not shown; the likeliest story is that it kept sending as if no reset arrived, the resets being lost on the way.`
      );
    }
    return (
      `The ${x.side} ${endpointText(x.sender)} reset the connection again and again, while ${endpointText(x.receiver)} kept sending as if no reset had arrived. ` +
      `The resets were lost between the capture point and ${x.receiver.ip}; the capture was probably taken on ${x.sender.ip}'s side.`
    );
  },
};
