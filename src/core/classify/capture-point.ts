/**
 * Where a connection was captured, from what its packets show:
 * - TTL / hop limit: a host's packets leave it with a typical initial value (64 Linux/macOS, 128
 *   Windows, 255 network gear and some stacks, 32 old ones) and lose one per router. A side whose
 *   packets arrive with exactly such a value is on the capture's own segment (or is the capturing host).
 * - Handshake split: at the client, SYN→SYN-ACK is the whole round trip and SYN-ACK→ACK almost
 *   nothing; at the server it is the other way round; in the middle both are sizeable.
 */
import type { Connection, Side } from '../model/types.ts';

export type CapturePointSide = Side | 'both' | 'middle';

export interface CapturePoint {
  /** Which end the capture sits next to, or null when the data cannot tell. */
  side: CapturePointSide | null;
  /** One sentence saying why. */
  reason: string;
}

export const INITIAL_TTLS = [32, 64, 128, 255] as const;

export function isInitialTtl(ttl: number): boolean {
  return ttl === 32 || ttl === 64 || ttl === 128 || ttl === 255;
}

/** Handshake split ratio above which one side is taken as near the capture. */
const SPLIT_RATIO = 4;
/** Below this (seconds) the split is noise. */
const SPLIT_FLOOR = 0.0002;

export function inferCapturePoint(c: Connection): CapturePoint {
  const cl = c.dir.client;
  const sv = c.dir.server;
  const clientLocal = cl.packets > 0 && cl.ttlMin === cl.ttlMax && isInitialTtl(cl.ttlMax);
  const serverLocal = sv.packets > 0 && sv.ttlMin === sv.ttlMax && isInitialTtl(sv.ttlMax);
  const a = c.handshake.synToSynAck;
  const b = c.handshake.synAckToAck;
  let split: Side | 'middle' | null = null;
  if (a !== null && b !== null) {
    if (a >= SPLIT_FLOOR && a >= SPLIT_RATIO * b) split = 'client';
    else if (b >= SPLIT_FLOOR && b >= SPLIT_RATIO * a) split = 'server';
    else if (a >= SPLIT_FLOOR && b >= SPLIT_FLOOR) split = 'middle';
  }
  const splitText =
    a !== null && b !== null ? `; handshake SYN→SYN-ACK ${ms(a)}, SYN-ACK→ACK ${ms(b)}` : '';
  const ttlText = `client TTL ${range(cl.ttlMin, cl.ttlMax, cl.packets)}, server TTL ${range(sv.ttlMin, sv.ttlMax, sv.packets)}`;
  if (clientLocal && !serverLocal && split !== 'server') {
    return { side: 'client', reason: `captured on the client's side (${ttlText}: only the client's is an initial value${splitText})` };
  }
  if (serverLocal && !clientLocal && split !== 'client') {
    return { side: 'server', reason: `captured on the server's side (${ttlText}: only the server's is an initial value${splitText})` };
  }
  if (clientLocal && serverLocal && cl.packets > 0 && sv.packets > 0) {
    if (split === 'client' || split === 'server') {
      return { side: split, reason: `captured on the ${split}'s side (${ttlText}: both initial values${splitText})` };
    }
    return { side: 'both', reason: `both ends look local (${ttlText}: both initial values${splitText})` };
  }
  if (cl.packets > 0 && sv.packets > 0 && !clientLocal && !serverLocal && split !== 'client' && split !== 'server') {
    return { side: 'middle', reason: `captured between the hosts (${ttlText}: neither is an initial value${splitText})` };
  }
  if (split === 'client' || split === 'server') {
    return { side: split, reason: `probably captured on the ${split}'s side (${ttlText}${splitText})` };
  }
  return { side: null, reason: `capture point unknown (${ttlText}${splitText})` };
}

function range(min: number, max: number, packets: number): string {
  if (packets === 0) return 'unseen';
  return min === max ? String(min) : `${min}–${max}`;
}

function ms(s: number): string {
  return s >= 1 ? `${s.toFixed(2)} s` : s >= 0.001 ? `${(s * 1e3).toFixed(1)} ms` : `${Math.round(s * 1e6)} µs`;
}
