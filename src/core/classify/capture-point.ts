/**
 * Where a connection was captured, from what its packets show:
 * - TTL / hop limit: a host's packets leave it with a typical initial value (64 Linux/macOS, 128
 *   Windows, 255 network gear and some stacks, 32 old ones) and lose one per router. A side whose
 *   packets arrive with exactly such a value is on the capture's own segment (or is the capturing host).
 * - Handshake split: at the client, SYN→SYN-ACK is the whole round trip and SYN-ACK→ACK almost
 *   nothing; at the server it is the other way round; in the middle both are sizeable.
 */
import type { Side } from '../model/types.ts';
import { synAckToAck, synToSynAck, type ConnectionTable } from '../tcp/connection-table.ts';
import { oneText, SharedTexts } from './format.ts';

/** What the capture point is judged from: a `Connection` has it, and `captureFactsOf` reads it from the columns. */
export interface CaptureFacts {
  dir: { client: DirTtl; server: DirTtl };
  handshake: { synToSynAck: number | null; synAckToAck: number | null };
}
interface DirTtl {
  packets: number;
  ttlMin: number;
  ttlMax: number;
}

export function newCaptureFacts(): CaptureFacts {
  return {
    dir: { client: { packets: 0, ttlMin: 0, ttlMax: 0 }, server: { packets: 0, ttlMin: 0, ttlMax: 0 } },
    handshake: { synToSynAck: null, synAckToAck: null },
  };
}

const scratch = { min: 0, max: 0, packets: 0 };

function fillTtl(d: DirTtl, table: ConnectionTable, id: number, side: Side): void {
  const r = table.ttlRange(id, side, scratch);
  d.packets = r ? r.packets : 0;
  d.ttlMin = r ? r.min : 0;
  d.ttlMax = r ? r.max : 0;
}

/** Connection `id`'s capture facts, written into `out` (so a pass over every connection makes no objects). */
export function captureFactsOf(table: ConnectionTable, id: number, out: CaptureFacts): CaptureFacts {
  fillTtl(out.dir.client, table, id, 'client');
  fillTtl(out.dir.server, table, id, 'server');
  out.handshake.synToSynAck = synToSynAck(table, id);
  out.handshake.synAckToAck = synAckToAck(table, id);
  return out;
}

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

/** The side only, without the sentence (cheap: used for every connection in the summary). */
export function captureSide(c: CaptureFacts): CapturePointSide | null {
  return judge(c).side;
}

export function inferCapturePoint(c: CaptureFacts): CapturePoint {
  const j = judge(c);
  return new JudgedPoint(j.side, j.how, c);
}

/**
 * A judged capture point whose sentence is written when first read: only a connection whose
 * capture point is known cites it, and most connections of a large capture have none.
 */
class JudgedPoint implements CapturePoint {
  private text: string | null = null;

  constructor(
    readonly side: CapturePointSide | null,
    private readonly how: How,
    private readonly c: CaptureFacts,
  ) {}

  get reason(): string {
    return (this.text ??= reasonText(this.side, this.how, this.c));
  }
}

/**
 * The sentences without handshake timings, by `reasonKey`: thousands of resets of one capture say
 * the same one ("captured on the server's side (client TTL 48, ...)"), and a verdict keeps its
 * sentence as long as the analysis; one string each, not a copy per reset. Bounded: few distinct.
 */
const REASONS = new SharedTexts<number>();
const HOWS: readonly How[] = ['ttl-one', 'ttl-both-split', 'ttl-both', 'ttl-none', 'split', 'none'];
const SIDES: readonly (CapturePointSide | null)[] = [null, 'client', 'server', 'both', 'middle'];

/** A number that tells apart every sentence `reasonText` writes without timings, -1 if TTLs are not bytes. */
function reasonKey(side: CapturePointSide | null, how: How, c: CaptureFacts): number {
  const cl = c.dir.client;
  const sv = c.dir.server;
  if (!isByte(cl.ttlMin) || !isByte(cl.ttlMax) || !isByte(sv.ttlMin) || !isByte(sv.ttlMax)) return -1;
  const client = ((cl.packets === 0 ? 0 : 1) * 256 + cl.ttlMin) * 256 + cl.ttlMax;
  const server = ((sv.packets === 0 ? 0 : 1) * 256 + sv.ttlMin) * 256 + sv.ttlMax;
  return ((HOWS.indexOf(how) * 8 + SIDES.indexOf(side)) * 0x20000 + client) * 0x20000 + server;
}

function isByte(v: number): boolean {
  return v >= 0 && v <= 255 && Number.isInteger(v);
}

function reasonText(side: CapturePointSide | null, how: How, c: CaptureFacts): string {
  const key = c.handshake.synToSynAck !== null && c.handshake.synAckToAck !== null ? -1 : reasonKey(side, how, c);
  // A sentence with handshake timings (or odd TTLs) is shared by its text: a generator's or a busy
  // server's handshakes often take the same rounded times.
  if (key < 0) return oneText(writeReason(side, how, c));
  return REASONS.find(key) ?? REASONS.keep(key, writeReason(side, how, c));
}


function writeReason(side: CapturePointSide | null, how: How, c: CaptureFacts): string {
  const cl = c.dir.client;
  const sv = c.dir.server;
  const a = c.handshake.synToSynAck;
  const b = c.handshake.synAckToAck;
  const splitText = a !== null && b !== null ? `; handshake SYN→SYN-ACK ${ms(a)}, SYN-ACK→ACK ${ms(b)}` : '';
  const ttlText = `client TTL ${range(cl.ttlMin, cl.ttlMax, cl.packets)}, server TTL ${range(sv.ttlMin, sv.ttlMax, sv.packets)}`;
  switch (how) {
    case 'ttl-one':
      return `captured on the ${side}'s side (${ttlText}: only the ${side}'s is an initial value${splitText})`;
    case 'ttl-both-split':
      return `captured on the ${side}'s side (${ttlText}: both initial values${splitText})`;
    case 'ttl-both':
      return `both ends look local (${ttlText}: both initial values${splitText})`;
    case 'ttl-none':
      return `captured between the hosts (${ttlText}: neither is an initial value${splitText})`;
    case 'split':
      return `probably captured on the ${side}'s side (${ttlText}${splitText})`;
    default:
      return `capture point unknown (${ttlText}${splitText})`;
  }
}

type How = 'ttl-one' | 'ttl-both-split' | 'ttl-both' | 'ttl-none' | 'split' | 'none';

function judge(c: CaptureFacts): { side: CapturePointSide | null; how: How } {
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
  if (clientLocal && !serverLocal && split !== 'server') return { side: 'client', how: 'ttl-one' };
  if (serverLocal && !clientLocal && split !== 'client') return { side: 'server', how: 'ttl-one' };
  if (clientLocal && serverLocal) {
    if (split === 'client' || split === 'server') return { side: split, how: 'ttl-both-split' };
    return { side: 'both', how: 'ttl-both' };
  }
  if (cl.packets > 0 && sv.packets > 0 && !clientLocal && !serverLocal && split !== 'client' && split !== 'server') {
    return { side: 'middle', how: 'ttl-none' };
  }
  if (split === 'client' || split === 'server') return { side: split, how: 'split' };
  return { side: null, how: 'none' };
}

function range(min: number, max: number, packets: number): string {
  if (packets === 0) return 'unseen';
  return min === max ? String(min) : `${min}–${max}`;
}

function ms(s: number): string {
  return s >= 1 ? `${s.toFixed(2)} s` : s >= 0.001 ? `${(s * 1e3).toFixed(1)} ms` : `${Math.round(s * 1e6)} µs`;
}
