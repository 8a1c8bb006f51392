/**
 * Raw frames built byte by byte: Ethernet II (IEEE 802.3 §3.2.6, optional IEEE 802.1Q tag) or no
 * link layer (LINKTYPE_RAW), IPv4 (RFC 791 §3.1) or IPv6 (RFC 8200 §3), TCP (RFC 9293 §3.1) with its
 * options (RFC 9293 §3.2 MSS, RFC 7323 §2.2/§3.2 window scale and timestamps, RFC 2018 SACK).
 * Checksums are always correct unless explicitly overridden.
 */
import { macForIp, parseIp, parseMac } from './address.ts';
import { finishChecksum, pseudoHeaderSum, sumWords } from './checksum.ts';
import { utf8 } from './hex.ts';

/** TCP options, laid out in the order Linux uses for a SYN (MSS, SACK-permitted, timestamps, window scale). */
export interface TcpOptionSpec {
  /** Maximum segment size (kind 2). */
  mss?: number;
  /** Window scale shift (kind 3). */
  windowScale?: number;
  /** SACK permitted (kind 4). */
  sackPermitted?: boolean;
  /** Timestamps (kind 8): TSval and TSecr. */
  timestamps?: { value: number; echo: number };
  /** SACK blocks (kind 5), left and right edges. */
  sack?: readonly (readonly [number, number])[];
  /** Raw option bytes appended after the others (then padded with EOL to a multiple of 4). */
  raw?: Uint8Array;
}

export type LinkLayer = 'ethernet' | 'raw';

/** Everything one TCP frame carries. Only addresses, ports, seq and flags are required. */
export interface TcpPacketSpec {
  /** IPv4 or IPv6 literal, or its 4/16 bytes; both ends must be the same version. */
  src: string | Uint8Array;
  dst: string | Uint8Array;
  srcPort: number;
  dstPort: number;
  seq: number;
  /** Acknowledgement number field (written whatever the ACK flag; default 0). */
  ack?: number;
  /** The 12-bit flags field (see `TcpFlag` in model/types.ts). */
  flags: number;
  /** Raw window field (default 64240). */
  window?: number;
  urgentPointer?: number;
  options?: TcpOptionSpec;
  payload?: Uint8Array | string;
  /** IPv4 TTL or IPv6 hop limit (default 64). */
  ttl?: number;
  /** IPv4 identification (default 0). */
  ipId?: number;
  /** IPv4 don't-fragment bit (default true). */
  dontFragment?: boolean;
  /** IPv4 TOS / IPv6 traffic class (default 0). */
  tos?: number;
  /** IPv6 flow label (default 0). */
  flowLabel?: number;
  /** Default 'ethernet'. */
  link?: LinkLayer;
  /** 802.1Q VLAN id (12 bits); with it the frame carries a tag with priority `vlanPriority`. */
  vlan?: number;
  vlanPriority?: number;
  /** Default: derived from the IP address (02:00 + last four bytes). */
  srcMac?: string | Uint8Array;
  dstMac?: string | Uint8Array;
  /** Written instead of the correct value, to build corrupt packets. */
  ipChecksum?: number;
  tcpChecksum?: number;
}

/** Where the parts of a built frame sit, for tests and for patching copies. */
export interface TcpFrameLayout {
  ipVersion: 4 | 6;
  ipOffset: number;
  tcpOffset: number;
  tcpHeaderLength: number;
  payloadOffset: number;
  payloadLength: number;
  /** Offset of the TSval field, or -1 without a timestamps option. */
  tsValOffset: number;
}

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;

/** Bytes of a payload given as text (UTF-8) or bytes. */
export function payloadBytes(payload: Uint8Array | string | undefined): Uint8Array {
  if (payload === undefined) return new Uint8Array(0);
  return typeof payload === 'string' ? utf8(payload) : payload;
}

const asIp = (a: string | Uint8Array): Uint8Array => (typeof a === 'string' ? parseIp(a) : a);
const asMac = (a: string | Uint8Array): Uint8Array => (typeof a === 'string' ? parseMac(a) : a);

/** Encodes TCP options, padded with EOL to a multiple of 4 bytes (at most 40). */
const NO_OPTIONS = new Uint8Array(0);

function put16(b: Uint8Array, p: number, v: number): void {
  b[p] = (v >>> 8) & 0xff;
  b[p + 1] = v & 0xff;
}

function put32(b: Uint8Array, p: number, v: number): void {
  b[p] = v >>> 24;
  b[p + 1] = (v >>> 16) & 0xff;
  b[p + 2] = (v >>> 8) & 0xff;
  b[p + 3] = v & 0xff;
}

export function encodeTcpOptions(o: TcpOptionSpec | undefined): Uint8Array {
  if (!o) return NO_OPTIONS;
  // The common case of a data segment: only timestamps, NOP NOP TS.
  if (o.timestamps && o.mss === undefined && o.windowScale === undefined && !o.sackPermitted && !o.sack && !o.raw) {
    const b = new Uint8Array(12);
    b[0] = 1;
    b[1] = 1;
    b[2] = 8;
    b[3] = 10;
    put32(b, 4, o.timestamps.value >>> 0);
    put32(b, 8, o.timestamps.echo >>> 0);
    return b;
  }
  const b: number[] = [];
  const u16 = (v: number): void => void b.push((v >> 8) & 0xff, v & 0xff);
  const u32 = (v: number): void => void b.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  if (o.mss !== undefined) {
    b.push(2, 4);
    u16(o.mss);
  }
  if (o.sackPermitted && o.timestamps) b.push(4, 2);
  else if (o.sackPermitted) b.push(1, 1, 4, 2);
  if (o.timestamps) {
    if (!o.sackPermitted) b.push(1, 1);
    b.push(8, 10);
    u32(o.timestamps.value);
    u32(o.timestamps.echo);
  }
  if (o.windowScale !== undefined) b.push(1, 3, 3, o.windowScale);
  if (o.sack && o.sack.length > 0) {
    b.push(1, 1, 5, 2 + 8 * o.sack.length);
    for (const [left, right] of o.sack) {
      u32(left);
      u32(right);
    }
  }
  if (o.raw) b.push(...o.raw);
  while (b.length % 4 !== 0) b.push(0);
  if (b.length > 40) throw new Error(`TCP options take ${b.length} bytes, more than 40`);
  return Uint8Array.from(b);
}

/** Builds one frame; see `TcpPacketSpec` for the defaults. */
export function buildTcpPacket(spec: TcpPacketSpec): Uint8Array {
  return buildTcpFrame(spec).bytes;
}

/** Builds one frame and says where its parts are. */
export function buildTcpFrame(spec: TcpPacketSpec): { bytes: Uint8Array; layout: TcpFrameLayout } {
  const src = asIp(spec.src);
  const dst = asIp(spec.dst);
  if (src.length !== dst.length || (src.length !== 4 && src.length !== 16)) {
    throw new Error('source and destination must both be IPv4 or both IPv6');
  }
  const v6 = src.length === 16;
  const options = encodeTcpOptions(spec.options);
  const payload = payloadBytes(spec.payload);
  const link = spec.link ?? 'ethernet';
  const linkLen = link === 'raw' ? 0 : spec.vlan !== undefined ? 18 : 14;
  const ipLen = v6 ? 40 : 20;
  const tcpHeaderLength = 20 + options.length;
  const tcpLength = tcpHeaderLength + payload.length;
  const bytes = new Uint8Array(linkLen + ipLen + tcpLength);
  // Plain byte stores rather than a DataView per frame: this runs for every scripted frame.

  // Ethernet II: destination, source, [802.1Q TPID + TCI], EtherType.
  if (link === 'ethernet') {
    bytes.set(spec.dstMac ? asMac(spec.dstMac) : macForIp(dst), 0);
    bytes.set(spec.srcMac ? asMac(spec.srcMac) : macForIp(src), 6);
    let p = 12;
    if (spec.vlan !== undefined) {
      put16(bytes, 12, ETHERTYPE_VLAN);
      put16(bytes, 14, (((spec.vlanPriority ?? 0) & 7) << 13) | (spec.vlan & 0xfff));
      p = 16;
    }
    put16(bytes, p, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
  }

  const ip = linkLen;
  if (v6) {
    // RFC 8200 §3: version 6, traffic class, flow label, payload length, next header, hop limit.
    put32(bytes, ip, ((6 << 28) | (((spec.tos ?? 0) & 0xff) << 20) | ((spec.flowLabel ?? 0) & 0xfffff)) >>> 0);
    put16(bytes, ip + 4, tcpLength);
    bytes[ip + 6] = 6;
    bytes[ip + 7] = spec.ttl ?? 64;
    bytes.set(src, ip + 8);
    bytes.set(dst, ip + 24);
  } else {
    // RFC 791 §3.1: version 4 / IHL 5, TOS, total length, id, flags+offset, TTL, protocol, checksum.
    bytes[ip] = 0x45;
    bytes[ip + 1] = spec.tos ?? 0;
    put16(bytes, ip + 2, ipLen + tcpLength);
    put16(bytes, ip + 4, (spec.ipId ?? 0) & 0xffff);
    bytes[ip + 6] = (spec.dontFragment ?? true) ? 0x40 : 0;
    bytes[ip + 8] = spec.ttl ?? 64;
    bytes[ip + 9] = 6;
    bytes.set(src, ip + 12);
    bytes.set(dst, ip + 16);
    put16(bytes, ip + 10, spec.ipChecksum ?? finishChecksum(sumWords(bytes, ip, ip + 20)));
  }

  // RFC 9293 §3.1: ports, seq, ack, data offset + 12 flag bits, window, checksum, urgent pointer.
  const t = ip + ipLen;
  put16(bytes, t, spec.srcPort);
  put16(bytes, t + 2, spec.dstPort);
  put32(bytes, t + 4, spec.seq >>> 0);
  put32(bytes, t + 8, (spec.ack ?? 0) >>> 0);
  put16(bytes, t + 12, ((tcpHeaderLength / 4) << 12) | (spec.flags & 0xfff));
  put16(bytes, t + 14, spec.window ?? 64240);
  put16(bytes, t + 18, spec.urgentPointer ?? 0);
  if (options.length > 0) bytes.set(options, t + 20);
  if (payload.length > 0) bytes.set(payload, t + tcpHeaderLength);
  const sum = sumWords(bytes, t, t + tcpLength, pseudoHeaderSum(src, dst, tcpLength));
  put16(bytes, t + 16, spec.tcpChecksum ?? finishChecksum(sum));

  const tsAt = spec.options?.timestamps ? findTimestampOption(bytes, t + 20, t + tcpHeaderLength) : -1;
  return {
    bytes,
    layout: {
      ipVersion: v6 ? 6 : 4,
      ipOffset: ip,
      tcpOffset: t,
      tcpHeaderLength,
      payloadOffset: t + tcpHeaderLength,
      payloadLength: payload.length,
      tsValOffset: tsAt,
    },
  };
}

function findTimestampOption(bytes: Uint8Array, start: number, end: number): number {
  let p = start;
  while (p < end) {
    const kind = bytes[p]!;
    if (kind === 0) break;
    if (kind === 1) {
      p++;
      continue;
    }
    if (kind === 8) return p + 2;
    p += Math.max(2, bytes[p + 1]!);
  }
  return -1;
}


/**
 * A frame built once whose copies differ only in seq, ack, IPv4 id and TCP timestamps; checksums
 * are completed from sums precomputed over everything else, so a copy costs a `set` and a few adds.
 * This is what lets the benchmark generator write hundreds of MB/s.
 */
export class TcpFrameTemplate {
  readonly bytes: Uint8Array;
  readonly layout: TcpFrameLayout;
  private readonly tcpBase: number;
  private readonly ipBase: number;

  constructor(spec: TcpPacketSpec) {
    const { bytes, layout } = buildTcpFrame({ ...spec, seq: 0, ack: 0, ipId: 0 });
    this.bytes = bytes;
    this.layout = layout;
    const t = layout.tcpOffset;
    if (layout.tsValOffset >= 0) bytes.fill(0, layout.tsValOffset, layout.tsValOffset + 8);
    bytes[t + 16] = 0;
    bytes[t + 17] = 0;
    const tcpLength = bytes.length - t;
    const v6 = layout.ipVersion === 6;
    const ip = layout.ipOffset;
    const src = bytes.subarray(ip + (v6 ? 8 : 12), ip + (v6 ? 24 : 16));
    const dst = bytes.subarray(ip + (v6 ? 24 : 16), ip + (v6 ? 40 : 20));
    this.tcpBase = sumWords(bytes, t, bytes.length, pseudoHeaderSum(src, dst, tcpLength));
    if (!v6) {
      bytes[ip + 10] = 0;
      bytes[ip + 11] = 0;
      this.ipBase = sumWords(bytes, ip, ip + 20);
    } else {
      this.ipBase = 0;
    }
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Writes a copy at `out[pos]` with these fields and correct checksums; returns its length. */
  writeTo(out: Uint8Array, pos: number, seq: number, ack: number, ipId = 0, tsVal = 0, tsEcr = 0): number {
    const b = this.bytes;
    out.set(b, pos);
    const { tcpOffset, tsValOffset, ipOffset, ipVersion } = this.layout;
    const t = pos + tcpOffset;
    seq >>>= 0;
    ack >>>= 0;
    put32(out, t + 4, seq);
    put32(out, t + 8, ack);
    let sum = this.tcpBase + (seq >>> 16) + (seq & 0xffff) + (ack >>> 16) + (ack & 0xffff);
    if (tsValOffset >= 0) {
      tsVal >>>= 0;
      tsEcr >>>= 0;
      put32(out, pos + tsValOffset, tsVal);
      put32(out, pos + tsValOffset + 4, tsEcr);
      sum += (tsVal >>> 16) + (tsVal & 0xffff) + (tsEcr >>> 16) + (tsEcr & 0xffff);
    }
    const c = finishChecksum(sum);
    out[t + 16] = c >> 8;
    out[t + 17] = c & 0xff;
    if (ipVersion === 4) {
      const ip = pos + ipOffset;
      ipId &= 0xffff;
      out[ip + 4] = ipId >> 8;
      out[ip + 5] = ipId & 0xff;
      const ic = finishChecksum(this.ipBase + ipId);
      out[ip + 10] = ic >> 8;
      out[ip + 11] = ic & 0xff;
    }
    return b.length;
  }
}
