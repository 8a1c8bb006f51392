import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.ts';
import type { WarningCode } from '../../src/core/model/types.ts';
import { itWith, readOracle, readTestdata } from '../support/captures.ts';
import { synthPcapng } from './corpus.ts';
import { checkResult } from './invariants.ts';
import { analyzeSafely, classifierActive, describeOutcome, type Outcome } from './harness.ts';

/**
 * The malformed, truncated and refused captures of the public corpus (../shared/captures/public), each with what must come out:
 * the frame count and the warnings (code and message), or the one-line reason it is not a capture.
 * Frame counts agree with tshark's (the oracle files) wherever tshark read the file.
 */
interface Expected {
  /** A NotACaptureError with exactly this kind of message. */
  error?: RegExp;
  packets?: number;
  tcpPackets?: number;
  /** Every warning, in order. */
  warnings?: { code: WarningCode; frame?: number; offset?: number; message: RegExp }[];
  skipped?: Record<string, number>;
}

const PUBLIC: Record<string, Expected> = {
  'libpcap-linktype-reserved-bits.pcap': {
    error: /^pcap link-type field has reserved bits set \(0x00300000\); the header is corrupt$/,
  },
  'libpcap-pcap-invalid-version.pcap': { error: /^pcap version 1\.4 is not supported \(only 2\.x exists\)$/ },
  'libpcap-pcapng-invalid-version.pcapng': { error: /^pcapng version 0\.1 is not supported \(only 1\.0 exists\)$/ },
  // Its SHB says 52 bytes, and the copy of the length at the block's end is '0000' in ASCII.
  'libpcap-shb-option-too-long.pcapng': { error: /^pcapng Section Header Block lengths disagree/ },
  // A CommView file: tshark knows the format, we do not, and say what we saw.
  'rusticata-err-eof.bin': { error: /^not a pcap or pcapng file: it starts with bytes 06 00 00 00$/ },
  'rusticata-modified-format.pcap': { packets: 1, tcpPackets: 0, warnings: [] },
  'suricata-absurd-record-length.pcap': {
    packets: 6,
    tcpPackets: 6,
    warnings: [
      {
        code: 'bad-record',
        frame: 7,
        offset: 5035,
        message: /^record after frame 6 claims 4325376 captured bytes, more than the 262144-byte maximum; the rest of the file from offset 5035 is not read$/,
      },
    ],
  },
  'tcpdump-caplen-over-snaplen.pcap': {
    packets: 8,
    tcpPackets: 0,
    warnings: [
      { code: 'bad-record', frame: 2, offset: 106, message: /^frame 2 has 82 captured bytes, more than the file's snaplen 70; read anyway$/ },
    ],
  },
  'tcpdump-zero-caplen-records.pcap': {
    packets: 38,
    tcpPackets: 1,
    warnings: [],
    skipped: { 'empty record': 37 },
  },
  'tcpdump-tcp-rst-data-trunc.pcap': { packets: 1, tcpPackets: 1, warnings: [] },
  'tcpdump-fcs-bits-in-linktype.pcap': { packets: 1, tcpPackets: 1, warnings: [] },
  'hadrielk-empty.pcap': { packets: 0, tcpPackets: 0, warnings: [] },
  'gopacket-test901-le.pcapng': {
    packets: 1,
    tcpPackets: 0,
    warnings: [
      {
        code: 'other-section-version',
        offset: 480,
        message: /^a new section at offset 480 has pcapng version 2\.0, which no reader knows; the rest of the file is not read$/,
      },
    ],
  },
  'derived-truncated-gzip-smb.pcap.gz': {
    packets: 262,
    tcpPackets: 262,
    warnings: [
      {
        code: 'truncated',
        frame: 263,
        offset: 44537,
        message: /^file ends inside frame 263 \(offset 44537\): 102 of 238 captured bytes present; the partial frame is not used$/,
      },
      { code: 'bad-gzip', message: /^the gzip stream ends early \(file cut short\); frames before that point are kept$/ },
    ],
  },
  'derived-truncated-mid-block-multi-interface.pcapng': {
    packets: 3,
    tcpPackets: 0,
    warnings: [
      {
        code: 'truncated',
        frame: 4,
        offset: 828,
        message: /^file ends inside an Enhanced Packet Block at offset 828 \(172 of 200 bytes\): frame 4 is not used$/,
      },
    ],
  },
  'derived-truncated-mid-record-pop3.pcap': {
    packets: 107,
    tcpPackets: 107,
    warnings: [
      {
        code: 'truncated',
        frame: 108,
        offset: 19420,
        message: /^file ends inside frame 108 \(offset 19420\): 564 of 1514 captured bytes present; the partial frame is not used$/,
      },
    ],
  },
};

function expectOutcome(o: Outcome, want: Expected, active: boolean): void {
  const where = describeOutcome(o);
  if (want.error) {
    expect(o.kind, where).toBe('not-a-capture');
    if (o.kind !== 'not-a-capture') return;
    expect(o.message).toMatch(want.error);
    expect(o.message).not.toMatch(/[\r\n]/);
    return;
  }
  expect(o.kind, where).toBe('result');
  if (o.kind !== 'result') return;
  const r = o.result.report;
  expect(checkResult(o.result, { classifierActive: active })).toEqual([]);
  if (want.packets !== undefined) expect(r.packets).toBe(want.packets);
  if (want.tcpPackets !== undefined) expect(r.tcpPackets).toBe(want.tcpPackets);
  if (want.skipped) expect(r.skipped).toMatchObject(want.skipped);
  if (want.warnings) {
    expect(r.warnings.map((w) => w.code)).toEqual(want.warnings.map((w) => w.code));
    for (const [i, w] of want.warnings.entries()) {
      const got = r.warnings[i]!;
      expect(got.message).toMatch(w.message);
      if (w.frame !== undefined) expect(got.frame).toBe(w.frame);
      if (w.offset !== undefined) expect(got.offset).toBe(w.offset);
    }
  }
}

describe('malformed and truncated public captures', () => {
  const it = itWith('public');
  for (const [file, want] of Object.entries(PUBLIC)) {
    it(file, async () => {
      const o = await analyzeSafely(file, readTestdata('public', file));
      expectOutcome(o, want, await classifierActive(readTestdata('lab', 'refused.pcap')));
      // Where tshark read frames, we read the same number (tshark stops at the same damage).
      const oracle = readOracle('public', file);
      if (o.kind === 'result') expect(o.result.report.packets).toBe(oracle.packets);
      else expect(oracle.packets).toBe(0);
    });
  }

  it('keeps the text of an RST cut by the snaplen, and its full length from the IP header', async () => {
    const o = await analyzeSafely('t', readTestdata('public', 'tcpdump-tcp-rst-data-trunc.pcap'));
    if (o.kind !== 'result') throw new Error(describeOutcome(o));
    const text = o.result.rstPayloadText.get(1) ?? '';
    expect(o.result.packets.payloadLen[0]).toBe(58);
    expect(text).toMatch(/^BIG-IP: \[0x11c5672:3045\] \{peer\} TCP RST from remote sys/);
    expect(text.length).toBeLessThan(58);
    expect(o.result.connections.get(0).dir.server.rstFrames).toEqual([1]);
  });
});

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('files that are not captures get a one-line reason', () => {
  const cases: [name: string, bytes: () => Uint8Array, reason: RegExp][] = [
    ['an empty file', () => new Uint8Array(0), /^the file is empty \(0 bytes\)$/],
    [
      'a PNG image',
      () => Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, ...ascii('IHDR')),
      /^not a pcap or pcapng file: it starts with bytes 89 50 4e 47$/,
    ],
    ['a zip archive', () => Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0), /^not a pcap or pcapng file: it starts with 'PK'$/],
    ['a text file', () => ascii('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'), /^not a pcap or pcapng file: it starts with 'GET \/ HT'$/],
    ['a gzip of a text file', () => gzipSync(ascii('hello, this is text\n'.repeat(50))), /^not a pcap or pcapng file: it starts with 'hello, t'$/],
    [
      'a gzip cut after 10 bytes',
      () => gzipSync(ascii('hello, this is text\n'.repeat(50))).subarray(0, 10),
      /^gzip file holds no data: the gzip stream ends early \(file cut short\)$/,
    ],
    ['a file of three bytes', () => Uint8Array.of(0xd4, 0xc3, 0xb2), /^not a pcap or pcapng file: it is only 3 bytes long$/],
    [
      'a pcap file header cut at 20 bytes',
      () => readTestdata('lab', 'refused.pcap').subarray(0, 20),
      /^pcap file header cut short: 20 of 24 bytes$/,
    ],
    [
      'a pcapng whose first block claims 2 GB',
      () => {
        const b = synthPcapng().slice(0, 64);
        const view = new DataView(b.buffer);
        view.setUint32(4, 0x80000000, view.getUint32(8, true) === 0x1a2b3c4d);
        return b;
      },
      /^pcapng Section Header Block has an invalid length 2147483648$/,
    ],
  ];
  for (const [name, bytes, reason] of cases) {
    it(name, async () => {
      expectOutcome(await analyzeSafely(name, bytes()), { error: reason }, false);
    });
  }
});

describe('a file that cannot be read to its end', () => {
  itWith('public')('a gzip capture whose reads fail past 64 KiB ends with a warning, not a wait for ever', { timeout: 15_000 }, async () => {
    const bytes = readTestdata('public', 'zeek-rlogin-long-line.pcapng.gz');
    const source = {
      name: 'unreadable.pcapng.gz',
      size: bytes.length,
      read: (start: number, end: number): Promise<Uint8Array> =>
        start >= 65536 ? Promise.reject(new Error('NotReadableError: the file changed on disk')) : Promise.resolve(bytes.subarray(start, end)),
    };
    const r = (await analyze(source, { chunkSize: 4096 })).report;
    expect(r.packets).toBeGreaterThan(1000);
    expect(r.warnings.at(-1)).toMatchObject({
      code: 'bad-gzip',
      message: 'the file could not be read past byte 65536 (NotReadableError: the file changed on disk); frames before that point are kept',
    });
  });
});
