/** Shared pieces of the rules: the rule shape and the wording of hosts, sides and packets. */
import { TcpFlag, type Evidence, type FrameClaim, type Side } from '../../model/types.ts';
import type { Pkt, ResetContext } from '../reset-context.ts';
import { flagText } from '../../model/flags.ts';
import { durationText, endpointText, SharedTexts } from '../format.ts';
export { oneText } from '../format.ts';
import type { ScenarioId } from '../scenarios.ts';

const { SYN, ACK, FIN } = TcpFlag;

/**
 * A rule's answer. The evidence is built only for the rule that wins (every rule is asked about
 * every RST, and the others need only their confidence, as alternatives).
 */
export interface Match {
  confidence: number;
  evidence: () => Evidence[];
  /** Other stories the rule itself sees but no rule can claim alone (e.g. a host finding that needs more resets). */
  also?: { scenario: ScenarioId; confidence: number }[];
}

/** One scenario's rule: does this RST fit, how well, and the words for it. */
export interface Rule {
  id: ScenarioId;
  match(x: ResetContext): Match | null;
  /** Two or three plain sentences naming the hosts and the side that reset. */
  explain(x: ResetContext, m: Match): string;
  /**
   * The first sentence of `explain` without its full stop, for a rule that can write it alone: all
   * a reset of a host finding cites of it (index.ts), and a port scan draws tens of thousands.
   */
  lead?(x: ResetContext, m: Match): string;
}

/** A fact about a frame `side` sent, with what else it states about the frame. */
export function claim(side: Side, more: Omit<FrameClaim, 'from'> = {}): FrameClaim {
  return { from: side, ...more };
}

/** The side that sent a packet. */
export function sideOf(p: Pkt): Side {
  return p.fromClient ? 'client' : 'server';
}

/**
 * Claims that tens of thousands of verdicts make word for word, one object each (by side): a
 * verdict keeps its evidence as long as the analysis, and no one changes a claim once made.
 */
const RST_CLAIM: Readonly<Record<Side, FrameClaim>> = { client: { from: 'client', set: TcpFlag.RST }, server: { from: 'server', set: TcpFlag.RST } };
const SYN_CLAIM: Readonly<Record<Side, FrameClaim>> = { client: { from: 'client', set: SYN, clear: ACK }, server: { from: 'server', set: SYN, clear: ACK } };

/** What `rstFact` states: a RST from the sender. */
export function rstClaim(x: ResetContext): FrameClaim {
  return RST_CLAIM[x.side];
}

/** A RST from `side` (as `rstClaim`). */
export function rstFrom(side: Side): FrameClaim {
  return RST_CLAIM[side];
}

/** A SYN without ACK from `side` (an attempt to open). */
export function synClaim(side: Side): FrameClaim {
  return SYN_CLAIM[side];
}

/** What `pktText` states about a packet: data (with FIN if it had one), or its flags and no data. */
export function pktClaim(p: Pkt): FrameClaim {
  if (p.len > 0) return { from: sideOf(p), minLen: 1, ...(p.flags & FIN ? { set: FIN } : {}) };
  return { from: sideOf(p), set: p.flags & ~TcpFlag.PSH & 0xfff, maxLen: 0 };
}

/** Data from `side`. */
export function dataClaim(side: Side): FrameClaim {
  return { from: side, minLen: 1 };
}

/** The evidence list without the entries whose frame is unknown turned into frame-less facts. */
export function tidy(list: { frame?: number | undefined; fact: string; claim?: FrameClaim }[]): Evidence[] {
  return list.map((e) => (e.frame === undefined || e.frame === 0 ? { fact: e.fact } : e.claim ? { frame: e.frame, fact: e.fact, claim: e.claim } : { frame: e.frame, fact: e.fact }));
}

/** "the server 10.0.0.2:80". */
export function who(x: ResetContext): string {
  return `the ${x.side} ${endpointText(x.sender)}`;
}

/** "the client 10.0.0.1:40000". */
export function whom(x: ResetContext): string {
  return `the ${x.peerSide} ${endpointText(x.receiver)}`;
}

/** Capitalised first letter. */
export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "RST, ACK from the server 10.0.0.2:80". */
export function rstFact(x: ResetContext): string {
  return `${flagText(x.rst.flags, '')} from ${who(x)}`;
}

/** Time between two packets, as text. */
export function since(a: Pkt, b: Pkt): string {
  return durationText(b.timeNs - a.timeNs);
}

/** The RST answers a SYN: the peer's last packet is a SYN and the sender never sent a SYN-ACK. */
export function answersSyn(x: ResetContext): boolean {
  const p = x.prevPeer;
  return p !== null && (p.flags & (SYN | ACK)) === SYN && !x.me.synAck && x.me.dataPackets === 0;
}

/** The RST acknowledges the SYN it answers (ack = SYN seq + 1). */
export function acksSyn(x: ResetContext): boolean {
  const p = x.prevPeer;
  return p !== null && (x.rst.flags & ACK) !== 0 && x.rst.ack === ((p.seq + 1) >>> 0);
}

/** The packet right before the RST is the peer's: the RST looks like the answer to it. */
export function answersPeer(x: ResetContext): boolean {
  return x.prev !== null && x.prevPeer !== null && x.prev.row === x.prevPeer.row;
}

/** Short description of a packet: "SYN", "data (518 bytes)", "FIN, ACK", "ACK". */
export function pktText(p: Pkt): string {
  const f = flagText(p.flags & ~0x008, '');
  if (p.len > 0) return `${p.flags & FIN ? 'FIN with ' : ''}data (${p.len} bytes)`;
  return f || 'empty segment';
}

/** The sender's TTL against what its stack sends: "TTL 64 on this RST, 63 on 10.0.0.2's 9 packets without payload (SYN, ACKs)". */
export function ttlText(ttl: number, range: { min: number; max: number; packets: number }, whose: string): string {
  const r = range.min === range.max ? String(range.min) : `${range.min}–${range.max}`;
  return `TTL ${ttl} on this RST, ${r} on ${whose} ${range.packets} packet${range.packets === 1 ? '' : 's'} without payload (SYN, ACKs: what its own stack sends)`;
}

export function outside(ttl: number, range: { min: number; max: number } | null): boolean {
  return range !== null && (ttl < range.min || ttl > range.max);
}

/**
 * Both sides had sent FIN and each had acknowledged the other's before the RST: the close was
 * complete, and a RST after it loses nothing.
 */
export function closeCompleted(x: ResetContext): boolean {
  const { me, peer } = x;
  if (!me.finFrame || !peer.finFrame || me.nextSeq === null || peer.nextSeq === null) return false;
  return peer.highestAck === me.nextSeq && me.highestAck === peer.nextSeq;
}

/** Median gap of the connection in ns (its own rhythm), floored to keep ratios sane. */
export function rhythmNs(x: ResetContext): number {
  return Math.max(x.conn.medianGap * 1e9, 1000);
}

export const clamp = (c: number): number => Math.max(0.05, Math.min(0.98, Math.round(c * 100) / 100));

/**
 * "no SYN-ACK from 10.0.0.2 on this connection before the RST", one string per host: every
 * refused attempt on a host says it (tens of thousands in a scan).
 */
export function noSynAckFact(ip: string): string {
  return NO_SYN_ACK.find(ip) ?? NO_SYN_ACK.keep(ip, flat(`no SYN-ACK from ${ip} on this connection before the RST`));
}
const NO_SYN_ACK = new SharedTexts<string>();

/** `text` as one flat string (see settle in ../index.ts). */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}
