import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import { NotACaptureError } from './sink.ts';
import { bytesSource } from './source.ts';
import { concatChunks } from './bytes.ts';
import { fromHex } from '../../../test/synth/hex.ts';

const hex = fromHex;
const cat = (...parts: Uint8Array[]) => concatChunks(parts);

/** A 40-byte IPv4 + TCP SYN from 10.0.0.1:40000 to 10.0.0.2:80, seq 100 (raw IP, link type 101). */
const SYN = hex(`
  45 00 00 28  00 01 40 00  40 06 00 00   # IPv4, total length 40, id 1, DF, TTL 64, TCP
  0a 00 00 01  0a 00 00 02                # 10.0.0.1 -> 10.0.0.2
  9c 40 00 50  00 00 00 64  00 00 00 00   # ports 40000 -> 80, seq 100, ack 0
  50 02 ff ff  00 00 00 00                # data offset 5, SYN, window 65535
`);
/** The server's RST,ACK answer: ack = 101. */
const RST = hex(`
  45 00 00 28  00 02 40 00  40 06 00 00
  0a 00 00 02  0a 00 00 01
  00 50 9c 40  00 00 00 00  00 00 00 65
  50 14 00 00  00 00 00 00                # RST, ACK
`);

function u32(v: number, little: boolean): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, little);
  return b;
}
function u16(v: number, little: boolean): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, v, little);
  return b;
}
const pad4 = (b: Uint8Array) => cat(b, new Uint8Array((4 - (b.length % 4)) % 4));

/** pcapng block: type, total length, body, total length (pcapng §3.1). */
function block(type: number, body: Uint8Array, little: boolean): Uint8Array {
  const len = 12 + pad4(body).length;
  return cat(u32(type, little), u32(len, little), pad4(body), u32(len, little));
}
const shb = (little: boolean) =>
  block(0x0a0d0d0a, cat(u32(0x1a2b3c4d, little), u16(1, little), u16(0, little), hex('ffffffffffffffff')), little);
function idb(linkType: number, little: boolean, tsresol?: number): Uint8Array {
  const opts = tsresol === undefined ? new Uint8Array(0) : cat(u16(9, little), u16(1, little), Uint8Array.of(tsresol, 0, 0, 0), u32(0, little));
  return block(1, cat(u16(linkType, little), u16(0, little), u32(0, little), opts), little);
}
function epb(ifId: number, ts: bigint, data: Uint8Array, little: boolean): Uint8Array {
  return block(6, cat(u32(ifId, little), u32(Number(ts >> 32n), little), u32(Number(ts & 0xffffffffn), little), u32(data.length, little), u32(data.length, little), data), little);
}
const spb = (data: Uint8Array, little: boolean) => block(3, cat(u32(data.length, little), data), little);
function opb(ifId: number, ts: bigint, data: Uint8Array, little: boolean): Uint8Array {
  return block(2, cat(u16(ifId, little), u16(0, little), u32(Number(ts >> 32n), little), u32(Number(ts & 0xffffffffn), little), u32(data.length, little), u32(data.length, little), data), little);
}

const run = (name: string, bytes: Uint8Array) => analyze(bytesSource(name, bytes));

describe('classic pcap', () => {
  it('reads a big-endian nanosecond file with full timestamp precision', async () => {
    const file = cat(
      hex(`a1 b2 3c 4d  00 02 00 04  00 00 00 00  00 00 00 00  00 00 ff ff  00 00 00 65`), // BE ns magic, v2.4, snaplen 65535, RAW
      hex(`5f 5e 10 00  3b 9a c9 ff  00 00 00 28  00 00 00 28`), SYN, // 1600000000 s + 999,999,999 ns
      hex(`5f 5e 10 01  00 00 00 01  00 00 00 28  00 00 00 28`), RST, // +2 ns later
    );
    const { report, packets, connections } = await run('be-ns.pcap', file);
    expect(report.file.format).toBe('pcap');
    expect(report.interfaces[0]?.tsUnitsPerSecond).toBe(1e9);
    expect(report.firstTime).toBe('1600000000.999999999');
    expect(packets.timeNs[1]).toBe(2);
    expect(connections.length).toBe(1);
    expect(connections.get(0).state).toBe('REJ');
    expect(connections.get(0).client).toEqual({ ip: '10.0.0.1', port: 40000 });
  });

  it('reads a little-endian microsecond file', async () => {
    const file = cat(
      hex(`d4 c3 b2 a1  02 00 04 00  00 00 00 00  00 00 00 00  ff ff 00 00  65 00 00 00`),
      hex(`00 10 5e 5f  40 42 0f 00  28 00 00 00  28 00 00 00`), SYN, // 1000000 µs: carried into seconds
    );
    const { report } = await run('le-us.pcap', file);
    expect(report.firstTime).toBe('1600000001.000000000');
    expect(report.tcpPackets).toBe(1);
  });

  it('keeps every complete frame of a file cut inside a record, and names the cut', async () => {
    const file = cat(
      hex(`d4 c3 b2 a1  02 00 04 00  00 00 00 00  00 00 00 00  ff ff 00 00  65 00 00 00`),
      hex(`00 10 5e 5f  00 00 00 00  28 00 00 00  28 00 00 00`), SYN,
      hex(`00 10 5e 5f  01 00 00 00  28 00 00 00  28 00 00 00`), RST.subarray(0, 10),
    );
    const { report } = await run('cut.pcap', file);
    expect(report.packets).toBe(1);
    const w = report.warnings.find((x) => x.code === 'truncated');
    expect(w?.frame).toBe(2);
    expect(w?.offset).toBe(24 + 16 + 40);
    expect(w?.message).toMatch(/frame 2.*10 of 40/);
  });
});

describe('pcapng', () => {
  it('reads two sections of different byte order, interfaces with different if_tsresol, EPB, SPB and OPB', async () => {
    const file = cat(
      shb(true),
      idb(101, true, 9), // interface 0: nanoseconds
      idb(101, true), // interface 1: microseconds (default)
      epb(0, 1_600_000_000_123_456_789n, SYN, true),
      epb(1, 1_600_000_000_123_457n, RST, true),
      shb(false), // a new section, big-endian: interface numbering restarts
      idb(101, false, 3), // milliseconds
      opb(0, 1_600_000_005_000n, SYN, false),
      spb(RST, false),
    );
    const { report, packets } = await run('two-sections.pcapng', file);
    expect(report.file.format).toBe('pcapng');
    expect(report.packets).toBe(4);
    expect(report.interfaces.map((i) => i.tsUnitsPerSecond)).toEqual([1e9, 1e6, 1e3]);
    expect(report.firstTime).toBe('1600000000.123456789');
    expect(Array.from(packets.timeNs)).toEqual([0, 211, 4_876_543_211, 4_876_543_211]);
    expect(Array.from(packets.frame)).toEqual([1, 2, 3, 4]);
    expect(report.warnings).toEqual([]);
  });

  it('skips unknown blocks by length and resynchronises after a corrupt block', async () => {
    const file = cat(
      shb(true),
      idb(101, true),
      block(0x0bad0bad, hex('01020304'), true), // unknown type: skipped
      epb(0, 1n, SYN, true),
      hex('06 00 00 00  ff ff ff 7f'), // an EPB header with an absurd length
      epb(0, 2n, RST, true),
    );
    const { report } = await run('resync.pcapng', file);
    expect(report.packets).toBe(2);
    expect(report.warnings.map((w) => w.code)).toEqual(['bad-block', 'resync']);
    expect(report.warnings[0]?.offset).toBe(28 + 20 + 16 + 72);
  });

  it('reports a frame naming an interface that does not exist, and keeps its number', async () => {
    const file = cat(shb(true), idb(101, true), epb(7, 1n, SYN, true), epb(0, 2n, RST, true));
    const { report, packets } = await run('bad-if.pcapng', file);
    expect(report.packets).toBe(2);
    expect(Array.from(packets.frame)).toEqual([2]);
    expect(report.warnings[0]?.message).toMatch(/interface 7/);
  });
});

describe('not a capture', () => {
  it('rejects a zero-byte file', async () => {
    await expect(run('empty.pcap', new Uint8Array(0))).rejects.toThrow(new NotACaptureError('the file is empty (0 bytes)'));
  });
  it('rejects a text file, quoting how it starts', async () => {
    await expect(run('notes.txt', new TextEncoder().encode('hello, this is text\n'))).rejects.toThrow("not a pcap or pcapng file: it starts with 'hello, t'");
  });
  it('rejects a zip archive', async () => {
    await expect(run('a.zip', hex('50 4b 03 04 14 00 00 00'))).rejects.toThrow("it starts with 'PK'");
  });
  it('rejects a file shorter than a pcap header', async () => {
    await expect(run('short.pcap', hex('d4 c3 b2 a1 02 00'))).rejects.toThrow(/header cut short: 6 of 24/);
  });
});
