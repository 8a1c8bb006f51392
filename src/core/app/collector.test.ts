import { describe, expect, it } from 'vitest';
import { analyzeBytes, itWith, readTestdata } from '../../../test/support/captures.ts';
import { DecodedPacket } from '../decode/packet.ts';
import { TcpFlag } from '../model/types.ts';
import { TcpTracker } from '../tcp/tracker.ts';

const { SYN, ACK, FIN, RST, PSH } = TcpFlag;

/**
 * A conversation fed straight into a tracker: each step is who sends, flags and the payload (text,
 * bytes, or a length of filler). Sequence numbers follow from the payloads (client ISN 1000, server 5000).
 */
function converse(steps: [from: 'c' | 's', flags: number, payload?: string | Uint8Array | number][]) {
  const tracker = new TcpTracker();
  const p = new DecodedPacket();
  const next = { c: 1000, s: 5000 };
  steps.forEach(([from, flags, payload = 0], i) => {
    const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : typeof payload === 'number' ? new Uint8Array(payload) : payload;
    const other = from === 'c' ? 's' : 'c';
    p.src[0] = from === 'c' ? 0x0a000001 : 0x0a000002;
    p.dst[0] = from === 'c' ? 0x0a000002 : 0x0a000001;
    p.srcPort = from === 'c' ? 40000 : 443;
    p.dstPort = from === 'c' ? 443 : 40000;
    p.flags = flags;
    p.seq = next[from];
    p.ack = flags & ACK ? next[other] : 0;
    p.payloadLength = bytes.length;
    p.payloadOffset = 0;
    p.payloadCaptured = bytes.length;
    p.window = 65535;
    tracker.add(p, bytes, i + 1, i * 1e6, 0, 0);
    next[from] += bytes.length + (flags & (SYN | FIN) ? 1 : 0);
  });
  const reading = tracker.state.get(0).app;
  // Once the capture is read the context is sealed into a compact text: the same context comes back.
  tracker.release();
  expect(tracker.state.get(0).app).toEqual(reading);
  return reading;
}

const HANDSHAKE: [from: 'c' | 's', flags: number][] = [['c', SYN], ['s', SYN | ACK], ['c', ACK]];
const record = (type: number, body: Uint8Array) => Uint8Array.from([type, 3, 3, body.length >> 8, body.length & 255, ...body]);
const HELLO = Uint8Array.from([
  0x16, 3, 1, 0, 0x3b, 1, 0, 0, 0x37, 3, 3, ...new Uint8Array(32), 0, 0, 2, 0x13, 1, 1, 0,
  0, 0x0c, 0, 0, 0, 8, 0, 6, 0, 0, 3, 0x61, 0x2e, 0x62, // server_name "a.b"
]);

describe('application context from a conversation', () => {
  it('a TLS alert before the reset: ClientHello, the alert by name, the server as its sender', () => {
    const app = converse([...HANDSHAKE, ['c', ACK | PSH, HELLO], ['s', ACK | PSH, record(21, Uint8Array.from([2, 48]))], ['s', RST | ACK]]);
    expect(app?.protocol).toBe('tls');
    expect(app?.service).toBe('a.b');
    expect(app?.labels.map((l) => `${l.frame} ${l.from} ${l.text}`)).toEqual(['4 client ClientHello a.b', '5 server Alert: unknown_ca']);
    expect(app?.facts.tlsAlert).toEqual({ frame: 5, from: 'server', level: 'fatal', description: 'unknown_ca' });
  });
  it('TLS records followed across segments: close_notify, and a last record cut mid-way', () => {
    const data = record(23, new Uint8Array(3000));
    const app = converse([
      ...HANDSHAKE,
      ['c', ACK | PSH, HELLO],
      ['s', ACK | PSH, record(22, Uint8Array.from([2, 0, 0, 0]))],
      ['s', ACK, data.subarray(0, 1400)], ['s', ACK, data.subarray(1400, 2800)], ['s', ACK, data.subarray(2800)],
      ['s', ACK, data.subarray(0, 1000)], // a second record of which only 1000 bytes were sent
      ['c', ACK | PSH, record(21, Uint8Array.from([1, 0]))],
      ['c', FIN | ACK],
    ]);
    expect(app?.facts.closeNotify).toEqual([{ frame: 10, from: 'client' }]);
    expect(app?.facts.tlsLastRecordComplete).toEqual({ client: true, server: false });
  });
  it('an HTTP body cut short of its Content-Length, and one that reached it', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n';
    const cut = converse([...HANDSHAKE, ['c', ACK | PSH, 'GET /big HTTP/1.1\r\nHost: example.org\r\n\r\n'], ['s', ACK | PSH, head], ['s', ACK, 1400], ['s', ACK, 1400], ['c', RST | ACK]]);
    expect(cut?.service).toBe('example.org');
    expect(cut?.labels.map((l) => l.text)).toEqual(['GET /big', '200 OK']);
    expect(cut?.facts).toMatchObject({ httpContentLength: 5000, httpBodyComplete: false });
    const whole = converse([...HANDSHAKE, ['c', ACK | PSH, 'GET / HTTP/1.1\r\n\r\n'], ['s', ACK | PSH, head], ['s', ACK, 2500], ['s', ACK, 2500], ['s', FIN | ACK]]);
    expect(whole?.facts.httpBodyComplete).toBe(true);
  });
  it('a chunked body is complete only when the last chunk was the last thing sent', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    const done = converse([...HANDSHAKE, ['c', ACK | PSH, 'GET / HTTP/1.1\r\n\r\n'], ['s', ACK | PSH, head], ['s', ACK, 'a\r\n0123456789\r\n'], ['s', ACK, '0\r\n\r\n']]);
    expect(done?.facts).toMatchObject({ httpChunked: true, httpBodyComplete: true });
    const open = converse([...HANDSHAKE, ['c', ACK | PSH, 'GET / HTTP/1.1\r\n\r\n'], ['s', ACK | PSH, head], ['s', ACK, 'a\r\n0123456789\r\n']]);
    expect(open?.facts.httpBodyComplete).toBe(false);
  });
  it('nothing recognised: no context, and the connection is let go after its first segments', () => {
    expect(converse([...HANDSHAKE, ['c', ACK | PSH, 100], ['s', ACK | PSH, 100], ['c', ACK | PSH, 100], ['s', ACK | PSH, 100], ['s', ACK | PSH, 'HTTP/1.1 200 OK\r\n\r\n']])).toBeUndefined();
  });
  it('hostile payloads never throw', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let round = 0; round < 200; round++) {
      const junk = Uint8Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256));
      junk[0] = [0x16, 0x15, 0x17, 0x48, 0x47, 0x53][round % 6]!;
      if (round % 2) { junk[1] = 3; junk[2] = 3; }
      expect(() => converse([...HANDSHAKE, ['c', ACK | PSH, junk], ['s', ACK | PSH, junk], ['s', ACK, junk]])).not.toThrow();
    }
  });
});

describe('application context on real captures', () => {
  const itPublic = itWith('public');
  const first = async (file: string) => (await analyzeBytes(file, readTestdata('public', file))).connections.get(0);
  itPublic('an HTTP request to an SSH server is a protocol mismatch (zeek http-get-to-ssh-server)', async () => {
    const c = await first('zeek-http-get-to-ssh-server.pcap');
    expect(c.app?.facts.protocolMismatch).toEqual({ client: 'http', server: 'ssh' });
    expect(c.app?.labels.map((l) => l.text)).toEqual(['GET /', 'SSH-2.0-OpenSSH_8.7']);
  });
  itPublic('TLS SNI and ALPN (zeek tls-openjdk), HTTP Host (zeek wikipedia)', async () => {
    const tls = await first('zeek-tls-openjdk-sll2.pcap');
    expect(tls.app).toMatchObject({ protocol: 'tls', service: 'zeek.org', facts: { tlsAlpn: ['h2', 'http/1.1'], tlsServerHello: 6 } });
    const http = await first('zeek-wikipedia.pcap');
    expect(http.app).toMatchObject({ protocol: 'http', service: 'www.wikipedia.org', facts: { httpStatus: { code: 304 }, httpBodyComplete: true } });
  });
});

describe('the small API the classifier reads', () => {
  it('tells a refusal before a frame and a completed exchange', async () => {
    const { appCompleted, appRefusedBefore } = await import('./index.ts');
    const alert = converse([...HANDSHAKE, ['c', ACK | PSH, HELLO], ['s', ACK | PSH, record(21, Uint8Array.from([2, 48]))], ['s', RST | ACK]]);
    expect(appRefusedBefore(alert, 6)).toBe(true);
    expect(appRefusedBefore(alert, 5)).toBe(false);
    const ok = converse([...HANDSHAKE, ['c', ACK | PSH, 'GET / HTTP/1.1\r\n\r\n'], ['s', ACK | PSH, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi'], ['c', RST | ACK]]);
    expect(appCompleted(ok)).toBe(true);
    expect(appRefusedBefore(ok, 7)).toBe(false);
    expect(appCompleted(undefined)).toBe(false);
  });
});
