/**
 * A small, deterministic mutation fuzzer for capture files: a seeded PRNG, a map of the length fields
 * of a pcap or pcapng file (record and block headers, IPv4 IHL and total length, IPv6 payload
 * length, TCP data offset), and mutations that flip bits, truncate, repeat, delete and splice byte
 * ranges or overwrite those length fields with absurd values. Plain TypeScript, no Node: the same
 * case can be replayed anywhere from its seed.
 */

import { concatChunks } from '../../src/core/capture/bytes.ts';

/** mulberry32: tiny, fast, good enough to pick offsets; the same seed gives the same cases. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 2^32). */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform integer in [0, n); 0 when n <= 0. */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.u32() / 0x100000000) * n);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
}

export type FieldWidth = 'u32' | 'u16' | 'lo-nibble' | 'hi-nibble';

/** One length-like field of a capture file, as the fuzzer may overwrite it. */
export interface LengthField {
  kind: FieldKind;
  at: number;
  width: FieldWidth;
  little: boolean;
  /** A second copy that should normally agree (the pcapng trailing block length). */
  twin?: number;
}

export type FieldKind =
  | 'pcap-snaplen'
  | 'pcap-caplen'
  | 'pcap-origlen'
  | 'pcapng-block-length'
  | 'pcapng-caplen'
  | 'pcapng-interface-id'
  | 'pcapng-option-length'
  | 'ipv4-ihl'
  | 'ipv4-total-length'
  | 'ipv6-payload-length'
  | 'tcp-data-offset';

/** Values a length field is overwritten with: the edges where readers go wrong. */
export const ABSURD_VALUES = [
  0, 1, 2, 3, 4, 5, 8, 12, 15, 16, 20, 28, 31, 32, 0x7f, 0xff, 0x100, 0x7fff, 0xffff, 0x10000, 0x40000,
  0x40001, 0x1000000, 0x1000004, 0x7ffffffc, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff,
] as const;

function u32(bytes: Uint8Array, at: number, little: boolean): number {
  if (at + 4 > bytes.length) return -1;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, little);
}

function u16(bytes: Uint8Array, at: number, little: boolean): number {
  if (at + 2 > bytes.length) return -1;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(at, little);
}

/** Offset of the network layer in a frame of this link type, or -1 when we do not know it. */
function networkOffset(bytes: Uint8Array, data: number, caplen: number, linkType: number): number {
  switch (linkType) {
    case 1: {
      let p = data + 12;
      let type = u16(bytes, p, false);
      while ((type === 0x8100 || type === 0x88a8) && p + 6 <= data + caplen) {
        p += 4;
        type = u16(bytes, p, false);
      }
      return type === 0x0800 || type === 0x86dd ? p + 2 : -1;
    }
    case 0:
    case 108:
      return data + 4;
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      return data;
    case 113:
      return data + 16;
    case 276:
      return data + 20;
    default:
      return -1;
  }
}

/** The IP and TCP length fields of one frame. */
function packetFields(bytes: Uint8Array, data: number, caplen: number, linkType: number, out: LengthField[]): void {
  const ip = networkOffset(bytes, data, caplen, linkType);
  const end = data + caplen;
  if (ip < 0 || ip + 20 > end) return;
  const version = (bytes[ip] ?? 0) >> 4;
  if (version === 4) {
    out.push({ kind: 'ipv4-ihl', at: ip, width: 'lo-nibble', little: false });
    out.push({ kind: 'ipv4-total-length', at: ip + 2, width: 'u16', little: false });
    const ihl = ((bytes[ip] ?? 0) & 15) * 4;
    if (bytes[ip + 9] === 6 && ip + ihl + 13 <= end) {
      out.push({ kind: 'tcp-data-offset', at: ip + ihl + 12, width: 'hi-nibble', little: false });
    }
  } else if (version === 6 && ip + 40 <= end) {
    out.push({ kind: 'ipv6-payload-length', at: ip + 4, width: 'u16', little: false });
    if (bytes[ip + 6] === 6 && ip + 53 <= end) {
      out.push({ kind: 'tcp-data-offset', at: ip + 52, width: 'hi-nibble', little: false });
    }
  }
}

/** The length fields of a pcap file (draft-ietf-opsawg-pcap §4, §5). */
function pcapFields(bytes: Uint8Array): LengthField[] {
  const le = u32(bytes, 0, true);
  const little = le === 0xa1b2c3d4 || le === 0xa1b23c4d || le === 0xa1b2cd34;
  const rh = u32(bytes, 0, little) === 0xa1b2cd34 ? 24 : 16;
  const linkType = u32(bytes, 20, little) & 0xffff;
  const out: LengthField[] = [{ kind: 'pcap-snaplen', at: 16, width: 'u32', little }];
  let pos = 24;
  while (pos + rh <= bytes.length) {
    const caplen = u32(bytes, pos + 8, little);
    out.push({ kind: 'pcap-caplen', at: pos + 8, width: 'u32', little });
    out.push({ kind: 'pcap-origlen', at: pos + 12, width: 'u32', little });
    if (pos + rh + caplen > bytes.length) break;
    packetFields(bytes, pos + rh, caplen, linkType, out);
    pos += rh + caplen;
  }
  return out;
}

/** The length fields of a pcapng file (draft-ietf-opsawg-pcapng §3.1, §4.2, §4.3). */
function pcapngFields(bytes: Uint8Array): LengthField[] {
  const out: LengthField[] = [];
  let little = true;
  let links: number[] = [];
  let pos = 0;
  while (pos + 12 <= bytes.length) {
    const type = u32(bytes, pos, true);
    if (type === 0x0a0d0d0a) {
      little = u32(bytes, pos + 8, true) === 0x1a2b3c4d;
      links = [];
    }
    const len = u32(bytes, pos + 4, little);
    if (len < 12 || len % 4 !== 0 || pos + len > bytes.length) break;
    out.push({ kind: 'pcapng-block-length', at: pos + 4, width: 'u32', little, twin: pos + len - 4 });
    const t = u32(bytes, pos, little);
    if (t === 1 && len >= 20) {
      links.push(u16(bytes, pos + 8, little));
      for (let o = pos + 16; o + 4 <= pos + len - 4; ) {
        const code = u16(bytes, o, little);
        const olen = u16(bytes, o + 2, little);
        if (code === 0) break;
        out.push({ kind: 'pcapng-option-length', at: o + 2, width: 'u16', little });
        o += 4 + ((olen + 3) & ~3);
      }
    } else if ((t === 6 || t === 2) && len >= 32) {
      out.push({ kind: 'pcapng-interface-id', at: pos + 8, width: t === 6 ? 'u32' : 'u16', little });
      out.push({ kind: 'pcapng-caplen', at: pos + 20, width: 'u32', little });
      const ifId = t === 6 ? u32(bytes, pos + 8, little) : u16(bytes, pos + 8, little);
      const caplen = Math.min(u32(bytes, pos + 20, little), len - 32);
      packetFields(bytes, pos + 28, caplen, links[ifId] ?? -1, out);
    } else if (t === 3 && len >= 16) {
      out.push({ kind: 'pcapng-caplen', at: pos + 8, width: 'u32', little });
      packetFields(bytes, pos + 12, len - 16, links[0] ?? -1, out);
    }
    pos += len;
  }
  return out;
}

/** Every length field the fuzzer knows how to find in this (uncompressed) capture. */
export function findLengthFields(bytes: Uint8Array): LengthField[] {
  if (u32(bytes, 0, true) === 0x0a0d0d0a) return pcapngFields(bytes);
  if (bytes.length >= 24) return pcapFields(bytes);
  return [];
}

function writeField(bytes: Uint8Array, f: LengthField, at: number, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (f.width) {
    case 'u32':
      if (at + 4 <= bytes.length) view.setUint32(at, value >>> 0, f.little);
      return;
    case 'u16':
      if (at + 2 <= bytes.length) view.setUint16(at, value & 0xffff, f.little);
      return;
    case 'lo-nibble':
      if (at < bytes.length) bytes[at] = ((bytes[at] ?? 0) & 0xf0) | (value & 0x0f);
      return;
    case 'hi-nibble':
      if (at < bytes.length) bytes[at] = ((bytes[at] ?? 0) & 0x0f) | ((value & 0x0f) << 4);
      return;
  }
}

function readField(bytes: Uint8Array, f: LengthField): number {
  switch (f.width) {
    case 'u32':
      return Math.max(0, u32(bytes, f.at, f.little));
    case 'u16':
      return Math.max(0, u16(bytes, f.at, f.little));
    case 'lo-nibble':
      return (bytes[f.at] ?? 0) & 0x0f;
    case 'hi-nibble':
      return (bytes[f.at] ?? 0) >> 4;
  }
}

/** What a mutation did, kept so a failing case can be explained and replayed. */
export interface Mutation {
  op: string;
  detail: string;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return concatChunks(parts);
}

/** Overwrite one length field (of `fields`, found before earlier mutations moved bytes). */
export function overwriteLength(bytes: Uint8Array, rng: Rng, fields: readonly LengthField[]): Mutation | null {
  if (fields.length === 0) return null;
  const f = rng.pick(fields);
  const old = readField(bytes, f);
  const candidates = [...ABSURD_VALUES, old + 1, old - 1, old + 4, old - 4, old * 2, rng.u32() & 0xffff];
  const value = rng.pick(candidates) >>> 0;
  // pcapng block lengths: sometimes both ends (a consistent lie), sometimes one.
  const where = f.twin === undefined ? 'one' : rng.pick(['lead', 'trail', 'both'] as const);
  if (where !== 'trail') writeField(bytes, f, f.at, value);
  if (f.twin !== undefined && where !== 'lead') writeField(bytes, f, f.twin, value);
  return { op: 'length', detail: `${f.kind}@${f.at}${f.twin !== undefined ? `(${where})` : ''}: ${old} -> ${value}` };
}

/**
 * One random mutation of `input` (which is not changed). `fields` are the length fields of the
 * unmutated file; after a mutation that moved bytes they may point at other bytes, which is fine.
 */
export function mutateOnce(input: Uint8Array, rng: Rng, fields: readonly LengthField[]): { bytes: Uint8Array; mutation: Mutation } {
  const n = input.length;
  const choice = rng.int(100);
  if (choice < 35 && fields.length > 0) {
    const bytes = input.slice();
    const m = overwriteLength(bytes, rng, fields);
    if (m) return { bytes, mutation: m };
  }
  if (choice < 55) {
    const bytes = input.slice();
    const flips = 1 + rng.int(8);
    const at: number[] = [];
    for (let i = 0; i < flips && n > 0; i++) {
      const o = rng.int(n);
      bytes[o] = (bytes[o] ?? 0) ^ (1 << rng.int(8));
      at.push(o);
    }
    return { bytes, mutation: { op: 'flip', detail: at.join(',') } };
  }
  if (choice < 65) {
    const bytes = input.slice();
    const o = rng.int(n);
    const v = rng.pick([0x00, 0xff, 0x7f, 0x80, rng.int(256)]);
    const k = 1 + rng.int(4);
    for (let i = 0; i < k && o + i < n; i++) bytes[o + i] = v;
    return { bytes, mutation: { op: 'set', detail: `${k}x${v}@${o}` } };
  }
  if (choice < 78) {
    const cut = rng.int(n + 1);
    return { bytes: input.slice(0, cut), mutation: { op: 'truncate', detail: String(cut) } };
  }
  if (choice < 90) {
    // Repeat a range k times in place (a record or block seen again, or a torn write).
    const a = rng.int(n);
    const len = 1 + rng.int(Math.min(512, n - a));
    const k = 1 + rng.int(4);
    const copies = Array.from({ length: k }, () => input.subarray(a, a + len));
    const at = rng.int(n + 1);
    return {
      bytes: concat(input.subarray(0, at), ...copies, input.subarray(at)),
      mutation: { op: 'repeat', detail: `[${a},${a + len})x${k}@${at}` },
    };
  }
  // Delete a range (a lost disk block).
  const a = rng.int(n);
  const len = 1 + rng.int(Math.min(256, n - a));
  return { bytes: concat(input.subarray(0, a), input.subarray(a + len)), mutation: { op: 'delete', detail: `[${a},${a + len})` } };
}

/** 1..maxSteps mutations in a row. */
export function mutate(input: Uint8Array, rng: Rng, maxSteps = 3): { bytes: Uint8Array; mutations: Mutation[] } {
  const fields = findLengthFields(input);
  const steps = 1 + rng.int(maxSteps);
  let bytes = input;
  const mutations: Mutation[] = [];
  for (let i = 0; i < steps; i++) {
    const r = mutateOnce(bytes, rng, fields);
    bytes = r.bytes;
    mutations.push(r.mutation);
  }
  return { bytes, mutations };
}

/** The head of one capture joined to the tail of another (a file overwritten in place). */
export function splice(a: Uint8Array, b: Uint8Array, rng: Rng): { bytes: Uint8Array; mutation: Mutation } {
  const cutA = rng.int(a.length + 1);
  const cutB = rng.int(b.length + 1);
  return { bytes: concat(a.subarray(0, cutA), b.subarray(cutB)), mutation: { op: 'splice', detail: `a[0,${cutA}) + b[${cutB},)` } };
}
