/**
 * Following a stream over synthesized captures: the bytes each side sent, once, in sequence order,
 * the two sides interleaved as the capture saw them, holes and snapshot cuts as gaps of the right
 * size, FINs and RSTs where they came; and the text and hex forms people read.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import { bytesSource } from '../capture/source.ts';
import { F, tcpConversation, toPcap, type SynthFrame, type TcpConversation } from '../../../test/synth/index.ts';
import type { PcapOptions } from '../capture/pcap-writer.ts';
import { capturePayloadReader, followStream, materializeStream, planConnectionStream, type FollowedStream, type StreamRequest } from './follow.ts';
import { describeChunk, escapeText, formatHexLine, formatStream, framesLabel, hexLines, textRuns } from './format.ts';

const latin1 = (bytes: Uint8Array): string => Array.from(bytes, (b) => String.fromCharCode(b)).join('');

async function follow(
  frames: readonly SynthFrame[] | TcpConversation,
  options: { pcap?: PcapOptions; request?: StreamRequest; gzip?: boolean } = {},
): Promise<FollowedStream> {
  const list = 'frames' in frames ? frames.frames : frames;
  let file = toPcap(list, options.pcap);
  if (options.gzip) file = gzipSync(file);
  const source = bytesSource('test.pcap', file);
  const result = await analyze(source);
  const followed = await followStream(source, result, 0, options.request);
  if (!followed) throw new Error('no connection 0');
  return followed;
}

/** The chunks as short lines: `client 4 "GET /"`, `gap server 1000 not-captured`, `reset server 7`. */
function outline(f: FollowedStream): string[] {
  return f.chunks.map((c) => {
    switch (c.kind) {
      case 'data':
        return `${c.side} ${c.frames.join(',')} @${c.offset} "${latin1(f.bytes.subarray(c.at, c.at + c.length))}"${c.late ? ' late' : ''}`;
      case 'gap':
        return `gap ${c.side} @${c.offset} ${c.length} ${c.reason}${c.late ? ` (${c.late} late)` : ''}`;
      case 'fin':
        return `fin ${c.side} ${c.frame}`;
      case 'reset':
        return `reset ${c.side} ${c.frame}${c.count > 1 ? `..${c.lastFrame} x${c.count}` : ''}`;
    }
  });
}

/** Everything one side's data chunks hold, in order. */
function sideText(f: FollowedStream, side: 'client' | 'server'): string {
  return f.chunks.map((c) => (c.kind === 'data' && c.side === side ? latin1(f.bytes.subarray(c.at, c.at + c.length)) : '')).join('');
}

/** The frames in a new order (renumbered as the capture file would number them). */
function reorder(frames: readonly SynthFrame[], order: number[]): SynthFrame[] {
  return order.map((n, i) => ({ ...frames[n - 1]!, number: i + 1 }));
}

const conv = (mss = 1460) => tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', mss, isnClient: 0xfffffff0 });

describe('follow stream: order and interleaving', () => {
  it('shows an in-order exchange as the capture saw it, with both FINs', async () => {
    const c = conv().handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('HTTP/1.1 200 OK\r\n\r\nhello').close('client');
    const f = await follow(c);
    expect(outline(f)).toEqual([
      'client 4 @0 "GET / HTTP/1.1\r\n\r\n"',
      'server 5 @0 "HTTP/1.1 200 OK\r\n\r\nhello"',
      'fin client 6',
      'fin server 7',
    ]);
    expect(f.sideBytes).toEqual({ client: 18, server: 24 });
    expect([f.from, f.to, f.total]).toEqual([0, 42, 42]);
    expect(f.duplicateBytes).toBe(0);
  });

  it('joins consecutive segments of one side into one chunk naming every frame', async () => {
    const c = conv(10).handshake().serverSends('0123456789abcdefghijKLMNO');
    const f = await follow(c);
    expect(outline(f)).toEqual(['server 4,5,6 @0 "0123456789abcdefghijKLMNO"']);
  });

  it('puts out-of-order segments back in sequence order (gzip file read back front to back)', async () => {
    const c = conv(10).handshake().serverSends('0123456789abcdefghij').clientSends('ok');
    // Frames: 1-3 handshake, 4 "0123456789", 5 "abcdefghij", 6 client "ok"; 5 arrives before 4.
    const f = await follow(reorder(c.frames, [1, 2, 3, 5, 4, 6]), { gzip: true });
    expect(outline(f)).toEqual(['server 5,4 @0 "0123456789abcdefghij"', 'client 6 @0 "ok"']);
    expect(f.gapBytes).toEqual({ client: 0, server: 0 });
  });

  it('shows a retransmission once, and only the new bytes of an overlapping one', async () => {
    const c = conv().handshake().clientSends('abcdefghij');
    c.retransmit('client');
    const base = c.sndNxt('client');
    // Bytes 5..14: "fghij" again and "KLMNO" new.
    c.segment('client', { flags: F.ACK | F.PSH, seq: (base - 5) >>> 0, payload: 'fghijKLMNO' });
    c.serverSends('done');
    const f = await follow(c);
    expect(outline(f)).toEqual(['client 4,6 @0 "abcdefghijKLMNO"', 'server 7 @0 "done"']);
    expect(f.duplicateBytes).toBe(15);
    expect(f.total).toBe(19);
  });

  it('keeps its count when a forged RST half the sequence space away comes between segments', async () => {
    const c = conv().handshake().clientSends('abc');
    // "abc" was at ISN + 1, "def" comes at ISN + 4; a RST at ISN + 4 + 2^31 - 1 lies so that the
    // two signed 32-bit steps through it add up to 3 - 2^32 instead of 3.
    c.rst('client', { seqOffset: 2 ** 31 - 1, ack: false });
    c.clientSends('def').serverSends('ok');
    const f = await follow(c);
    expect(outline(f)).toEqual(['client 4 @0 "abc"', 'reset client 5', 'client 6 @3 "def"', 'server 7 @0 "ok"']);
  });

  it('counts sequence numbers across the 2^32 wrap', async () => {
    // The client's ISN is 0xfffffff0: its bytes cross zero after 15.
    const c = conv(10).handshake().clientSends('0123456789abcdefghijklmnopqrst');
    const f = await follow(c);
    expect(sideText(f, 'client')).toBe('0123456789abcdefghijklmnopqrst');
  });
});

describe('follow stream: what the capture lacks', () => {
  it('shows a segment not captured as a gap of its size once the receiver acknowledges past it', async () => {
    const c = conv(10).handshake().clientSends('GET');
    c.serverSends('aaaaaaaaaa').serverSends('bbbbbbbbbb', { captured: false }).serverSends('cccccccccc').ack('client').serverSends('dd');
    const f = await follow(c);
    expect(outline(f)).toEqual([
      'client 4 @0 "GET"',
      'server 5 @0 "aaaaaaaaaa"',
      'gap server @10 10 not-captured',
      // The client's pure ACK (frame 7) carries no bytes: "dd" continues the server's chunk.
      'server 6,8 @20 "ccccccccccdd"',
    ]);
    expect(f.gapBytes).toEqual({ client: 0, server: 10 });
    expect(describeChunk(f.chunks[2]!)).toBe('10 bytes from the server not in the capture (sequence hole, seen at frame 7)');
  });

  it('shows bytes the capture holds after the ACK past them as late, taken off their gap', async () => {
    const c = conv(10).handshake().serverSends('aaaaaaaaaabbbbbbbbbbcccccccccc').ack('client');
    // Frames 4-6 "aaa…", "bbb…", "ccc…", 7 the client's ACK of all; the file holds "bbb…" last.
    const f = await follow(reorder(c.frames, [1, 2, 3, 4, 6, 7, 5]));
    expect(outline(f)).toEqual([
      'server 4 @0 "aaaaaaaaaa"',
      'gap server @10 10 not-captured (10 late)',
      'server 5 @20 "cccccccccc"',
      'server 7 @10 "bbbbbbbbbb" late',
    ]);
    expect(f.gapBytes.server).toBe(0);
    expect(f.duplicateBytes).toBe(0);
    expect(describeChunk(f.chunks[1]!)).toBe(
      '10 bytes from the server missing here (sequence hole, seen at frame 6): 10 bytes came later and are shown where they came, 0 bytes not in the capture',
    );
    expect(describeChunk(f.chunks[3]!)).toBe('server → client · frame 7 · 10 bytes · late: these fill a gap shown above');
  });

  it('shows a hole never acknowledged as a gap at the end, before what came after it', async () => {
    const c = conv(10).handshake();
    c.clientSends('aaaaaaaaaa').clientSends('bbbbbbbbbb', { captured: false }).clientSends('cc');
    const f = await follow(c);
    expect(outline(f)).toEqual(['client 4 @0 "aaaaaaaaaa"', 'gap client @10 10 not-captured', 'client 5 @20 "cc"']);
  });

  it('shows a FIN past the last byte seen as bytes missing before it', async () => {
    const c = conv().handshake().clientSends('abc').clientSends('defg', { captured: false }).fin('client');
    const f = await follow(c);
    expect(outline(f)).toEqual(['client 4 @0 "abc"', 'gap client @3 4 not-captured', 'fin client 5']);
  });

  it('shows payload cut by the snapshot length as a cut, never as invented bytes', async () => {
    const c = conv().handshake().clientSends('GET /a/long/path HTTP/1.1\r\n\r\n').serverSends('ok');
    // 14 Ethernet + 20 IPv4 + 20 TCP + 10 bytes of payload.
    const f = await follow(c, { pcap: { snaplen: 64 } });
    expect(outline(f)).toEqual(['client 4 @0 "GET /a/lon"', 'gap client @10 19 cut', 'server 5 @0 "ok"']);
    expect(describeChunk(f.chunks[1]!)).toBe('19 bytes from the client cut off by the snapshot length in frame 4');
    expect(f.bytes.length).toBe(12);
  });
});

describe('follow stream: SYN, FIN and RST', () => {
  it('counts the SYN and the FIN as one sequence number each (data in a SYN, data with a FIN)', async () => {
    const c = conv();
    c.segment('client', { flags: F.SYN, payload: 'early', ack: 0 });
    c.synAck().ack('client').clientSends('late').fin('client', { data: 'bye' });
    c.retransmit('client'); // the FIN again: neither its bytes nor the FIN shown twice
    c.serverSends('reply');
    const f = await follow(c);
    expect(outline(f)).toEqual(['client 1,4,5 @0 "earlylatebye"', 'fin client 5', 'server 7 @0 "reply"']);
    expect(f.duplicateBytes).toBe(3);
  });

  it('marks where an RST cut the conversation, with what came after it', async () => {
    const c = conv().handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('SSH-2.0-OpenSSH_9.6\r\n');
    c.rst('server').clientSends('more').rst('server').rst('server');
    const f = await follow(c);
    expect(outline(f)).toEqual([
      'client 4 @0 "GET / HTTP/1.1\r\n\r\n"',
      'server 5 @0 "SSH-2.0-OpenSSH_9.6\r\n"',
      'reset server 6',
      'client 7 @18 "more"',
      'reset server 8..9 x2',
    ]);
    expect(describeChunk(f.chunks[2]!)).toBe('Reset by the server here (RST, frame 6)');
    expect(describeChunk(f.chunks[4]!)).toBe('Reset by the server here (RST, frame 8 and 1 more RST to frame 9)');
  });
});

describe('follow stream: pages', () => {
  it('returns a bounded part with the whole size, and the next part continues it', async () => {
    const c = conv(10).handshake().clientSends('0123456789abcdefghij').serverSends('ABCDEFGHIJ').rst('client');
    const first = await follow(c, { request: { maxBytes: 15 } });
    expect([first.from, first.to, first.total]).toEqual([0, 15, 30]);
    expect(outline(first)).toEqual(['client 4,5 @0 "0123456789abcde"']);
    const second = await follow(c, { request: { from: 15, maxBytes: 15 } });
    expect(outline(second)).toEqual(['client 5 @15 "fghij"', 'server 6 @0 "ABCDEFGHIJ"', 'reset client 7']);
  });

  it('plans only the page asked for, with the same page and totals as the whole plan gives', async () => {
    const c = conv(10).handshake().clientSends('0123456789abcdefghij').serverSends('ABCDEFGHIJ').rst('client').clientSends('late');
    const source = bytesSource('paged.pcap', toPcap(c));
    const result = await analyze(source);
    const whole = planConnectionStream(result, 0)!;
    for (const [from, to] of [[0, 7], [7, 15], [15, 28], [28, 34]] as const) {
      const windowed = planConnectionStream(result, 0, { from, to })!;
      expect(windowed.items.length).toBeLessThan(whole.items.length);
      expect(windowed.total).toBe(whole.total);
      const read = capturePayloadReader(source, result);
      const a = await materializeStream(windowed, read, { from, maxBytes: to - from });
      const b = await materializeStream(whole, read, { from, maxBytes: to - from });
      expect(outline(a)).toEqual(outline(b));
      expect(a.bytes).toEqual(b.bytes);
    }
  });

  it('returns the markers of a stream without bytes', async () => {
    const c = conv().syn().rst('server', { ack: c0Ack() });
    const f = await follow(c);
    expect(outline(f)).toEqual(['reset server 2']);
    expect(f.total).toBe(0);
  });
});

/** A refused connection's RST+ACK acknowledges the SYN: ISN + 1. */
function c0Ack(): number {
  return (0xfffffff0 + 1) >>> 0;
}

describe('stream text and hex', () => {
  const bytes = (...parts: (string | number[])[]): Uint8Array =>
    Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

  it('shows control bytes as escapes, a line break after \\n, and UTF-8 as text', () => {
    expect(textRuns(bytes('GET /\r\nHost: é\t', [0, 0x1b], '[0m', [0x7f]))).toEqual([
      { kind: 'text', text: 'GET /' },
      { kind: 'control', text: '\\r\\n\n' },
      { kind: 'text', text: 'Host: é' },
      { kind: 'control', text: '\\t\\0\\x1b' },
      { kind: 'text', text: '[0m' },
      { kind: 'control', text: '\\x7f' },
    ]);
  });

  it('shows bytes that are not UTF-8 as such, byte by byte', () => {
    // A lone continuation, an overlong '/', a surrogate, a cut sequence at the end; then valid text.
    const runs = textRuns(bytes([0x80], 'a', [0xc0, 0xaf], [0xed, 0xa0, 0x80], 'ü', [0xe2, 0x82]));
    expect(runs).toEqual([
      { kind: 'invalid', text: '\\x80' },
      { kind: 'text', text: 'a' },
      { kind: 'invalid', text: '\\xc0\\xaf\\xed\\xa0\\x80' },
      { kind: 'text', text: 'ü' },
      { kind: 'invalid', text: '\\xe2\\x82' },
    ]);
  });

  it('makes invisible characters (C1, bidi overrides, BOM) visible', () => {
    expect(escapeText(bytes('a\u202Eb\u0085c\uFEFF'))).toBe('a\\u202eb\\u0085c\\ufeff');
  });

  it('writes hex lines of 16 with their stream offset and ASCII', () => {
    const lines = hexLines(bytes('GET / HTTP/1.1\r\nHost'), 0x20);
    expect(lines.map(formatHexLine)).toEqual([
      '00000020  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..',
      '00000030  48 6f 73 74                                       Host',
    ]);
  });

  it('writes the whole stream as text for the command line', async () => {
    const c = conv().handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends(Uint8Array.from([0xff, 0x41])).rst('server');
    const f = await follow(c);
    const text = formatStream(f, { mode: 'text', stream: 0, client: '10.0.0.1:40000', server: '10.0.0.2:80' });
    expect(text).toBe(
      [
        'Follow TCP stream 0 (tcp.stream eq 0): client 10.0.0.1:40000, server 10.0.0.2:80',
        'client sent 18 bytes, server 2 bytes.',
        '',
        '== client → server · frame 4 · 18 bytes ==',
        'GET / HTTP/1.1\\r\\n',
        '\\r\\n',
        '== server → client · frame 5 · 2 bytes ==',
        '\\xffA',
        '-- Reset by the server here (RST, frame 6) --',
        '',
      ].join('\n'),
    );
    const hex = formatStream(f, { mode: 'hex', stream: 0, client: 'a', server: 'b' });
    expect(hex).toContain('00000000  ff 41                                             .A\n');
  });
});

describe('framesLabel', () => {
  it('names one frame, a run, a few, or many', () => {
    expect(framesLabel([4])).toBe('frame 4');
    expect(framesLabel([4, 5, 6])).toBe('frames 4–6');
    expect(framesLabel([4, 7])).toBe('frames 4, 7');
    expect(framesLabel([4, 7, 9, 12, 20])).toBe('5 frames, 4 to 20');
  });
});
