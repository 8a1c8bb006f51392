import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkType } from '../capture/link-types.ts';
import { formatAddress, PacketDecoder, type DecodedPacket } from './packet.ts';

const v6 = (...groups: number[]) => {
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  return formatAddress(6, words);
};

describe('addresses as text (RFC 5952)', () => {
  it('writes IPv4 as a dotted quad', () => {
    expect(formatAddress(4, [0xc0a80001])).toBe('192.168.0.1');
  });
  it('compresses the longest run of zero groups, the first when tied, never a single group', () => {
    expect(v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)).toBe('2001:db8::1');
    expect(v6(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1)).toBe('2001:db8:0:1::1');
    expect(v6(0x2001, 0, 0, 1, 0, 0, 1, 1)).toBe('2001::1:0:0:1:1');
    expect(v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1)).toBe('2001:db8:0:1:1:1:1:1');
    expect(v6(0, 0, 0, 0, 0, 0, 0, 1)).toBe('::1');
    expect(v6(0, 0, 0, 0, 0, 0, 0, 0)).toBe('::');
    expect(v6(0xfe80, 0, 0, 0, 0x2e0, 0x81ff, 0xfe52, 0x9a6b)).toBe('fe80::2e0:81ff:fe52:9a6b');
  });
  it('keeps the dotted quad of IPv4-mapped addresses', () => {
    expect(v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201)).toBe('::ffff:192.0.2.1');
  });
});

describe('the Ethernet/IPv4/TCP fast path', () => {
  /** Every field of a decoded packet, as plain values. */
  const fields = (p: DecodedPacket): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) o[k] = ArrayBuffer.isView(v) ? Array.from(v as Uint32Array) : v;
    return o;
  };

  it('decodes every frame as the general IPv4 path does (options, padding, fragments, cuts, bad lengths)', () => {
    const frame = fc.record({
      ihlWords: fc.integer({ min: 0, max: 15 }),
      total: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 140 })),
      frag: fc.constantFrom(0, 0x4000, 0x2000, 0x0001, 0x4010),
      proto: fc.constantFrom(6, 6, 6, 17, 1),
      tcpWords: fc.integer({ min: 0, max: 15 }),
      body: fc.uint8Array({ minLength: 0, maxLength: 120 }),
      cut: fc.integer({ min: 0, max: 60 }),
    });
    fc.assert(
      fc.property(frame, ({ ihlWords, total, frag, proto, tcpWords, body, cut }) => {
        const bytes = new Uint8Array(14 + 60 + 60 + body.length);
        const view = new DataView(bytes.buffer);
        view.setUint16(12, 0x0800);
        const ip = 14;
        bytes[ip] = 0x40 | ihlWords;
        view.setUint16(ip + 2, total);
        view.setUint16(ip + 4, 0x1234);
        view.setUint16(ip + 6, frag);
        bytes[ip + 8] = 64;
        bytes[ip + 9] = proto;
        view.setUint32(ip + 12, 0x0a000001);
        view.setUint32(ip + 16, 0x0a000002);
        const tcp = ip + Math.max(20, ihlWords * 4);
        view.setUint16(tcp, 40000);
        view.setUint16(tcp + 2, 443);
        view.setUint32(tcp + 4, 0xfffffff0);
        view.setUint32(tcp + 8, 7);
        view.setUint16(tcp + 12, (tcpWords << 12) | 0x018);
        view.setUint16(tcp + 14, 512);
        // Options: MSS, window scale, SACK permitted, timestamps, then whatever the body holds.
        bytes.set([2, 4, 5, 0xb4, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2], tcp + 20);
        bytes.set(body, tcp + 40);
        const caplen = Math.max(0, bytes.length - cut);
        const fast = new PacketDecoder();
        const general = new PacketDecoder();
        fast.decode(bytes, view, 0, caplen, LinkType.ETHERNET);
        // Raw IP starts at the IP header: the general path, on the same bytes and offsets.
        general.decode(bytes, view, ip, caplen - ip, LinkType.RAW);
        expect(fields(fast.out)).toEqual(fields(general.out));
      }),
      { numRuns: 2000 },
    );
  });
});
