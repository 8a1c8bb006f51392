/**
 * The writers' output read back by tshark: frame numbers, times, lengths, flags, seq/ack, TTLs and
 * checksum validation must be what the synthesizer meant. Skipped (with a message) only when tshark
 * is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concatChunks } from '../../src/core/capture/bytes.ts';
import { F, mergeFrames, tcpConversation, toPcap, toPcapng, type SynthFrame } from './conversation.ts';
import { PcapngStreamWriter } from '../../src/core/capture/pcapng-writer.ts';

const TSHARK = process.env.TSHARK ?? 'tshark';
const hasTshark = spawnSync(TSHARK, ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasTshark) console.warn(`tshark not found (${TSHARK}): the tshark read-back tests are skipped`);

const dir = mkdtempSync(join(tmpdir(), 'resetscope-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tshark -T fields over a file, one array of field values per frame. */
function fields(bytes: Uint8Array, name: string, names: string[], extra: string[] = []): string[][] {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const args = ['-r', file, '-n', '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'];
  args.push('-o', 'tcp.relative_sequence_numbers:FALSE', ...extra, '-T', 'fields', '-E', 'occurrence=f');
  for (const n of names) args.push('-e', n);
  const r = spawnSync(TSHARK, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark failed on ${name}: ${r.stderr}`);
  return r.stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t'));
}

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
const epoch = (t: bigint, digits: number): string => {
  const s = t / 1_000_000_000n;
  const frac = (t % 1_000_000_000n).toString().padStart(9, '0');
  return `${s}.${frac.slice(0, digits)}${'0'.repeat(9 - digits)}`;
};

/** What the frames say they are, in tshark's words. */
function expected(frames: readonly SynthFrame[], timeDigits: number): string[][] {
  return frames.map((f, i) => [
    String(i + 1),
    epoch(f.timestampNs, timeDigits),
    hex4(f.flags),
    String(f.seq),
    String(f.ack),
    String(f.payloadLength),
    String(f.ttl),
    '1', // tcp.checksum.status: good
  ]);
}

const FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'tcp.flags',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.len',
  'ip.ttl',
  'tcp.checksum.status',
];
const FIELDS6 = FIELDS.map((f) => (f === 'ip.ttl' ? 'ipv6.hlim' : f));

function story(): SynthFrame[] {
  const a = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', rtt: 0.02, serverTtl: 52 });
  a.handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends(new Uint8Array(4000).fill(65)).ack('client');
  a.fin('server').rst('client', { ipId: 7 });
  const b = tcpConversation({ client: '10.0.0.1:40001', server: '10.0.0.9:5432', start: 1_700_000_000.0001 });
  b.refuse();
  return mergeFrames(a, b);
}

describe.skipIf(!hasTshark)('tshark reads back', () => {
  it('a little-endian microsecond pcap', () => {
    const frames = story();
    expect(fields(toPcap(frames), 'us.pcap', FIELDS)).toEqual(expected(frames, 6));
  });

  it('a big-endian nanosecond pcap', () => {
    const frames = story();
    const file = toPcap(frames, { nanosecond: true, bigEndian: true });
    expect(fields(file, 'ns-be.pcap', FIELDS)).toEqual(expected(frames, 9));
  });

  it('a pcapng file, IP header checksums and IP IDs included', () => {
    const frames = story();
    const got = fields(toPcapng(frames), 'one.pcapng', [...FIELDS, 'ip.checksum.status', 'ip.id', 'frame.interface_name']);
    expect(got.map((r) => r.slice(0, FIELDS.length))).toEqual(expected(frames, 9));
    expect(got.map((r) => r.slice(FIELDS.length))).toEqual(
      frames.map((f) => ['1', hex4(f.ipId), 'synth0']),
    );
  });

  it('IPv6 in 802.1Q with timestamps and window scale', () => {
    const c = tcpConversation({
      client: '[2001:db8::1]:40000',
      server: '[2001:db8::2]:443',
      timestamps: true,
      windowScale: 7,
      serverTtl: 58,
      vlan: 42,
    });
    c.handshake().serverSends(new Uint8Array(3000)).ack('client').rst('server', { ack: false });
    const got = fields(toPcapng(c), 'v6.pcapng', [...FIELDS6, 'vlan.id', 'tcp.options.timestamp.tsval', 'tcp.window_size_scalefactor']);
    expect(got.map((r) => r.slice(0, FIELDS6.length))).toEqual(expected(c.frames, 9));
    expect(got.map((r) => r[FIELDS6.length])).toEqual(c.frames.map(() => '42'));
    expect(got[0]![FIELDS6.length + 1]).toBe('100000');
    // Wireshark applies the scale from the handshake: 128.
    expect(got[4]![FIELDS6.length + 2]).toBe('128');
  });

  it('raw IP frames (LINKTYPE_RAW) and records cut to the snaplen', () => {
    const c = tcpConversation({ client: '192.0.2.1:1234', server: '192.0.2.2:80', link: 'raw' });
    c.handshake().serverSends(new Uint8Array(1000));
    const got = fields(toPcap(c, { snaplen: 60 }), 'raw.pcap', ['frame.len', 'frame.cap_len', 'tcp.flags']);
    expect(got).toEqual([
      ['48', '48', '0x0002'],
      ['48', '48', '0x0012'],
      ['40', '40', '0x0010'],
      ['1040', '60', '0x0018'],
    ]);
  });

  it("Wireshark's own analysis agrees: retransmissions, keepalives and their ACKs", () => {
    const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', rtt: 0.01 });
    c.handshake().clientSends('hello', { delivered: false }).retransmit('client', { times: 2 });
    c.ack('server').idle(60).keepalive('client').ack('server');
    const got = fields(toPcap(c), 'analysis.pcap', [
      'frame.number',
      'tcp.analysis.retransmission',
      'tcp.analysis.keep_alive',
      'tcp.analysis.keep_alive_ack',
    ]);
    const marked = (col: number): number[] => got.filter((r) => r[col] !== '').map((r) => Number(r[0]));
    expect(marked(1)).toEqual([5, 6]);
    expect(marked(2)).toEqual([8]);
    expect(marked(3)).toEqual([9]);
  });

  it('several pcapng sections of both byte orders, with SPB, OPB, comments and resolutions', () => {
    const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
    c.handshake().clientSends('x').serverSends('y');
    const f = c.frames;
    const w = new PcapngStreamWriter({ chunkSize: 64 });
    w.section({ bigEndian: true, hardware: 'synth', os: 'none', userApplication: 'resetscope' });
    w.addInterface({ tsresol: 6, name: 'be0' });
    w.packet(f[0]!);
    w.simplePacket(f[1]!.data);
    w.obsoletePacket(f[2]!, 3);
    w.section({ comment: 'second' });
    w.addInterface({ tsresol: 0x80 | 20, tsoffset: 1000n, name: 'le0' });
    w.addInterface({ tsresol: 9, snaplen: 60, name: 'cut' });
    w.packet({ ...f[3]!, interfaceId: 0, comment: 'hello' });
    w.packet({ ...f[4]!, interfaceId: 1, epbFlags: 1 });
    const got = fields(concatChunks(w.end()), 'sections.pcapng', [
      'frame.section_number',
      'frame.time_epoch',
      'frame.len',
      'frame.cap_len',
      'frame.comment',
      'frame.drop_count',
      'frame.packet_flags',
      'tcp.flags',
    ]);
    // (tshark 4.0 prints frame.interface_name by the section-local index, so names are not compared;
    // the times and the cut length show which interface each frame was read with.)
    const t = (i: number, digits: number): string => epoch(f[i]!.timestampNs, digits);
    // Written in 2^-20 s units after the 1000 s offset, read back as whole nanoseconds.
    const binary20 = (ns: bigint): string => {
      const units = ((ns - 1000n * 1_000_000_000n) << 20n) / 1_000_000_000n;
      return epoch(1000n * 1_000_000_000n + (units * 1_000_000_000n) / (1n << 20n), 9);
    };
    expect(got).toEqual([
      ['1', t(0, 6), '62', '62', '', '', '', '0x0002'],
      ['1', '', '62', '62', '', '', '', '0x0012'],
      ['1', t(2, 6), '54', '54', '', '3', '', '0x0010'],
      ['2', binary20(f[3]!.timestampNs), '55', '55', 'hello', '', '', hex4(F.ACK | F.PSH)],
      ['2', t(4, 9), '55', '55', '', '', '0x00000001', hex4(F.ACK | F.PSH)],
    ]);
  });
});
