import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../src/core/model/types.ts';
import { buildTcpPacket } from '../synth/index.ts';
import { block, cat, epb, idb, options, pcapHeader, pcapRecord, shb } from './bytes.ts';
import { analyzeSafely, describeOutcome } from './harness.ts';
import { checkResult } from './invariants.ts';

/**
 * Absurd values in otherwise sound files: each is bounded, reported with its code, frame and
 * offset, and costs no more than the frame or block it is in. Offsets in the comments are file
 * offsets: SHB 0..27, IDB 28..47 (without options), then the packets.
 */
const SYN = buildTcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 40000, dstPort: 80, seq: 100, flags: TcpFlag.SYN });
const RST = buildTcpPacket({ src: '10.0.0.2', dst: '10.0.0.1', srcPort: 80, dstPort: 40000, seq: 0, ack: 101, flags: TcpFlag.RST | TcpFlag.ACK });
/** Ethernet + IPv4 + TCP: 54 bytes, so an EPB holding it is 28 + 56 + 4 = 88 bytes. */
const EPB_LEN = 88;

async function read(bytes: Uint8Array) {
  const o = await analyzeSafely('absurd', bytes);
  if (o.kind !== 'result') throw new Error(describeOutcome(o));
  expect(checkResult(o.result, { classifierActive: false })).toEqual([]);
  return { ...o.result.report, connections: o.result.connections.all() };
}

const u8 = (...b: number[]): Uint8Array => Uint8Array.from(b);
const i64 = (v: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v, true);
  return b;
};

describe('absurd values in pcapng files', () => {
  it('a packet naming an interface the section does not have keeps its number, undecoded', async () => {
    const r = await read(cat(shb(), idb(), epb(SYN), epb(RST, { ifId: 7 }), epb(RST)));
    expect(r.packets).toBe(3);
    expect(r.tcpPackets).toBe(2);
    expect(r.warnings).toEqual([
      { frame: 2, offset: 28 + 20 + EPB_LEN, code: 'bad-interface', message: 'frame 2 names interface 7, which this section does not define; frame not decoded' },
    ]);
  });

  for (const tsresol of [0x7f, 0x13, 0xbe, 0xff]) {
    it(`if_tsresol 0x${tsresol.toString(16)} is reported and microseconds are used`, async () => {
      const r = await read(cat(shb(), idb(1, options([9, u8(tsresol)])), epb(SYN), epb(RST, { ts: 1_700_000_000_000_001n })));
      expect(r.packets).toBe(2);
      expect(r.interfaces[0]?.tsUnitsPerSecond).toBe(1e6);
      expect(r.warnings.map((w) => [w.code, w.offset, w.message])).toEqual([
        ['bad-interface', 28 + 16 + 4, `interface 0: if_tsresol 0x${tsresol.toString(16)} makes no sense; using microseconds`],
      ]);
      expect(r.duration).toBeCloseTo(1e-6, 12);
    });
  }

  for (const offset of [0x7fffffffffffffffn, -0x8000000000000000n]) {
    it(`an if_tsoffset of ${offset} s gives finite times`, async () => {
      const r = await read(cat(shb(), idb(1, options([14, i64(offset)])), epb(SYN), epb(RST)));
      expect(r.packets).toBe(2);
      expect(r.firstTime).toMatch(/^-?\d+\.\d{9}$/);
      expect(Number.isFinite(r.duration)).toBe(true);
    });
  }

  it('a captured length past its block is cut to the block', async () => {
    const r = await read(cat(shb(), idb(), epb(SYN, { caplen: 0xffffffff }), epb(RST)));
    expect(r.packets).toBe(2);
    expect(r.tcpPackets).toBe(2);
    expect(r.warnings.map((w) => [w.code, w.frame, w.message])).toEqual([
      ['bad-block', 1, 'frame 1: captured length 4294967295 exceeds its block; cut to 56'],
    ]);
  });

  for (const [what, len] of [
    ['2 GB', 0x80000000],
    ['4 GB - 4', 0xfffffffc],
    ['16 MiB + 4', 0x01000004],
    ['0', 0],
    ['not a multiple of 4', 90],
  ] as const) {
    it(`a block claiming ${what} is reported, and reading resumes at the next block`, async () => {
      const bytes = cat(shb(), idb(), epb(SYN), epb(RST, { len, trailer: EPB_LEN }), epb(RST));
      const r = await read(bytes);
      const at = 28 + 20 + EPB_LEN;
      expect(r.packets).toBe(2);
      expect(r.warnings.map((w) => [w.code, w.offset, w.message])).toEqual([
        ['bad-block', at, `block at offset ${at} (type 0x6) has an invalid length ${len}; looking for the next valid block`],
        ['resync', at + EPB_LEN, `resumed at the block at offset ${at + EPB_LEN}`],
      ]);
    });
  }

  it('a block claiming 16 MiB in a tiny file is a cut file, read without waiting for 16 MiB', async () => {
    const r = await read(cat(shb(), idb(), epb(SYN), epb(RST, { len: 0x01000000 })));
    expect(r.packets).toBe(1);
    expect(r.warnings.map((w) => [w.code, w.frame, w.message])).toEqual([
      ['truncated', 2, `file ends inside an Enhanced Packet Block at offset ${48 + EPB_LEN} (${EPB_LEN} of 16777216 bytes): frame 2 is not used`],
    ]);
  });

  it('an interface option running past its block is reported and the rest ignored', async () => {
    const opt = options([2, new TextEncoder().encode('eth0')]);
    new DataView(opt.buffer).setUint16(2, 0xfff0, true);
    const r = await read(cat(shb(), idb(1, opt), epb(SYN)));
    expect(r.packets).toBe(1);
    expect(r.interfaces[0]?.name).toBeUndefined();
    expect(r.warnings.map((w) => w.code)).toEqual(['bad-block']);
    expect(r.warnings[0]?.message).toMatch(/^interface option 2 at offset 44 runs past its block; remaining options ignored$/);
  });

  it('an unknown block type is skipped by its length', async () => {
    const r = await read(cat(shb(), idb(), block(0x12345678, new Uint8Array(100)), epb(SYN)));
    expect(r.packets).toBe(1);
    expect(r.warnings).toEqual([]);
  });
});

describe('absurd values in pcap files', () => {
  for (const caplen of [0x40001, 0x7fffffff, 0x80000000, 0xffffffff]) {
    it(`a record claiming ${caplen} captured bytes stops the reading there, keeping what came before`, async () => {
      const bytes = cat(pcapHeader(), pcapRecord(SYN), pcapRecord(RST, caplen), pcapRecord(RST));
      const r = await read(bytes);
      const at = 24 + 16 + SYN.length;
      expect(r.packets).toBe(1);
      expect(r.warnings).toEqual([
        {
          frame: 2,
          offset: at,
          code: 'bad-record',
          message: `record after frame 1 claims ${caplen} captured bytes, more than the 262144-byte maximum; the rest of the file from offset ${at} is not read`,
        },
      ]);
    });
  }

  for (const snaplen of [0, 1, 0xffffffff]) {
    it(`a snaplen of ${snaplen} does not stop frames from being read`, async () => {
      const r = await read(cat(pcapHeader(1, snaplen), pcapRecord(SYN), pcapRecord(RST)));
      expect(r.packets).toBe(2);
      expect(r.tcpPackets).toBe(2);
    });
  }

  it('frames whose IP and TCP headers lie are counted as malformed and keep their numbers', async () => {
    const lie = (patch: (v: DataView) => void): Uint8Array => {
      const b = SYN.slice();
      patch(new DataView(b.buffer));
      return b;
    };
    const frames = [
      lie((v) => v.setUint8(14, 0x44)), // IHL 4 (16 bytes)
      lie((v) => v.setUint8(14, 0x40)), // IHL 0
      lie((v) => v.setUint16(16, 10)), // total length 10 < IHL
      lie((v) => v.setUint8(14 + 20 + 12, 0x40)), // TCP data offset 4
      lie((v) => v.setUint8(14 + 20 + 12, 0x00)), // TCP data offset 0
      lie((v) => v.setUint8(14, 0x55)), // version 5
      RST,
    ];
    const r = await read(cat(pcapHeader(), ...frames.map((f) => pcapRecord(f))));
    expect(r.packets).toBe(7);
    expect(r.tcpPackets).toBe(1);
    expect(r.skipped).toEqual({ 'malformed IP or TCP header': 6 });
    expect(r.warnings.map((w) => w.frame)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.connections[0]?.firstFrame).toBe(7);
  });
});
