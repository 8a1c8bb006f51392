/** RFC 5961 §3.2 check of a RST's sequence number against its receiver, and relative numbers for display. */
import { TcpFlag } from '../model/types.ts';
import { seqGt, seqLt } from '../tcp/seq.ts';
import type { ResetContext } from './reset-context.ts';

const { ACK } = TcpFlag;

/** RFC 5961 §3.2 check of a RST against its receiver, and the numbers behind it. */
export interface SeqCheck {
  validity: 'exact' | 'in-window' | 'out-of-window' | 'unknown';
  /** The receiver's rcv.nxt (raw) and window in bytes, when known. */
  rcvNxt: number | null;
  window: number | null;
  /** True when the receiver was in SYN-SENT (it had sent only a SYN): then the ACK decides. */
  synSent: boolean;
  /**
   * The RST's seq is rcv.nxt - 1 and that one number is the sender's own FIN: it answers a segment
   * the peer sent before it saw the FIN (its ack stops short of the FIN). Outside the window, yet
   * no blind reset.
   */
  oneBelowAfterFin: boolean;
}

export function checkSeq(x: ResetContext): SeqCheck {
  const { rst, peer, me } = x;
  // Receiver in SYN-SENT (RFC 9293 §3.10.7.3): the RST counts only if it acknowledges the SYN.
  if (peer.synFrame && !peer.synAck && peer.highestAck === null) {
    const ok = (rst.flags & ACK) !== 0 && rst.ack === ((peer.synSeq + 1) >>> 0);
    return { validity: ok ? 'exact' : 'out-of-window', rcvNxt: null, window: null, synSent: true, oneBelowAfterFin: false };
  }
  const rcvNxt = peer.highestAck ?? me.nextSeq;
  if (rcvNxt === null) return { validity: 'unknown', rcvNxt: null, window: null, synSent: false, oneBelowAfterFin: false };
  if (rst.seq === rcvNxt) return { validity: 'exact', rcvNxt, window: null, synSent: false, oneBelowAfterFin: false };
  const oneBelowAfterFin = me.finFrame !== 0 && me.nextSeq === rcvNxt && rst.seq === ((rcvNxt - 1) >>> 0);
  if (peer.lastWindow < 0) {
    return { validity: 'unknown', rcvNxt, window: null, synSent: false, oneBelowAfterFin };
  }
  const cd = x.conn.dir;
  const scale = cd.client.windowScale >= 0 && cd.server.windowScale >= 0 ? cd[x.peerSide].windowScale : 0;
  const window = peer.lastWindow * 2 ** scale;
  const right = (rcvNxt + window) >>> 0;
  const inWindow = seqGt(rst.seq, rcvNxt) && seqLt(rst.seq, right);
  return { validity: inWindow ? 'in-window' : 'out-of-window', rcvNxt, window, synSent: false, oneBelowAfterFin };
}

/** Relative number for display: raw minus the side's base (ISN), or raw when unknown. */
export function relSeq(base: number | null, raw: number): number {
  return base === null ? raw : (raw - base) >>> 0;
}
