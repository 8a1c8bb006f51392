/**
 * `injected` — seed 002 "Firewall/Security Device Intervention" and security software on the PC
 * forcibly closing a connection; SCENARIOS.md `injected`.
 * The RST's TTL/hop limit or IP ID does not fit the claimed sender's other packets, or the claimed
 * sender carries on as if it never sent it.
 */
import { TcpFlag, type Evidence } from '../../model/types.ts';

const { SYN, ACK } = TcpFlag;
import { endpointText } from '../format.ts';
import { rightAfterRequest } from './app-facts.ts';
import { answersSyn, clamp, outside, pktClaim, pktText, rstClaim, ttlText, type Rule } from './common.ts';

/** An IP ID this far ahead of the sender's previous one (mod 2^16) does not follow its counter. */
const IPID_JUMP = 4096;

export const injected: Rule = {
  id: 'injected',
  match(x) {
    const { rst } = x;
    // Compared with what the sender's stack sends (SYN, SYN-ACK, pure ACKs), not with data whose TTL an application set.
    const ttlOff = outside(rst.ttl, x.kernelTtlConn);
    // The claimed sender goes on with the connection (data, FIN) after "its" reset. A later SYN or
    // SYN-ACK is a new attempt, not the old connection carrying on.
    let cont = x.after.senderCarriesOn;
    let ipIdOff = false;
    if (x.conn.ipVersion === 4 && rst.ipId !== 0 && x.record.lastIpId >= 0 && x.senderIpIds && x.senderIpIds.count >= 2) {
      const d = (rst.ipId - x.record.lastIpId) & 0xffff;
      ipIdOff = d > IPID_JUMP && d < 0x10000 - 64;
    }
    if (answersSyn(x)) {
      // A reset to a SYN is `refused`/`firewall-reject` unless the real host then accepts that
      // very SYN (a SYN-ACK acknowledging it): two answers to one SYN, and one of them is forged.
      const next = x.after.senderFirst;
      const accepts = next !== null && (next.flags & (SYN | ACK)) === (SYN | ACK) && next.ack === ((x.prevPeer!.seq + 1) >>> 0) && next.timeNs >= rst.timeNs;
      if (!accepts) return null;
      cont = next;
    }
    const carried = cont;
    const carriesOn = carried !== null;
    // A RST right after a ClientHello or a request, with a TTL or IP ID off the server's, is the
    // classic filtering-middlebox signature: an IP ID off its counter is then enough on its own.
    const request = ttlOff || ipIdOff ? rightAfterRequest(x) : null;
    let confidence = ttlOff ? 0.8 : 0;
    if (carriesOn) confidence = confidence > 0 ? confidence + 0.1 : 0.65;
    if (ipIdOff && confidence > 0) confidence += 0.08;
    if (request) confidence = Math.max(confidence + 0.05, 0.75);
    if (confidence === 0) return null;
    const evidence = (): Evidence[] => {
      const e: Evidence[] = [];
      if (ttlOff) e.push({ frame: rst.frame, fact: `${ttlText(rst.ttl, x.kernelTtlConn!, `${x.sender.ip}'s`)} on this connection`, claim: rstClaim(x) });
      if (carried) {
        const ttl = carried.ttl !== null && carried.ttl !== rst.ttl ? ` with TTL ${carried.ttl}` : '';
        e.push({ frame: carried.frame, fact: `${endpointText(x.sender)} carried on after "its" reset: ${pktText(carried)}${ttl}`, claim: pktClaim(carried) });
      }
      if (ipIdOff) {
        e.push({
          frame: rst.frame,
          claim: rstClaim(x),
          fact: `IP ID 0x${hex(rst.ipId)} does not follow the sender's counter (0x${hex(x.record.lastIpId)} in frame ${x.record.lastIpIdFrame})`,
        });
      }
      if (request) e.push(request);
      if (x.capture.side) e.push({ fact: x.capture.reason });
      return e;
    };
    return { confidence: clamp(confidence), evidence };
  },
  explain(x) {
    return (
      `The reset claiming to come from ${endpointText(x.sender)} (the ${x.side}) does not look like that host's own packets. ` +
      `A firewall, IPS, proxy or security software between the hosts probably forged it to cut the connection to ${endpointText(x.receiver)}.`
    );
  },
};

function hex(n: number): string {
  return n.toString(16).padStart(4, '0');
}
