import { describe, expect, it } from 'vitest';
import { concatChunks, splitNanos } from './bytes.ts';
import { fromHex, toHex } from '../../../test/synth/hex.ts';
import { PcapStreamWriter, writePcap } from './pcap-writer.ts';
import { PcapngStreamWriter, writePcapng } from './pcapng-writer.ts';

const T = 1_700_000_000_123_456_789n; // 2023-11-14T22:13:20.123456789Z
const DATA = Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x01);

const hex = (text: string): string => toHex(fromHex(text));

describe('writePcap', () => {
  it('writes a little-endian microsecond file', () => {
    const file = writePcap([{ timestampNs: T, data: DATA }], { linkType: 101, snaplen: 65535 });
    expect(toHex(file)).toBe(
      hex(`
        d4 c3 b2 a1  02 00 04 00      # magic (µs, little endian), version 2.4
        00 00 00 00  00 00 00 00      # thiszone, sigfigs
        ff ff 00 00  65 00 00 00      # snaplen 65535, LINKTYPE_RAW (101)
        00 f1 53 65  40 e2 01 00      # 1700000000 s, 123456 µs (ns truncated)
        05 00 00 00  05 00 00 00      # caplen 5, origlen 5
        de ad be ef 01
      `),
    );
  });

  it('writes a big-endian nanosecond file and cuts records to the snaplen', () => {
    const file = writePcap([{ timestampNs: T, data: DATA, originalLength: 1500 }], {
      nanosecond: true,
      bigEndian: true,
      snaplen: 3,
    });
    expect(toHex(file)).toBe(
      hex(`
        a1 b2 3c 4d  00 02 00 04      # magic (ns, big endian), version 2.4
        00 00 00 00  00 00 00 00
        00 00 00 03  00 00 00 01      # snaplen 3, Ethernet
        65 53 f1 00  07 5b cd 15      # 1700000000 s, 123456789 ns
        00 00 00 03  00 00 05 dc      # caplen 3 (cut), origlen 1500
        de ad be
      `),
    );
  });

  it('keeps records whole past the snaplen when truncation is off', () => {
    const file = writePcap([{ timestampNs: T, data: DATA }], { snaplen: 3, truncate: false });
    expect(file.length).toBe(24 + 16 + 5);
  });
});

describe('writePcapng', () => {
  it('writes SHB, IDB (if_name, if_tsresol) and EPB, little endian', () => {
    const file = writePcapng([{ timestampNs: T, data: DATA }], { interfaces: [{ name: 'eth0', tsresol: 9 }] });
    expect(toHex(file)).toBe(
      hex(`
        0a 0d 0d 0a  1c 00 00 00      # SHB, 28 bytes
        4d 3c 2b 1a  01 00 00 00      # byte-order magic, version 1.0
        ff ff ff ff  ff ff ff ff      # section length unknown (-1)
        1c 00 00 00
        01 00 00 00  28 00 00 00      # IDB, 40 bytes
        01 00 00 00  00 00 04 00      # Ethernet, reserved, snaplen 262144
        02 00 04 00  65 74 68 30      # if_name "eth0"
        09 00 01 00  09 00 00 00      # if_tsresol 9 (ns), padded
        00 00 00 00                   # opt_endofopt
        28 00 00 00
        06 00 00 00  28 00 00 00      # EPB, 40 bytes
        00 00 00 00                   # interface 0
        fe 9c 97 17  15 cd 85 3d      # timestamp high, low: 1700000000123456789 ns
        05 00 00 00  05 00 00 00      # caplen 5, origlen 5
        de ad be ef  01 00 00 00      # data, padded to 4
        28 00 00 00
      `),
    );
  });

  it('writes big endian sections, SPB, OPB, comments, epb_flags, tsoffset and 2^-n resolution', () => {
    const w = new PcapngStreamWriter();
    w.section({ bigEndian: true });
    w.addInterface({ tsresol: 0x80 | 20, tsoffset: 1000n, snaplen: 4 });
    w.packet({ timestampNs: T, data: DATA, comment: 'hi', epbFlags: 1 });
    w.simplePacket(DATA);
    w.obsoletePacket({ timestampNs: T, data: DATA.subarray(0, 2) }, 7);
    const file = concatChunks(w.end());
    expect(toHex(file)).toBe(
      hex(`
        0a 0d 0d 0a  00 00 00 1c  1a 2b 3c 4d  00 01 00 00  ff ff ff ff ff ff ff ff  00 00 00 1c
        00 00 00 01  00 00 00 2c      # IDB, 44 bytes
        00 01 00 00  00 00 00 04      # Ethernet, snaplen 4
        00 09 00 01  94 00 00 00      # if_tsresol 0x94: 2^-20 s
        00 0e 00 08  00 00 00 00 00 00 03 e8   # if_tsoffset 1000 s
        00 00 00 00
        00 00 00 2c
        00 00 00 06  00 00 00 38      # EPB, 56 bytes
        00 00 00 00
        00 06 55 3e  d1 81 f9 ad      # (T - 1000 s) in 2^-20 s units
        00 00 00 04  00 00 00 05      # caplen 4 (snaplen), origlen 5
        de ad be ef
        00 02 00 04  00 00 00 01      # epb_flags: inbound
        00 01 00 02  68 69 00 00      # opt_comment "hi"
        00 00 00 00
        00 00 00 38
        00 00 00 03  00 00 00 14      # SPB, 20 bytes
        00 00 00 05  de ad be ef      # origlen 5, data cut to 4
        00 00 00 14
        00 00 00 02  00 00 00 24      # obsolete Packet Block, 36 bytes
        00 00 00 07                   # interface 0, drops 7
        00 06 55 3e  d1 81 f9 ad
        00 00 00 02  00 00 00 02  de ad 00 00
        00 00 00 24
      `),
    );
  });

  it('starts interface numbering again in each section', () => {
    const w = new PcapngStreamWriter();
    w.section();
    expect(w.addInterface()).toBe(0);
    expect(w.addInterface()).toBe(1);
    w.section();
    expect(w.addInterface()).toBe(0);
    expect(() => w.packet({ timestampNs: T, data: DATA, interfaceId: 1 })).toThrow(/interface 1/);
  });
});

describe('streaming', () => {
  it('hands out chunks of the requested size that concatenate to the whole-file output', () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({
      timestampNs: T + BigInt(i) * 1000n,
      data: new Uint8Array(60 + (i % 50)).fill(i & 0xff),
    }));
    const whole = writePcap(records, { nanosecond: true });
    const seen: Uint8Array[] = [];
    const w = new PcapStreamWriter({ nanosecond: true }, { chunkSize: 4096, onChunk: (c) => seen.push(c) });
    for (const r of records) w.push(r);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((c) => c.length <= 4096)).toBe(true);
    seen.push(...w.end());
    expect(toHex(concatChunks(seen))).toBe(toHex(whole));

    const wholeNg = writePcapng(records);
    const pull = new PcapngStreamWriter({ chunkSize: 1000 });
    pull.section();
    pull.addInterface({ tsresol: 9 });
    const taken: Uint8Array[] = [];
    for (const r of records) {
      pull.packet(r);
      taken.push(...pull.take());
    }
    taken.push(...pull.end());
    expect(toHex(concatChunks(taken))).toBe(toHex(wholeNg));
  });

  it('fast paths match the record paths', () => {
    const a = new PcapngStreamWriter();
    a.section();
    a.addInterface({ tsresol: 9 });
    const b = new PcapngStreamWriter();
    b.section();
    b.addInterface({ tsresol: 9 });
    const p = new PcapStreamWriter({ nanosecond: true });
    const q = new PcapStreamWriter({ nanosecond: true });
    for (const [sec, nsec] of [
      [0, 0],
      [1_700_000_000, 999_999_999],
      [0xffffffff, 123],
    ] as const) {
      const ts = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      a.packet({ timestampNs: ts, data: DATA });
      b.out.buf.set(DATA, b.reserveNs(0, sec, nsec, DATA.length));
      p.push({ timestampNs: ts, data: DATA });
      q.out.buf.set(DATA, q.reserve(sec, nsec, DATA.length));
    }
    expect(toHex(concatChunks(b.end()))).toBe(toHex(concatChunks(a.end())));
    expect(toHex(concatChunks(q.end()))).toBe(toHex(concatChunks(p.end())));
  });

  it('splits nanosecond times into 32-bit halves exactly', () => {
    for (const [sec, nsec] of [
      [0, 0],
      [1, 0],
      [4, 294_967_295],
      [4, 294_967_296],
      [1_700_000_000, 123_456_789],
      [0xffffffff, 999_999_999],
    ] as const) {
      const t = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      expect(splitNanos(sec, nsec)).toEqual([Number(t >> 32n), Number(t & 0xffffffffn)]);
    }
  });
});
