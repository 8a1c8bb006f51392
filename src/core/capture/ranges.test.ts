import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../test/synth/hex.ts';
import { analyze } from '../analyze.ts';
import { extractBytes, extractFrames } from '../export/extract.ts';
import { jsonReportChunks } from '../export/report-json.ts';
import { formatSharedLink, sharedLinkOf } from '../export/shared-link.ts';
import { inProcessRunner, readInParallel, readPreamble } from '../parallel/read-parallel.ts';
import { AnalysisSink } from '../analysis-sink.ts';
import { concatChunks } from './bytes.ts';
import { PcapReader } from './pcap.ts';
import { findPcapngBlock, findPcapRecord, rangeLimits, readRange } from './ranges.ts';
import type { PcapngState, PcapState } from './reader-state.ts';
import type { FrameRecord, RecordSink } from './sink.ts';
import { bytesSource } from './source.ts';

const hex = fromHex;
const cat = (...parts: Uint8Array[]) => concatChunks(parts);

/** pcap file header (§4): LE µs magic, 2.4, snaplen 65535, raw IPv4 (228). */
const FILE_HEADER = hex(`
  d4 c3 b2 a1  02 00 04 00  00 00 00 00  00 00 00 00
  ff ff 00 00  e4 00 00 00
`);
/** A 40-byte IPv4 + TCP segment 10.0.0.1:40000 -> 10.0.0.2:80 with the given flags and seq. */
function segment(flags: number, seq: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const b = cat(hex(`
    45 00 00 28  00 01 40 00  40 06 00 00   # IPv4, TTL 64, TCP (total length set below)
    0a 00 00 01  0a 00 00 02                # 10.0.0.1 -> 10.0.0.2
    9c 40 00 50  00 00 00 00  00 00 00 00   # ports 40000 -> 80, seq (set below), ack 0
    50 00 ff ff  00 00 00 00                # data offset 5, flags (set below), window 65535
  `), payload);
  const v = new DataView(b.buffer);
  v.setUint16(2, b.length);
  v.setUint32(24, seq);
  v.setUint8(33, flags);
  return b;
}
/** A record (§5): header (seconds, µs, captured and original length, little-endian) and data. */
function record(sec: number, usec: number, data: Uint8Array): Uint8Array {
  const h = new Uint8Array(16);
  const v = new DataView(h.buffer);
  v.setUint32(0, sec, true);
  v.setUint32(4, usec, true);
  v.setUint32(8, data.length, true);
  v.setUint32(12, data.length, true);
  return cat(h, data);
}

const PCAP_STATE: PcapState = { kind: 'pcap', little: true, nanos: false, recordHeader: 16, snaplen: 65535, frameNo: 0, warnedOverSnaplen: false };

/** Record starts of a classic pcap, as the reader finds them. */
function recordStarts(bytes: Uint8Array): number[] {
  const starts: number[] = [];
  const reader = new PcapReader({ frame: (r: FrameRecord) => starts.push(r.recordOffset - 16), interface() {}, warning() {} });
  reader.parse(bytes, 0, true);
  return starts;
}

describe('rangeLimits', () => {
  it('cuts the bytes after the headers into equal ranges, the first from the start of the file', () => {
    expect(rangeLimits(1024, 24, 4)).toEqual([274, 524, 774]);
    expect(rangeLimits(1024, 24, 1)).toEqual([]);
    // Fewer bytes than ranges: no empty range.
    expect(rangeLimits(27, 24, 8)).toEqual([25, 26]);
  });
});

describe('findPcapRecord', () => {
  const records = [
    record(1000, 1, segment(0x02, 100)),
    record(1000, 2, segment(0x12, 500)),
    record(1000, 3, segment(0x10, 101, new Uint8Array(64).fill(0x41))),
    record(1000, 4, segment(0x14, 501)),
    record(1001, 5, segment(0x10, 165)),
  ];
  const file = cat(FILE_HEADER, ...records);
  const starts = recordStarts(file);

  it('finds, from any offset, the next record start the reader finds', () => {
    expect(starts).toHaveLength(5);
    for (let from = 24; from <= file.length; from++) {
      const next = starts.find((s) => s >= from) ?? file.length;
      expect(findPcapRecord(file, 0, from, true, PCAP_STATE), `from ${from}`).toBe(next);
    }
  });

  it('takes a border exactly on a record start, inside a header, and on the last byte', () => {
    expect(findPcapRecord(file, 0, starts[2]!, true, PCAP_STATE)).toBe(starts[2]);
    expect(findPcapRecord(file, 0, starts[2]! + 7, true, PCAP_STATE)).toBe(starts[3]);
    expect(findPcapRecord(file, 0, file.length - 1, true, PCAP_STATE)).toBe(file.length);
  });

  it('is not fooled by a payload that holds one record header', () => {
    // The payload of the third record starts with a header that looks right (1000 s, 3 µs, 40
    // bytes), followed by bytes that are not a second header.
    const fake = cat(hex(`
      e8 03 00 00  03 00 00 00  28 00 00 00  28 00 00 00   # a record header: 1000 s, 3 µs, 40 of 40 bytes
    `), new Uint8Array(40).fill(0xff), new Uint8Array(16).fill(0xff));
    const withFake = cat(FILE_HEADER, records[0]!, records[1]!, record(1000, 3, segment(0x10, 101, fake)), records[3]!, records[4]!);
    const truth = recordStarts(withFake);
    const fakeAt = truth[2]! + 16 + 40;
    expect(findPcapRecord(withFake, 0, fakeAt, true, PCAP_STATE)).toBe(truth[3]);
  });

  it('reads across windows: a chain cut by the window end is taken when two headers look right', () => {
    const window = file.subarray(0, starts[3]! + 4);
    expect(findPcapRecord(window, 0, starts[1]! + 1, false, PCAP_STATE)).toBe(-1);
    expect(findPcapRecord(window, 0, starts[1]!, false, PCAP_STATE)).toBe(starts[1]);
  });
});

/** pcapng: SHB (LE, v1.0), IDB (raw IPv4, µs), then EPBs. */
function pcapngBlock(type: number, body: Uint8Array): Uint8Array {
  const padded = cat(body, new Uint8Array((4 - (body.length % 4)) % 4));
  const b = new Uint8Array(12 + padded.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, b.length, true);
  b.set(padded, 8);
  v.setUint32(b.length - 4, b.length, true);
  return b;
}
const SHB = pcapngBlock(0x0a0d0d0a, hex(`4d 3c 2b 1a  01 00 00 00  ff ff ff ff ff ff ff ff  # magic, 1.0, section length unknown`));
const IDB = pcapngBlock(1, hex(`e4 00 00 00  ff ff 00 00  # raw IPv4, reserved, snaplen 65535`));
function epb(ts: number, data: Uint8Array): Uint8Array {
  const h = new Uint8Array(20);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0, true); // interface 0
  v.setUint32(8, ts, true);
  v.setUint32(12, data.length, true);
  v.setUint32(16, data.length, true);
  return pcapngBlock(6, cat(h, data));
}

describe('findPcapngBlock', () => {
  const packets = [epb(1, segment(0x02, 100)), epb(2, segment(0x12, 500)), epb(3, segment(0x10, 101, new Uint8Array(30).fill(0x41))), epb(4, segment(0x14, 501))];
  const file = cat(SHB, IDB, ...packets);
  const pre = readPreamble(file);
  const state = pre!.state as PcapngState;
  const starts: number[] = [];
  let at = SHB.length + IDB.length;
  for (const p of packets) {
    starts.push(at);
    at += p.length;
  }

  it('reads the leading section and interface blocks as the preamble', () => {
    expect(pre?.end).toBe(SHB.length + IDB.length);
    expect(pre?.interfaces.map((i) => i.linkType)).toEqual([228]);
  });

  it('finds, from any offset, the next block start', () => {
    for (let from = starts[0]!; from <= file.length; from++) {
      const next = starts.find((s) => s >= from) ?? file.length;
      expect(findPcapngBlock(file, 0, from, true, state), `from ${from}`).toBe(next);
    }
  });

  it('takes a border exactly on a block start, inside a header, and on the last byte', () => {
    expect(findPcapngBlock(file, 0, starts[1]!, true, state)).toBe(starts[1]);
    expect(findPcapngBlock(file, 0, starts[1]! + 5, true, state)).toBe(starts[2]);
    expect(findPcapngBlock(file, 0, file.length - 1, true, state)).toBe(file.length);
  });

  it('is not fooled by a payload that holds one block whose two lengths agree', () => {
    // An Enhanced Packet Block type, length 16 and trailing 16 inside the payload, then junk.
    const fake = hex(`
      06 00 00 00  10 00 00 00  00 00 00 00  10 00 00 00   # type 6, length 16, body, length 16
      ff ff ff ff  ff ff ff ff  ff ff ff ff  ff ff ff ff   # not a block
    `);
    const withFake = cat(SHB, IDB, packets[0]!, epb(2, segment(0x10, 101, fake)), packets[3]!);
    const second = SHB.length + IDB.length + packets[0]!.length;
    const fakeAt = second + 28 + 40;
    expect(findPcapngBlock(withFake, 0, fakeAt, true, state)).toBe(second + epb(2, segment(0x10, 101, fake)).length);
  });
});

describe('a capture read in ranges', () => {
  it('is read as in one piece even when a payload fakes a whole chain of record headers', async () => {
    // The third record's payload is a run of records that look right in every way: a range border
    // inside it makes the guess wrong, which the check finds; that range is read again.
    const inner = cat(record(1000, 3, segment(0x10, 7)), record(1000, 3, segment(0x10, 8)), record(1000, 3, segment(0x10, 9)), record(1000, 3, segment(0x10, 10)), record(1000, 3, segment(0x10, 11)));
    const file = cat(FILE_HEADER, record(1000, 1, segment(0x02, 100)), record(1000, 2, segment(0x12, 500)), record(1000, 3, segment(0x18, 101, inner)), record(1000, 4, segment(0x14, 501)));
    const border = 24 + 56 + 56 + 16 + 40 + 1;
    const source = bytesSource('fake-chain.pcap', file);
    const json = async (opts: Parameters<typeof analyze>[1]) => [...jsonReportChunks(await analyze(source, opts))].join('');
    const single = await json({});
    expect(await json({ ranges: inProcessRunner(source), rangeLimits: [border] })).toBe(single);
    const sink = new AnalysisSink({}, file.length, 0);
    const read = await readInParallel(source, file, sink, inProcessRunner(source), { chunkSize: 1 << 20, cancelled: () => false, progress() {}, limits: [border] });
    expect(read).toMatchObject({ ranges: 1, reread: 1 });
    expect(sink.frames).toBe(4);
  });
});

describe('readRange', () => {
  it('stops at the first record at or past its limit, whatever the window size', async () => {
    const file = cat(FILE_HEADER, ...Array.from({ length: 20 }, (_, i) => record(1000, i, segment(0x10, i))));
    const starts = recordStarts(file);
    for (const chunk of [7, 16, 56, 1 << 16]) {
      const offsets: number[] = [];
      const sink: RecordSink = { frame: (r) => offsets.push(r.recordOffset - 16), interface() {}, warning() {} };
      const reader = PcapReader.resumed(sink, PCAP_STATE);
      reader.limit = starts[10]! - 3;
      const end = await readRange(bytesSource('x', file), reader, starts[4]!, chunk);
      expect(end).toEqual({ stop: starts[10], eof: false, stopped: false });
      expect(offsets).toEqual(starts.slice(4, 10));
    }
  });
});

describe('a shared connection (its frames numbered by their comments)', () => {
  it('is read as in one piece, wherever it is cut', async () => {
    const demo = new Uint8Array(readFileSync(new URL('../../../public/demo/demo.pcap', import.meta.url)));
    const result = await analyze(bytesSource('demo.pcap', demo));
    const conn = result.connections.get(76);
    const meta = sharedLinkOf(result.report, conn, { file: 'demo.pcap', fingerprint: null, packets: conn.packets });
    const extract = await extractFrames(bytesSource('demo.pcap', demo), result, { connections: [76] }, { shared: { fileName: 'demo.pcap', sectionComments: [formatSharedLink(meta)] } });
    const file = extractBytes(extract);
    const source = bytesSource('shared.pcapng', file);
    const json = async (opts: Parameters<typeof analyze>[1]) => [...jsonReportChunks(await analyze(source, opts))].join('');
    const single = await json({});
    expect(single).toContain('"stream": 76');
    for (const cut of [0.3, 0.5, 0.9]) {
      const at = Math.floor(file.length * cut);
      expect(await json({ ranges: inProcessRunner(source), rangeLimits: [at] })).toBe(single);
    }
  });
});
