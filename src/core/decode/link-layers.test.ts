import { describe, expect, it } from 'vitest';
import { LinkType } from '../capture/link-types.ts';
import { addRange, PacketDecoder, Skip } from './packet.ts';

/** Bytes from annotated hex: everything after `#` on a line is a comment. */
function hex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function decode(bytes: Uint8Array, linkType: number, decoder = new PacketDecoder()) {
  return decoder.decode(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length, linkType);
}

const ETH = `
  00 50 8b 93 93 7c  08 00 20 b2 5d 7b   # destination, source
`;
/** IPv4 header 10.0.0.1 -> 10.0.0.2, protocol TCP, total length 40 (a bare TCP header). */
const IPV4_40 = `
  45 00 00 28  12 34 40 00  40 06 00 00   # v4, IHL 5, total 40, ID 0x1234, DF, TTL 64, TCP
  0a 00 00 01  0a 00 00 02                # 10.0.0.1 -> 10.0.0.2
`;
/** TCP 1234 -> 80, seq 1000, ack 0, SYN, window 8192, no options. */
const TCP_SYN = `
  04 d2 00 50  00 00 03 e8  00 00 00 00   # ports 1234 -> 80, seq 1000, ack 0
  50 02 20 00  00 00 00 00                # offset 5, SYN, window 8192, checksum, urgent
`;

function expectSyn(p: ReturnType<typeof decode>) {
  expect(p.skip).toBe(Skip.none);
  expect([p.src[0], p.dst[0], p.srcPort, p.dstPort, p.seq, p.flags]).toEqual([0x0a000001, 0x0a000002, 1234, 80, 1000, 2]);
}

describe('MPLS (RFC 3032)', () => {
  it('decodes the IP packet under a two-label stack', () => {
    const p = decode(hex(`${ETH} 88 47            # MPLS unicast
      00 01 20 fe                             # label 18, TC 0, S 0, TTL 254
      00 02 11 fe                             # label 33, S 1 (bottom of stack)
      ${IPV4_40} ${TCP_SYN}`), LinkType.ETHERNET);
    expectSyn(p);
  });
  it('counts a payload that is not IP (a pseudowire control word) instead of guessing', () => {
    const p = decode(hex(`${ETH} 88 47 00 01 21 fe  00 00 00 00  ${ETH} 08 00 ${IPV4_40} ${TCP_SYN}`), LinkType.ETHERNET);
    expect(p.skip).toBe(Skip.mplsNotIp);
  });
  it('calls a stack without a bottom entry within the frame malformed', () => {
    expect(decode(hex(`${ETH} 88 47 00 01 20 fe 00 01 20 fe`), LinkType.ETHERNET).skip).toBe(Skip.malformed);
  });
});

describe('bytes past the IP datagram', () => {
  it('are Ethernet padding, not a TCP header', () => {
    // Total length 35: 20 bytes of IP and 15 of TCP; the frame goes on with padding to 60 bytes.
    const p = decode(hex(`${ETH} 08 00
      45 00 00 23  c4 d9 40 00  40 06 00 00  ac 14 03 0d  ac 14 03 05   # total length 35
      cf 90 00 50  ca e4 2e a8  e5 53 a0 7a  50 10 83                   # 15 bytes of TCP
      00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00   # padding`), LinkType.ETHERNET);
    expect(p.skip).toBe(Skip.malformed);
  });
  it('are not payload', () => {
    const p = decode(hex(`${ETH} 08 00 ${IPV4_40} ${TCP_SYN} 00 00 00 00 00 00`), LinkType.ETHERNET);
    expectSyn(p);
    expect([p.payloadLength, p.payloadCaptured]).toEqual([0, 0]);
  });
});

describe('IPv4 fragments', () => {
  const frag = (offsetUnits: number, more: boolean, payload: string) => {
    const data = hex(payload);
    const head = hex(`${ETH} 08 00 45 00 00 00  77 77 00 00  40 06 00 00  0a 00 00 01  0a 00 00 02`);
    const out = new Uint8Array(head.length + data.length);
    out.set(head);
    out.set(data, head.length);
    const view = new DataView(out.buffer);
    view.setUint16(16, 20 + data.length); // total length
    view.setUint16(20, (more ? 0x2000 : 0) | offsetUnits); // flags and fragment offset
    return out;
  };
  const SYN_WITH_OPTIONS = `
    04 d2 00 50  00 00 03 e8  00 00 00 00  70 02 20 00  00 00 00 00   # offset 7: 8 bytes of options
    01 03 03 07  04 02 00 00                                           # NOP, window scale 7, SACK permitted
`;
  it('reassemble a TCP header split across fragments, options included', () => {
    const bytes = hex(SYN_WITH_OPTIONS);
    const d = new PacketDecoder();
    expect(decode(frag(0, true, Buffer.from(bytes.subarray(0, 16)).toString('hex')), LinkType.ETHERNET, d).skip).toBe(Skip.fragment);
    const p = decode(frag(2, false, Buffer.from(bytes.subarray(16)).toString('hex')), LinkType.ETHERNET, d);
    expectSyn(p);
    expect(p.windowScale).toBe(7);
    expect(p.sackPermitted).toBe(true);
    expect(p.payloadLength).toBe(0);
  });
  it('count a repeated fragment once: the datagram completes only when every byte came', () => {
    const bytes = hex(SYN_WITH_OPTIONS);
    const piece = (i: number) => Buffer.from(bytes.subarray(8 * i, 8 * i + 8)).toString('hex');
    const d = new PacketDecoder();
    // The last piece, then the first one twice: 24 bytes arrived, but bytes 8..16 did not.
    expect(decode(frag(2, false, piece(2)), LinkType.ETHERNET, d).skip).toBe(Skip.fragment);
    expect(decode(frag(0, true, piece(0)), LinkType.ETHERNET, d).skip).toBe(Skip.fragment);
    expect(decode(frag(0, true, piece(0)), LinkType.ETHERNET, d).skip).toBe(Skip.fragment);
    expectSyn(decode(frag(1, true, piece(1)), LinkType.ETHERNET, d));
  });
  it('keep byte ranges merged and bounded', () => {
    const r: number[] = [];
    addRange(r, 16, 24);
    addRange(r, 0, 8);
    expect(r).toEqual([0, 8, 16, 24]);
    addRange(r, 8, 16);
    expect(r).toEqual([0, 24]);
    addRange(r, 4, 30);
    expect(r).toEqual([0, 30]);
    const many: number[] = [];
    let ok = true;
    for (let i = 0; i < 100 && ok; i++) ok = addRange(many, i * 16, i * 16 + 8);
    expect(ok).toBe(false);
  });
});

describe('link types', () => {
  it('Cisco HDLC: address, control, EtherType', () => {
    expectSyn(decode(hex(`0f 00 08 00 ${IPV4_40} ${TCP_SYN}`), LinkType.CISCO_HDLC));
  });
  it('IP over InfiniBand: 40 bytes of addresses, EtherType, reserved', () => {
    expectSyn(decode(hex(`${'00'.repeat(40)} 08 00 00 00 ${IPV4_40} ${TCP_SYN}`), LinkType.IPOIB));
  });
  it('Linux ARCNET: RFC 1201 header (protocol 0xd4, split flag, sequence), exception packets, split pieces', () => {
    expectSyn(decode(hex(`be 50 c0 00  d4 00 01 6b  ${IPV4_40} ${TCP_SYN}`), LinkType.ARCNET_LINUX));
    expectSyn(decode(hex(`be 50 c0 00  d4 ff ff ff  d4 00 01 6b  ${IPV4_40} ${TCP_SYN}`), LinkType.ARCNET_LINUX));
    expect(decode(hex(`be 50 c0 00  d4 03 01 6b  ${IPV4_40} ${TCP_SYN}`), LinkType.ARCNET_LINUX).skip).toBe(Skip.fragment);
    expect(decode(hex(`be 50 c0 00  d5 00 01 6b`), LinkType.ARCNET_LINUX).skip).toBe(Skip.notIp);
  });
  it('NFLOG: TLVs in either byte order up to the payload TLV (type 9)', () => {
    const le = hex(`02 00 00 28                # AF_INET, version 0, resource 40
      08 00 01 00  00 00 03 16                 # packet header TLV
      05 00 0a 00  00 00 00 00                 # prefix TLV, 1 byte + 3 of padding
      3c 00 09 00  ${IPV4_40} ${TCP_SYN}       # payload TLV, 4 + 40 bytes`);
    expectSyn(decode(le, LinkType.NFLOG));
    const be = hex(`02 00 00 28  00 08 00 01  00 00 03 16  00 2c 00 09  ${IPV4_40} ${TCP_SYN}`);
    expectSyn(decode(be, LinkType.NFLOG));
    expect(decode(hex(`02 00 00 28  00 00 09 00`), LinkType.NFLOG).skip).toBe(Skip.malformed);
  });
});
