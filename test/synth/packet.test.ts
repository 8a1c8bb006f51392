import { describe, expect, it } from 'vitest';
import { formatIp, parseEndpoint, parseIp } from './address.ts';
import { internetChecksum, pseudoHeaderSum, sumWords, finishChecksum } from './checksum.ts';
import { fromHex, toHex } from './hex.ts';
import { buildTcpFrame, buildTcpPacket, encodeTcpOptions, TcpFrameTemplate } from './packet.ts';

// Expected checksums were computed independently (Python struct + RFC 1071 fold) and checked by
// tshark with checksum validation on (see tshark.test.ts).

describe('buildTcpPacket', () => {
  it('builds an Ethernet + IPv4 SYN with MSS, SACK-permitted, timestamps and window scale', () => {
    const frame = buildTcpPacket({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      srcPort: 40000,
      dstPort: 80,
      seq: 1000,
      flags: 0x002,
      window: 64240,
      options: { mss: 1460, sackPermitted: true, timestamps: { value: 0x01020304, echo: 0 }, windowScale: 7 },
      ttl: 64,
      ipId: 0x1234,
    });
    expect(toHex(frame)).toBe(
      toHex(
        fromHex(`
          02 00 0a 00 00 02  02 00 0a 00 00 01  08 00   # Ethernet: dst, src (02:00 + IP), IPv4
          45 00 00 3c  12 34 40 00  40 06 14 86        # IPv4: IHL 5, length 60, id 0x1234, DF, TTL 64, TCP, checksum
          0a 00 00 01  0a 00 00 02                     # 10.0.0.1 -> 10.0.0.2
          9c 40 00 50  00 00 03 e8  00 00 00 00        # ports 40000 -> 80, seq 1000, ack 0
          a0 02 fa f0  94 8e 00 00                     # data offset 10 words, SYN, window 64240, checksum, urgent
          02 04 05 b4                                  # MSS 1460
          04 02 08 0a 01 02 03 04 00 00 00 00          # SACK permitted, TSval 0x01020304, TSecr 0
          01 03 03 07                                  # NOP, window scale 7
        `),
      ),
    );
  });

  it('builds an 802.1Q-tagged IPv6 RST+ACK with data', () => {
    const frame = buildTcpPacket({
      src: '2001:db8::1',
      dst: '2001:db8::2',
      srcPort: 443,
      dstPort: 50000,
      seq: 0xfffffff0,
      ack: 0x10,
      flags: 0x014,
      window: 0,
      payload: 'bye',
      ttl: 55,
      flowLabel: 0x12345,
      vlan: 100,
      vlanPriority: 5,
      srcMac: 'aa:bb:cc:dd:ee:01',
      dstMac: 'aa:bb:cc:dd:ee:02',
    });
    expect(toHex(frame)).toBe(
      toHex(
        fromHex(`
          aa bb cc dd ee 02  aa bb cc dd ee 01         # Ethernet dst, src
          81 00  a0 64  86 dd                          # 802.1Q: priority 5, VLAN 100; IPv6
          60 01 23 45  00 17 06 37                     # IPv6: flow label 0x12345, payload 23, TCP, hop limit 55
          20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
          20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
          01 bb c3 50  ff ff ff f0  00 00 00 10        # 443 -> 50000, seq, ack
          50 14 00 00  c7 d2 00 00                     # data offset 5, RST+ACK, window 0, checksum
          62 79 65                                     # "bye"
        `),
      ),
    );
  });

  it('builds raw IP frames without a link layer, and no DF when asked', () => {
    const { bytes, layout } = buildTcpFrame({
      src: '192.168.1.1',
      dst: '192.168.1.2',
      srcPort: 1,
      dstPort: 2,
      seq: 0,
      flags: 0x010,
      link: 'raw',
      dontFragment: false,
    });
    expect(bytes[0]).toBe(0x45);
    expect(bytes.length).toBe(40);
    expect(layout).toMatchObject({ ipOffset: 0, tcpOffset: 20, payloadOffset: 40, ipVersion: 4 });
    expect(bytes[6]).toBe(0);
    expect(internetChecksum(bytes, 0, 20)).toBe(0);
  });

  it('writes all 12 flag bits and overrides checksums on request', () => {
    const frame = buildTcpPacket({
      src: '1.2.3.4',
      dst: '5.6.7.8',
      srcPort: 1,
      dstPort: 2,
      seq: 0,
      flags: 0xfff,
      link: 'raw',
      tcpChecksum: 0xdead,
      ipChecksum: 0xbeef,
    });
    expect(toHex(frame.subarray(32, 34))).toBe('5f ff');
    expect(toHex(frame.subarray(36, 38))).toBe('de ad');
    expect(toHex(frame.subarray(10, 12))).toBe('be ef');
  });

  it('verifies to zero: IPv4 header and TCP segment with pseudo-header', () => {
    for (const [src, dst] of [
      ['10.1.2.3', '172.16.0.9'],
      ['fe80::1', '2001:db8:0:1::ff'],
    ] as const) {
      for (const payload of ['', 'x', 'odd length!', 'even length!']) {
        const { bytes, layout } = buildTcpFrame({
          src,
          dst,
          srcPort: 1234,
          dstPort: 80,
          seq: 0x89abcdef,
          ack: 0x01234567,
          flags: 0x018,
          payload,
          options: { timestamps: { value: 7, echo: 9 }, sack: [[1, 2]] },
        });
        const t = layout.tcpOffset;
        const ip = layout.ipOffset;
        const a = bytes.subarray(ip + (layout.ipVersion === 4 ? 12 : 8), t - (layout.ipVersion === 4 ? 4 : 16));
        const b = bytes.subarray(t - (layout.ipVersion === 4 ? 4 : 16), t);
        const sum = sumWords(bytes, t, bytes.length, pseudoHeaderSum(a, b, bytes.length - t));
        expect(finishChecksum(sum)).toBe(0);
        if (layout.ipVersion === 4) expect(internetChecksum(bytes, ip, ip + 20)).toBe(0);
      }
    }
  });
});

describe('encodeTcpOptions', () => {
  it('lays out options as Linux does and pads to 4 bytes', () => {
    expect(toHex(encodeTcpOptions({ mss: 1460, sackPermitted: true, windowScale: 7 }))).toBe(
      '02 04 05 b4 01 01 04 02 01 03 03 07',
    );
    expect(toHex(encodeTcpOptions({ timestamps: { value: 1, echo: 2 } }))).toBe(
      '01 01 08 0a 00 00 00 01 00 00 00 02',
    );
    expect(toHex(encodeTcpOptions({ sack: [[0x10, 0x20]] }))).toBe('01 01 05 0a 00 00 00 10 00 00 00 20');
    expect(toHex(encodeTcpOptions({ raw: Uint8Array.of(0xfe) }))).toBe('fe 00 00 00');
    expect(() => encodeTcpOptions({ sack: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]] })).toThrow(/more than 40/);
  });
});

describe('TcpFrameTemplate', () => {
  it('stamps copies identical to frames built from scratch', () => {
    for (const src of ['10.0.0.1', '2001:db8::7']) {
      const dst = src.includes(':') ? '2001:db8::8' : '10.0.0.2';
      const base = {
        src,
        dst,
        srcPort: 5555,
        dstPort: 443,
        flags: 0x018,
        payload: new Uint8Array(1001).map((_, i) => i * 7),
        options: { timestamps: { value: 0, echo: 0 } },
      };
      const tpl = new TcpFrameTemplate({ ...base, seq: 0 });
      const out = new Uint8Array(tpl.length + 10);
      for (const [seq, ack, id, tv, te] of [
        [0, 0, 0, 0, 0],
        [0xffffffff, 0xfffffffe, 0xffff, 0xffffffff, 1],
        [123456789, 987654321, 4321, 55555, 66666],
      ] as const) {
        const n = tpl.writeTo(out, 7, seq, ack, id, tv, te);
        const expected = buildTcpPacket({
          ...base,
          seq,
          ack,
          ipId: id,
          options: { timestamps: { value: tv, echo: te } },
        });
        expect(n).toBe(expected.length);
        expect(toHex(out.subarray(7, 7 + n))).toBe(toHex(expected));
      }
    }
  });
});

describe('addresses', () => {
  it('parses and formats IPv4, IPv6 and endpoints', () => {
    expect(formatIp(parseIp('2001:db8::1'))).toBe('2001:db8::1');
    expect(formatIp(parseIp('::'))).toBe('::');
    expect(formatIp(parseIp('::ffff:10.0.0.1'))).toBe('::ffff:10.0.0.1');
    expect(formatIp(parseIp('1:0:0:2:0:0:0:3'))).toBe('1:0:0:2::3');
    expect(formatIp(parseIp('10.20.30.40'))).toBe('10.20.30.40');
    expect(parseEndpoint('[fe80::1]:443').port).toBe(443);
    expect(() => parseIp('1.2.3')).toThrow();
    expect(() => parseIp('1::2::3')).toThrow();
    expect(() => parseEndpoint('10.0.0.1')).toThrow();
  });
});
