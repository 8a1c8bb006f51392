/**
 * `rst-not-received` — seed 001 case three (the client sends resets every few microseconds while
 * the server keeps sending: the resets are lost before the server, and the capture is on the
 * client's side); SCENARIOS.md `rst-not-received`.
 * Decided per connection side: repeated resets from one side while the peer keeps sending.
 */
import type { Evidence } from '../../model/types.ts';
import { durationText, endpointText, framesText } from '../format.ts';
import { clamp, type Rule } from './common.ts';

/** Peer packets after the first reset that show it never got it. */
export const PEER_PACKETS_AFTER = 3;
/** Resets alone, peer unseen: this many look like the answers to a peer we cannot see. */
export const ONE_WAY_RSTS = 3;

export const rstNotReceived: Rule = {
  id: 'rst-not-received',
  match(x) {
    const g = x.group;
    if (!g || g.frames.length < 2) return null;
    const peerSeen = x.conn.dir[x.peerSide].packets;
    if (g.peerAfterFirst >= PEER_PACKETS_AFTER) {
      const seenLeaving = x.capture.side === x.side;
      const evidence = (): Evidence[] => {
        const e: Evidence[] = [
          { frame: g.frames[0]!, fact: `first reset from the ${x.side} ${endpointText(x.sender)}` },
          { fact: `${framesText(g.frames)}: ${g.frames.length} resets from the same side` },
        ];
        const kept = `${endpointText(x.receiver)} kept sending ${g.peerAfterFirst} packets after the first reset, for ${durationText(g.peerSpanNs)}, as if none arrived`;
        e.push(g.peerFirstAfter !== null ? { frame: g.peerFirstAfter, fact: kept } : { fact: kept });
        if (seenLeaving) e.push({ fact: `${x.capture.reason}: the resets were seen leaving ${x.sender.ip}, not arriving` });
        else if (x.capture.side) e.push({ fact: x.capture.reason });
        return e;
      };
      return { confidence: clamp(0.85 + (seenLeaving ? 0.07 : 0)), evidence };
    }
    if (peerSeen === 0 && g.frames.length >= ONE_WAY_RSTS) {
      return {
        confidence: 0.4,
        evidence: () => [
          { fact: `${framesText(g.frames)}: ${g.frames.length} identical resets from ${endpointText(x.sender)}, every ${durationText(g.medianSpacingNs)} or so` },
          { fact: `no packet from ${endpointText(x.receiver)} is in the capture (one-way or filtered capture); a RST is never repeated on its own, so each answers a segment the peer kept sending` },
        ],
      };
    }
    return null;
  },
  explain(x) {
    return (
      `The ${x.side} ${endpointText(x.sender)} reset the connection again and again, while ${endpointText(x.receiver)} kept sending as if no reset had arrived. ` +
      `The resets were lost between the capture point and ${x.receiver.ip}; the capture was probably taken on ${x.sender.ip}'s side.`
    );
  },
};
