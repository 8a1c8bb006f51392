import { LinkType } from '../capture/link-types.ts';

/** Why a frame did not yield a TCP segment. */
export const Skip = {
  none: 0,
  unsupportedLink: 1,
  notIp: 2,
  notTcp: 3,
  fragment: 4,
  malformed: 5,
  cutBySnaplen: 6,
  empty: 7,
  mplsNotIp: 8,
} as const;
export type SkipReason = (typeof Skip)[keyof typeof Skip];

export const SKIP_NAMES: Record<number, string> = {
  1: 'unsupported link type',
  2: 'not IP (ARP, LLC, other ethertypes)',
  3: 'IP but not TCP (UDP, ICMP, ...)',
  4: 'IP fragment not completing a TCP segment',
  5: 'malformed IP or TCP header',
  6: 'TCP header cut off by the snapshot length',
  7: 'empty record',
  8: 'MPLS payload not IP (pseudowire or other)',
};

const MAX_TUNNEL_DEPTH = 4;
const TEREDO_PORT = 3544;
const VXLAN_PORT = 4789;
const DNS_PORT = 53;

/**
 * The fields of one frame down to TCP, decoded into a reused scratch object: no allocation per
 * packet. Addresses are 32-bit words (IPv4 in word 0; IPv6 in words 0..3, network order).
 */
export class DecodedPacket {
  skip: SkipReason = Skip.none;
  ipVersion: 4 | 6 = 4;
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);
  ttl = 0;
  ipId = 0;
  /** IP datagram length (header + payload) of the innermost IP header. */
  ipLength = 0;
  srcPort = 0;
  dstPort = 0;
  seq = 0;
  ack = 0;
  flags = 0;
  window = 0;
  tcpHeaderLength = 0;
  /** TCP payload length from the IP length fields. */
  payloadLength = 0;
  /** Where the payload starts in the frame buffer and how much of it was captured. */
  payloadOffset = 0;
  payloadCaptured = 0;
  mss = 0;
  /** -1 when absent. */
  windowScale = -1;
  sackPermitted = false;
  hasTimestamps = false;
  /** A UDP datagram from port 53 (a DNS answer): where its payload starts and ends in the frame; 0, 0 otherwise. */
  dnsOffset = 0;
  dnsEnd = 0;
  /** The segment came from reassembled IP fragments (its payload is in other frames). */
  reassembled = false;
  /** How many tunnel headers (IP-in-IP, GRE, Teredo, VXLAN) were unwrapped to reach the TCP segment. */
  tunnelDepth = 0;
}

/** Bytes of a datagram's start kept while its fragments arrive: the longest TCP header. */
const HEAD_BYTES = 60;
/** Disjoint byte ranges kept per datagram before it is given up (hostile captures). */
const MAX_RANGES = 64;

/**
 * IPv4 / IPv6 fragments waiting for the rest of their datagram (RFC 791 §3.2, RFC 8200 §4.5). Rare,
 * so a Map is fine. What has arrived is kept as byte ranges, so overlapping or repeated fragments
 * count once, as in Wireshark's reassembly; of the data only the first `HEAD_BYTES` are kept, filled
 * from whichever fragments cover them (a TCP header may be split across fragments).
 */
interface Reassembly {
  /** Sorted, merged [start, end) pairs of the bytes received. */
  ranges: number[];
  total: number;
  head: Uint8Array;
}

export class PacketDecoder {
  readonly out = new DecodedPacket();
  private readonly fragments = new Map<string, Reassembly>();

  /** Decode `bytes[off .. off+caplen)` of the given link type into `this.out`. */
  decode(bytes: Uint8Array, view: DataView, off: number, caplen: number, linkType: number): DecodedPacket {
    const out = this.out;
    out.skip = Skip.none;
    out.tunnelDepth = 0;
    out.windowScale = -1;
    out.mss = 0;
    out.sackPermitted = false;
    out.hasTimestamps = false;
    out.reassembled = false;
    out.dnsEnd = 0;
    if (caplen === 0) return this.fail(Skip.empty);
    const end = off + caplen;
    // Ethernet II straight to IPv4 or IPv6 (most frames), skipping the link-layer dispatch.
    if (linkType === LinkType.ETHERNET && caplen >= 54) {
      const type = view.getUint16(off + 12);
      if (type === 0x0800) {
        if (this.ipv4TcpFast(bytes, view, off + 14, end)) return out;
      } else if (type === 0x86dd) {
        return this.ipv6(bytes, view, off + 14, end);
      }
    }
    switch (linkType) {
      case LinkType.ETHERNET:
        return this.ethernet(bytes, view, off, end);
      case LinkType.LINUX_SLL:
        if (caplen < 16) return this.fail(Skip.malformed);
        return this.etherType(bytes, view, view.getUint16(off + 14), off + 16, end);
      case LinkType.LINUX_SLL2:
        if (caplen < 20) return this.fail(Skip.malformed);
        return this.etherType(bytes, view, view.getUint16(off), off + 20, end);
      case LinkType.RAW:
      case LinkType.RAW_OPENBSD:
      case LinkType.RAW_BSD:
        return this.ip(bytes, view, off, end);
      case LinkType.IPV4:
        return this.ipv4(bytes, view, off, end);
      case LinkType.IPV6:
        return this.ipv6(bytes, view, off, end);
      case LinkType.NULL:
      case LinkType.LOOP: {
        if (caplen < 4) return this.fail(Skip.malformed);
        // NULL carries the address family in the capturing host's byte order; LOOP in network order.
        const be = view.getUint32(off, false);
        const le = view.getUint32(off, true);
        const af = linkType === LinkType.LOOP ? be : be < 256 ? be : le;
        if (af === 2) return this.ipv4(bytes, view, off + 4, end);
        if (af === 24 || af === 28 || af === 30 || af === 10) return this.ipv6(bytes, view, off + 4, end);
        return this.fail(Skip.notIp);
      }
      case LinkType.PPP:
      case LinkType.PPP_HDLC: {
        let p = off;
        if (p + 2 <= end && bytes[p] === 0xff && bytes[p + 1] === 0x03) p += 2;
        if (p + 2 > end) return this.fail(Skip.malformed);
        const proto = view.getUint16(p);
        if (proto === 0x0021) return this.ipv4(bytes, view, p + 2, end);
        if (proto === 0x0057) return this.ipv6(bytes, view, p + 2, end);
        return this.fail(Skip.notIp);
      }
      case LinkType.FDDI: {
        // Frame control (1), destination (6), source (6), then 802.2 LLC.
        return this.llc(bytes, view, off + 13, end);
      }
      case LinkType.CISCO_HDLC:
        // Address (1), control (1), then an EtherType (tcpdump print-chdlc.c).
        if (caplen < 4) return this.fail(Skip.malformed);
        return this.etherType(bytes, view, view.getUint16(off + 2), off + 4, end);
      case LinkType.IPOIB:
        // RFC 4391 §6 as Linux captures it: 20-byte destination and source hardware addresses,
        // then a 2-byte EtherType and 2 reserved bytes.
        if (caplen < 44) return this.fail(Skip.malformed);
        return this.etherType(bytes, view, view.getUint16(off + 40), off + 44, end);
      case LinkType.ARCNET_LINUX:
        return this.arcnet(bytes, view, off, end);
      case LinkType.NFLOG:
        return this.nflog(bytes, view, off, end);
      default:
        return this.fail(Skip.unsupportedLink);
    }
  }

  /**
   * Linux ARCNET (tcpdump print-arcnet.c): source, destination, 2-byte offset, protocol id, then for
   * RFC 1201 protocols a split flag and a 2-byte sequence number (4 more bytes in an exception
   * packet, flag 0xff). A split packet's later pieces carry no IP header.
   */
  private arcnet(bytes: Uint8Array, view: DataView, off: number, end: number): DecodedPacket {
    if (off + 5 > end) return this.fail(Skip.malformed);
    const proto = bytes[off + 4] ?? 0;
    if (proto === 0xf0) return this.ipv4(bytes, view, off + 5, end); // RFC 1051 IP
    if (proto !== 0xd4 && proto !== 0xc4) return this.fail(Skip.notIp);
    if (off + 8 > end) return this.fail(Skip.malformed);
    let p = off + 8;
    const flag = bytes[off + 5] ?? 0;
    if (flag === 0xff) p += 4;
    else if (flag !== 0) return this.fail(Skip.fragment);
    return proto === 0xd4 ? this.ipv4(bytes, view, p, end) : this.ipv6(bytes, view, p, end);
  }

  /**
   * Linux NFLOG (https://www.tcpdump.org/linktypes/LINKTYPE_NFLOG.html): family, version, resource
   * id, then TLVs (length and type in the capturing host's byte order, length covering the 4-byte
   * TLV header, padded to 4 bytes); type 9 holds the packet from its IP header on.
   */
  private nflog(bytes: Uint8Array, view: DataView, off: number, end: number): DecodedPacket {
    if (off + 4 > end) return this.fail(Skip.malformed);
    const family = bytes[off] ?? 0;
    let p = off + 4;
    for (let guard = 0; guard < 64 && p + 4 <= end; guard++) {
      let len = view.getUint16(p, true);
      let type = view.getUint16(p + 2, true);
      // Big-endian hosts: the little-endian reading gives a type above the few that exist.
      if (type > 0xff) {
        len = view.getUint16(p);
        type = view.getUint16(p + 2);
      }
      if (len < 4) return this.fail(Skip.malformed);
      if ((type & 0x7fff) === 9) {
        const q = p + 4;
        const e = Math.min(end, p + len);
        if (family === 2) return this.ipv4(bytes, view, q, e);
        if (family === 10) return this.ipv6(bytes, view, q, e);
        return this.fail(Skip.notIp);
      }
      p += (len + 3) & ~3;
    }
    return this.fail(Skip.notIp);
  }

  private fail(reason: SkipReason): DecodedPacket {
    this.out.skip = reason;
    return this.out;
  }

  /** Ethernet II / 802.3 (IEEE 802.3 §3.2.6), with any number of 802.1Q / 802.1ad tags. */
  private ethernet(bytes: Uint8Array, view: DataView, off: number, end: number): DecodedPacket {
    if (off + 14 > end) return this.fail(Skip.malformed);
    const type = view.getUint16(off + 12);
    if (type <= 1500) return this.llc(bytes, view, off + 14, end);
    return this.etherType(bytes, view, type, off + 14, end);
  }

  private etherType(bytes: Uint8Array, view: DataView, type: number, p: number, end: number): DecodedPacket {
    // VLAN tags: 802.1Q 0x8100, 802.1ad 0x88a8, legacy QinQ 0x9100/0x9200.
    let guard = 0;
    while ((type === 0x8100 || type === 0x88a8 || type === 0x9100 || type === 0x9200) && guard++ < 8) {
      if (p + 4 > end) return this.fail(Skip.malformed);
      type = view.getUint16(p + 2);
      p += 4;
    }
    if (type === 0x8864) {
      // PPPoE session: 6-byte header, then a 2-byte PPP protocol.
      if (p + 8 > end) return this.fail(Skip.malformed);
      const proto = view.getUint16(p + 6);
      if (proto === 0x0021) return this.ipv4(bytes, view, p + 8, end);
      if (proto === 0x0057) return this.ipv6(bytes, view, p + 8, end);
      return this.fail(Skip.notIp);
    }
    if (type === 0x8847 || type === 0x8848) return this.mpls(bytes, view, p, end);
    if (type === 0x0800) return this.ipv4(bytes, view, p, end);
    if (type === 0x86dd) return this.ipv6(bytes, view, p, end);
    return this.fail(Skip.notIp);
  }

  /**
   * MPLS label stack (RFC 3032 §2.1): 4-byte entries until the bottom-of-stack bit; below it IP,
   * told by its version nibble as tshark does. Anything else (pseudowires) is counted, not guessed.
   */
  private mpls(bytes: Uint8Array, view: DataView, p: number, end: number): DecodedPacket {
    for (let guard = 0; guard < 16; guard++) {
      if (p + 4 > end) return this.fail(Skip.malformed);
      const bottom = ((bytes[p + 2] ?? 0) & 1) !== 0;
      p += 4;
      if (bottom) {
        if (p >= end) return this.fail(Skip.malformed);
        const version = (bytes[p] ?? 0) >> 4;
        if (version === 4) return this.ipv4(bytes, view, p, end);
        if (version === 6) return this.ipv6(bytes, view, p, end);
        return this.fail(Skip.mplsNotIp);
      }
    }
    return this.fail(Skip.malformed);
  }

  /** 802.2 LLC with SNAP (RFC 1042): AA AA 03, OUI, EtherType. */
  private llc(bytes: Uint8Array, view: DataView, p: number, end: number): DecodedPacket {
    if (p + 8 <= end && bytes[p] === 0xaa && bytes[p + 1] === 0xaa && bytes[p + 2] === 0x03) {
      return this.etherType(bytes, view, view.getUint16(p + 6), p + 8, end);
    }
    return this.fail(Skip.notIp);
  }

  private ip(bytes: Uint8Array, view: DataView, p: number, end: number): DecodedPacket {
    if (p >= end) return this.fail(Skip.malformed);
    const version = (bytes[p] ?? 0) >> 4;
    if (version === 4) return this.ipv4(bytes, view, p, end);
    if (version === 6) return this.ipv6(bytes, view, p, end);
    return this.fail(Skip.notIp);
  }

  /** IPv4 (RFC 791 §3.1). */
  private ipv4(bytes: Uint8Array, view: DataView, p: number, end: number): DecodedPacket {
    const out = this.out;
    if (p + 20 > end) return this.fail(p + 1 > end ? Skip.malformed : Skip.cutBySnaplen);
    const vihl = bytes[p] ?? 0;
    if (vihl >> 4 !== 4) return this.fail(Skip.malformed);
    const ihl = (vihl & 0x0f) * 4;
    if (ihl < 20) return this.fail(Skip.malformed);
    const total = view.getUint16(p + 2);
    if (total < ihl && total !== 0) return this.fail(Skip.malformed);
    if (p + ihl > end) return this.fail(Skip.cutBySnaplen);
    out.ipVersion = 4;
    out.ipId = view.getUint16(p + 4);
    const frag = view.getUint16(p + 6);
    out.ttl = bytes[p + 8] ?? 0;
    const proto = bytes[p + 9] ?? 0;
    out.src[0] = view.getUint32(p + 12);
    out.dst[0] = view.getUint32(p + 16);
    out.src[1] = out.src[2] = out.src[3] = 0;
    out.dst[1] = out.dst[2] = out.dst[3] = 0;
    // A total length of 0 is what TCP segmentation offload leaves: use what was captured.
    const ipLen = total === 0 ? end - p : total;
    out.ipLength = ipLen;
    const payloadStart = p + ihl;
    const payloadLen = ipLen - ihl;
    const moreFragments = (frag & 0x2000) !== 0;
    const fragOffset = (frag & 0x1fff) * 8;
    if (moreFragments || fragOffset !== 0) {
      return this.fragment(bytes, view, payloadStart, Math.min(end, p + ipLen), payloadLen, fragOffset, moreFragments, proto);
    }
    // Bytes past the datagram (Ethernet padding) are not its payload.
    return this.transport(bytes, view, proto, payloadStart, Math.min(end, p + ipLen), payloadLen);
  }

  /**
   * The common case in straight-line code: an IPv4 header (options allowed) that is neither a
   * fragment nor cut, carrying a whole TCP header. Decodes it as `ipv4` would and returns true;
   * returns false, having decided nothing, for anything else (the general path then takes it).
   */
  private ipv4TcpFast(bytes: Uint8Array, view: DataView, p: number, end: number): boolean {
    const vihl = bytes[p]!;
    const ihl = (vihl & 0x0f) * 4;
    const total = view.getUint16(p + 2);
    const ipEnd = p + total;
    if (vihl >> 4 !== 4 || ihl < 20 || total < ihl + 20 || p + ihl > end || bytes[p + 9] !== 6 || (view.getUint16(p + 6) & 0x3fff) !== 0) return false;
    if (p + ihl + 20 > (ipEnd < end ? ipEnd : end)) return false;
    const out = this.out;
    out.ipVersion = 4;
    out.ipId = view.getUint16(p + 4);
    out.ttl = bytes[p + 8]!;
    out.src[0] = view.getUint32(p + 12);
    out.dst[0] = view.getUint32(p + 16);
    out.src[1] = out.src[2] = out.src[3] = 0;
    out.dst[1] = out.dst[2] = out.dst[3] = 0;
    out.ipLength = total;
    this.tcp(bytes, view, p + ihl, ipEnd < end ? ipEnd : end, total - ihl);
    return true;
  }

  /** IPv6 (RFC 8200 §3) and its extension headers (§4). */
  private ipv6(bytes: Uint8Array, view: DataView, p: number, end: number): DecodedPacket {
    const out = this.out;
    if (p + 40 > end) return this.fail(p + 1 > end ? Skip.malformed : Skip.cutBySnaplen);
    if ((bytes[p] ?? 0) >> 4 !== 6) return this.fail(Skip.malformed);
    out.ipVersion = 6;
    out.ipId = 0;
    const plen = view.getUint16(p + 4);
    let next = bytes[p + 6] ?? 0;
    out.ttl = bytes[p + 7] ?? 0;
    for (let i = 0; i < 4; i++) {
      out.src[i] = view.getUint32(p + 8 + i * 4);
      out.dst[i] = view.getUint32(p + 24 + i * 4);
    }
    // A payload length of 0 means a jumbogram or offload: use what was captured.
    const payloadLen = plen === 0 ? end - p - 40 : plen;
    out.ipLength = payloadLen + 40;
    // Bytes past the datagram (Ethernet padding) are not its payload.
    end = Math.min(end, p + 40 + payloadLen);
    let q = p + 40;
    let remaining = payloadLen;
    for (let guard = 0; guard < 16; guard++) {
      if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
        if (q + 8 > end) return this.fail(Skip.cutBySnaplen);
        const hlen = ((bytes[q + 1] ?? 0) + 1) * 8;
        next = bytes[q] ?? 0;
        q += hlen;
        remaining -= hlen;
      } else if (next === 51) {
        // Authentication Header (RFC 4302 §2): length in 32-bit words minus 2.
        if (q + 8 > end) return this.fail(Skip.cutBySnaplen);
        const hlen = ((bytes[q + 1] ?? 0) + 2) * 4;
        next = bytes[q] ?? 0;
        q += hlen;
        remaining -= hlen;
      } else if (next === 44) {
        // Fragment header (RFC 8200 §4.5).
        if (q + 8 > end) return this.fail(Skip.cutBySnaplen);
        const proto = bytes[q] ?? 0;
        const fo = view.getUint16(q + 2);
        const fragOffset = fo & 0xfff8;
        const more = (fo & 1) !== 0;
        out.ipId = view.getUint32(q + 4) & 0xffff;
        q += 8;
        remaining -= 8;
        if (fragOffset === 0 && !more) break; // atomic fragment
        return this.fragment(bytes, view, q, end, remaining, fragOffset, more, proto);
      } else {
        break;
      }
      if (remaining < 0) return this.fail(Skip.malformed);
    }
    return this.transport(bytes, view, next, q, end, remaining);
  }

  private transport(bytes: Uint8Array, view: DataView, proto: number, p: number, end: number, len: number): DecodedPacket {
    if (proto === 6) return this.tcp(bytes, view, p, end, len);
    if (this.out.tunnelDepth >= MAX_TUNNEL_DEPTH) return this.fail(Skip.notTcp);
    switch (proto) {
      case 4: // IP in IP (RFC 2003)
        this.out.tunnelDepth++;
        return this.ipv4(bytes, view, p, end);
      case 41: // IPv6 in IP (RFC 4213)
        this.out.tunnelDepth++;
        return this.ipv6(bytes, view, p, end);
      case 47:
        return this.gre(bytes, view, p, end);
      case 17:
        return this.udp(bytes, view, p, end);
      default:
        return this.fail(Skip.notTcp);
    }
  }

  /** GRE (RFC 2784, RFC 2890 keys and sequence numbers). */
  private gre(bytes: Uint8Array, view: DataView, p: number, end: number): DecodedPacket {
    if (p + 4 > end) return this.fail(Skip.notTcp);
    const flags = view.getUint16(p);
    const version = flags & 7;
    const proto = view.getUint16(p + 2);
    let q = p + 4;
    if (version === 1) {
      // Enhanced GRE (PPTP, RFC 2637): key always present; sequence and ack optional.
      q += 4;
      if (flags & 0x1000) q += 4;
      if (flags & 0x0080) q += 4;
      if (proto !== 0x880b || q + 2 > end) return this.fail(Skip.notTcp);
      let r = q;
      if (bytes[r] === 0xff && bytes[r + 1] === 0x03) r += 2;
      if (r + 2 > end) return this.fail(Skip.notTcp);
      const pppProto = (bytes[r] ?? 0) & 1 ? bytes[r] ?? 0 : view.getUint16(r);
      const hdr = (bytes[r] ?? 0) & 1 ? 1 : 2;
      this.out.tunnelDepth++;
      if (pppProto === 0x21) return this.ipv4(bytes, view, r + hdr, end);
      if (pppProto === 0x57) return this.ipv6(bytes, view, r + hdr, end);
      return this.fail(Skip.notTcp);
    }
    if (flags & 0x8000) q += 4; // checksum + reserved
    if (flags & 0x2000) q += 4; // key
    if (flags & 0x1000) q += 4; // sequence
    this.out.tunnelDepth++;
    if (proto === 0x0800) return this.ipv4(bytes, view, q, end);
    if (proto === 0x86dd) return this.ipv6(bytes, view, q, end);
    if (proto === 0x6558) return this.ethernet(bytes, view, q, end);
    return this.fail(Skip.notTcp);
  }

  /** UDP tunnels tshark looks through by default: Teredo (RFC 4380) and VXLAN (RFC 7348). */
  private udp(bytes: Uint8Array, view: DataView, p: number, end: number): DecodedPacket {
    if (p + 8 > end) return this.fail(Skip.notTcp);
    const sport = view.getUint16(p);
    const dport = view.getUint16(p + 2);
    let q = p + 8;
    if (sport === DNS_PORT) {
      // Not TCP, but its answers name the hosts of TCP connections (src/core/app).
      this.out.dnsOffset = q;
      this.out.dnsEnd = Math.min(end, p + view.getUint16(p + 4));
      return this.fail(Skip.notTcp);
    }
    if (sport === TEREDO_PORT || dport === TEREDO_PORT) {
      // Optional authentication (type 0x0001) and origin indication (0x0000) headers.
      for (let i = 0; i < 2 && q + 2 <= end; i++) {
        const t = view.getUint16(q);
        if (t === 0x0001 && q + 4 <= end) q += 13 + (bytes[q + 2] ?? 0) + (bytes[q + 3] ?? 0);
        else if (t === 0x0000) q += 8;
        else break;
      }
      if (q < end && (bytes[q] ?? 0) >> 4 === 6) {
        this.out.tunnelDepth++;
        return this.ipv6(bytes, view, q, end);
      }
      return this.fail(Skip.notTcp);
    }
    if (dport === VXLAN_PORT && q + 8 <= end && ((bytes[q] ?? 0) & 0x08) !== 0) {
      this.out.tunnelDepth++;
      return this.ethernet(bytes, view, q + 8, end);
    }
    return this.fail(Skip.notTcp);
  }

  /**
   * A fragment: held until its datagram is complete (every byte from 0 to the end of the fragment
   * without More Fragments). The frame that completes a TCP datagram carries the segment, as in
   * Wireshark with IP reassembly on (its default).
   */
  private fragment(
    bytes: Uint8Array, view: DataView, p: number, end: number, len: number,
    offset: number, more: boolean, proto: number,
  ): DecodedPacket {
    const out = this.out;
    if (proto !== 6 || len < 0) return this.fail(proto === 6 ? Skip.malformed : Skip.notTcp);
    const key = `${out.ipVersion}:${out.src.join('.')}>${out.dst.join('.')}#${out.ipId}`;
    let r = this.fragments.get(key);
    if (!r) {
      r = { ranges: [], total: -1, head: new Uint8Array(HEAD_BYTES) };
      this.fragments.set(key, r);
      if (this.fragments.size > 4096) {
        // Bound the table: forget the oldest datagram.
        const oldest = this.fragments.keys().next().value;
        if (oldest !== undefined) this.fragments.delete(oldest);
      }
    }
    if (offset < HEAD_BYTES) {
      const n = Math.max(0, Math.min(HEAD_BYTES - offset, end - p, len));
      r.head.set(bytes.subarray(p, p + n), offset);
    }
    if (!more) r.total = offset + len;
    if (!addRange(r.ranges, offset, offset + len)) {
      this.fragments.delete(key);
      return this.fail(Skip.fragment);
    }
    if (r.total < 0 || r.ranges.length !== 2 || r.ranges[0] !== 0 || r.ranges[1]! < r.total) return this.fail(Skip.fragment);
    this.fragments.delete(key);
    // Decode the TCP header gathered from the fragments; the payload length is the datagram's.
    const head = r.head.subarray(0, Math.min(HEAD_BYTES, r.total));
    const headView = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const res = this.tcp(head, headView, 0, head.length, r.total);
    // The payload bytes are in other frames: nothing of it is available here.
    out.payloadCaptured = 0;
    out.reassembled = true;
    return res;
  }

  /** TCP header (RFC 9293 §3.1) and its options (§3.2, RFC 7323, RFC 2018). */
  private tcp(bytes: Uint8Array, view: DataView, p: number, end: number, len: number): DecodedPacket {
    const out = this.out;
    if (p + 20 > end) return this.fail(len >= 20 ? Skip.cutBySnaplen : Skip.malformed);
    out.srcPort = view.getUint16(p);
    out.dstPort = view.getUint16(p + 2);
    out.seq = view.getUint32(p + 4);
    out.ack = view.getUint32(p + 8);
    const offFlags = view.getUint16(p + 12);
    const hlen = (offFlags >> 12) * 4;
    out.flags = offFlags & 0x0fff;
    out.window = view.getUint16(p + 14);
    if (hlen < 20) return this.fail(Skip.malformed);
    out.tcpHeaderLength = hlen;
    out.payloadLength = Math.max(0, len - hlen);
    out.payloadOffset = p + hlen;
    out.payloadCaptured = Math.max(0, Math.min(end - (p + hlen), out.payloadLength));
    const optEnd = Math.min(p + hlen, end);
    let q = p + 20;
    while (q < optEnd) {
      const kind = bytes[q] ?? 0;
      if (kind === 0) break;
      if (kind === 1) {
        q++;
        continue;
      }
      if (q + 1 >= optEnd) break;
      const olen = bytes[q + 1] ?? 0;
      if (olen < 2 || q + olen > optEnd) break;
      if (kind === 2 && olen === 4) out.mss = view.getUint16(q + 2);
      else if (kind === 3 && olen === 3) out.windowScale = Math.min(14, bytes[q + 2] ?? 0);
      else if (kind === 4) out.sackPermitted = true;
      else if (kind === 8) out.hasTimestamps = true;
      q += olen;
    }
    return out;
  }
}

/**
 * Add [start, end) to sorted, merged ranges; false when the ranges would exceed `MAX_RANGES` pairs.
 */
export function addRange(ranges: number[], start: number, end: number): boolean {
  if (end <= start) return true;
  let i = 0;
  while (i < ranges.length && ranges[i + 1]! < start) i += 2;
  let j = i;
  while (j < ranges.length && ranges[j]! <= end) {
    start = Math.min(start, ranges[j]!);
    end = Math.max(end, ranges[j + 1]!);
    j += 2;
  }
  ranges.splice(i, j - i, start, end);
  return ranges.length <= 2 * MAX_RANGES;
}

/** Dotted quad or RFC 5952 text for an address held in 32-bit words. */
export function formatAddress(version: 4 | 6, words: ArrayLike<number>): string {
  if (version === 4) {
    const a = words[0] ?? 0;
    return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 4; i++) {
    const w = words[i] ?? 0;
    groups.push(w >>> 16, w & 0xffff);
  }
  // RFC 5952 §4.2: compress the longest run (first if tied) of two or more zero groups.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const v4 = words[3] ?? 0;
    return `::ffff:${v4 >>> 24}.${(v4 >>> 16) & 255}.${(v4 >>> 8) & 255}.${v4 & 255}`;
  }
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
