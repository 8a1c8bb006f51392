/**
 * Byte builders for hand-made hostile files: a pcap header and records whose lengths may lie, and
 * pcapng blocks (little endian) whose leading and trailing lengths may disagree.
 */

import { concatChunks } from '../../src/core/capture/bytes.ts';

/** The parts one after the other. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  return concatChunks(parts);
}

/** pcap file header (draft-ietf-opsawg-pcap §4), little endian, version 2.4, microseconds. */
export function pcapHeader(linkType = 1, snaplen = 262144): Uint8Array {
  const h = new Uint8Array(24);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, snaplen, true);
  v.setUint32(20, linkType, true);
  return h;
}

/** pcap record (§5) holding `data`, with a captured length that may lie. */
export function pcapRecord(data: Uint8Array, caplen = data.length, second = 1_700_000_000): Uint8Array {
  const r = new Uint8Array(16 + data.length);
  const v = new DataView(r.buffer);
  v.setUint32(0, second, true);
  v.setUint32(8, caplen, true);
  v.setUint32(12, data.length, true);
  r.set(data, 16);
  return r;
}

/**
 * A pcapng block (draft-ietf-opsawg-pcapng §3.1): type, total length, body padded to 32 bits, total
 * length again. `len` and `trailer` replace the true length at the front and at the back.
 */
export function block(type: number, body: Uint8Array, opts: { len?: number; trailer?: number } = {}): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const b = new Uint8Array(12 + padded);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, opts.len ?? b.length, true);
  b.set(body, 8);
  v.setUint32(8 + padded, opts.trailer ?? opts.len ?? b.length, true);
  return b;
}

/** Options (§3.5): code, length, value padded to 32 bits, then opt_endofopt. */
export function options(...opts: [code: number, value: Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [code, value] of opts) {
    const o = new Uint8Array(4 + ((value.length + 3) & ~3));
    const v = new DataView(o.buffer);
    v.setUint16(0, code, true);
    v.setUint16(2, value.length, true);
    o.set(value, 4);
    parts.push(o);
  }
  if (opts.length > 0) parts.push(new Uint8Array(4));
  return cat(...parts);
}

/** Section Header Block (§4.1), version 1.0, section length unknown. */
export function shb(): Uint8Array {
  const body = new Uint8Array(16);
  const v = new DataView(body.buffer);
  v.setUint32(0, 0x1a2b3c4d, true);
  v.setUint16(4, 1, true);
  v.setInt32(8, -1, true);
  v.setInt32(12, -1, true);
  return block(0x0a0d0d0a, body);
}

/** Interface Description Block (§4.2). */
export function idb(linkType = 1, opts: Uint8Array = new Uint8Array(0), snaplen = 262144): Uint8Array {
  const body = new Uint8Array(8 + opts.length);
  const v = new DataView(body.buffer);
  v.setUint16(0, linkType, true);
  v.setUint32(4, snaplen, true);
  body.set(opts, 8);
  return block(1, body);
}

/** Enhanced Packet Block (§4.3); `caplen` may lie about the data it carries. */
export function epb(
  data: Uint8Array,
  o: { ifId?: number; caplen?: number; ts?: bigint; len?: number; trailer?: number } = {},
): Uint8Array {
  const body = new Uint8Array(20 + data.length);
  const v = new DataView(body.buffer);
  const ts = o.ts ?? 1_700_000_000_000_000n;
  v.setUint32(0, o.ifId ?? 0, true);
  v.setUint32(4, Number(ts >> 32n), true);
  v.setUint32(8, Number(ts & 0xffffffffn), true);
  v.setUint32(12, o.caplen ?? data.length, true);
  v.setUint32(16, data.length, true);
  body.set(data, 20);
  return block(6, body, { ...(o.len !== undefined ? { len: o.len } : {}), ...(o.trailer !== undefined ? { trailer: o.trailer } : {}) });
}
