/**
 * What the application said and what the capture is missing, as the rules read them (issue 12):
 * each distinction on a hand-built capture, beside the pattern it must not be confused with.
 */
import { describe, expect, it } from 'vitest';
import { F, tcpConversation, type ConversationOptions, type TcpConversation } from '../../../test/synth/conversation.ts';
import { analyzeConversations, evidenceText, onlyVerdict, verdictAt } from '../../../test/support/verdicts.ts';
import type { ResetVerdict } from '../model/types.ts';

const conv = (o: Partial<ConversationOptions> = {}): TcpConversation =>
  tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:8443', serverTtl: 58, rtt: 0.02, ...o });

const record = (type: number, body: Uint8Array | number[]): Uint8Array => Uint8Array.from([type, 3, 3, body.length >> 8, body.length & 255, ...body]);
/** A ClientHello for "a.b" (TLS 1.3 cipher, server_name extension). */
const HELLO = Uint8Array.from([
  0x16, 3, 1, 0, 0x3b, 1, 0, 0, 0x37, 3, 3, ...new Uint8Array(32), 0, 0, 2, 0x13, 1, 1, 0,
  0, 0x0c, 0, 0, 0, 8, 0, 6, 0, 0, 3, 0x61, 0x2e, 0x62,
]);
const SERVER_HELLO = record(22, [2, 0, 0, 0]);

const rstFrame = (c: TcpConversation, n = 0): number => c.frames.filter((f) => f.flags & F.RST)[n]!.number;
const frameOf = (c: TcpConversation, pred: (f: TcpConversation['frames'][number]) => boolean): number => c.frames.find(pred)!.number;
const cites = (v: ResetVerdict, frame: number): boolean => v.evidence.some((e) => e.frame === frame);

describe('the application refused the conversation', () => {
  it('calls a reset after an HTTP request to an SSH greeting app-error, citing the request and the greeting', async () => {
    const c = conv().handshake().clientSends('GET / HTTP/1.1\r\nHost: a.b\r\n\r\n').serverSends('SSH-2.0-OpenSSH_9.6\r\n').rst('server', { delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).toBe('app-error');
    expect(v.explanation).toContain('protocol mismatch');
    expect(cites(v, 4)).toBe(true);
    expect(cites(v, 5)).toBe(true);
    expect(evidenceText(v)).toContain('SSH-2.0-OpenSSH_9.6');
  });

  it('keeps a reset after a complete HTTP reply to that request fast-close, citing the complete response', async () => {
    const c = conv().handshake().clientSends('GET / HTTP/1.1\r\nHost: a.b\r\n\r\n').serverSends('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok').ack('client').rst('server', { delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).toBe('fast-close');
    expect(evidenceText(v)).toContain('was complete (its body reached its end)');
  });

  it('calls a reset after a fatal TLS alert app-error, naming the alert and citing its frame', async () => {
    const c = conv().handshake().clientSends(HELLO).serverSends(record(21, [2, 48])).rst('server', { delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).toBe('app-error');
    expect(evidenceText(v)).toContain('unknown_ca');
    expect(cites(v, 5)).toBe(true);
  });

  it('does not call the same reset app-error when the server sent a handshake record, not an alert', async () => {
    const c = conv().handshake().clientSends(HELLO).serverSends(SERVER_HELLO).ack('client').rst('server', { delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).not.toBe('app-error');
  });
});

describe('a message cut short', () => {
  const head = (length: number) => `HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\n\r\n`;

  it('calls a reset abort when the HTTP body stopped short of its Content-Length, every byte so far acknowledged', async () => {
    const c = conv().handshake().clientSends('GET /big HTTP/1.1\r\n\r\n').serverSends(head(8000) + 'z'.repeat(1000)).ack('client').rst('client', { delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).toBe('abort');
    expect(evidenceText(v)).toContain('announced a body of 8000 bytes');
    expect(v.alternatives.map((a) => a.scenario)).not.toContain('fast-close');
  });

  it('keeps the same reset fast-close when the body reached its Content-Length', async () => {
    const c = conv().handshake().clientSends('GET /big HTTP/1.1\r\n\r\n').serverSends(head(1000) + 'z'.repeat(1000)).ack('client').rst('client', { delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).toBe('fast-close');
  });

  it('calls a reset abort when the peer\'s last TLS record was cut mid-way', async () => {
    const data = record(23, new Array<number>(3000).fill(7));
    const c = conv().handshake().clientSends(HELLO).serverSends(SERVER_HELLO).ack('client').serverSends(data.subarray(0, 1400)).ack('client').rst('client', { delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).toBe('abort');
    expect(evidenceText(v)).toContain('last TLS record was cut mid-way');
  });
});

describe('TLS goodbye after close', () => {
  function session(...after: Uint8Array[]): TcpConversation {
    const c = conv().handshake().clientSends(HELLO).serverSends(SERVER_HELLO).clientSends(record(23, new Array<number>(200).fill(1))).serverSends(record(23, new Array<number>(600).fill(2)));
    c.ack('client').fin('client');
    for (const a of after) c.serverSends(a);
    return c.rst('client', { delay: 0.001 });
  }

  it('calls the close_notify after the client\'s FIN, answered by a reset, a normal close with nothing lost', async () => {
    const c = session(record(21, [1, 0]));
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).toBe('fast-close');
    expect(v.severity).toBe('normal');
    expect(evidenceText(v)).toContain('nothing was lost');
    expect(v.alternatives.map((a) => a.scenario)).toContain('data-after-close');
    expect(cites(v, frameOf(c, (f) => f.from === 'server' && f.payloadLength === 7))).toBe(true);
  });

  it('takes an encrypted alert record in the same place as the goodbye too', async () => {
    const v = onlyVerdict(await analyzeConversations(session(record(21, new Array<number>(26).fill(9)))));
    expect(v.scenario).toBe('fast-close');
  });

  it('does not call the goodbye the only data when application data came after the FIN before it', async () => {
    const v = onlyVerdict(await analyzeConversations(session(record(23, new Array<number>(500).fill(3)), record(21, [1, 0]))));
    expect(v.scenario).toBe('data-after-close');
  });

  it('still calls application data after the FIN data-after-close', async () => {
    const v = onlyVerdict(await analyzeConversations(session(record(23, new Array<number>(500).fill(3)))));
    expect(v.scenario).toBe('data-after-close');
    expect(v.severity).toBe('problem');
  });
});

describe('a filtering middlebox', () => {
  it('calls a reset right after a ClientHello, with an IP ID off the server\'s counter, injected', async () => {
    const c = conv({ ipIdServer: 0x2000 }).handshake().clientSends(HELLO).ack('server').rst('server', { ipId: 0xa000, delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).toBe('injected');
    expect(evidenceText(v)).toContain('right after the client\'s "ClientHello a.b"');
  });

  it('does not call the same IP ID jump injected after the server had answered', async () => {
    const c = conv({ ipIdServer: 0x2000 }).handshake().clientSends(HELLO).serverSends(SERVER_HELLO).ack('client').rst('server', { ipId: 0xa000, delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).not.toBe('injected');
  });
});

describe('what the capture is missing', () => {
  it('judges no window from a direction whose ACKs were not captured, and says so', async () => {
    // The server's ACKs all went another way: the client sends far past the window it last saw.
    const c = conv({ window: 2000 }).handshake();
    for (let i = 0; i < 12; i++) c.clientSends('x'.repeat(1000)).ack('server', { captured: false });
    c.rst('client', { seqOffset: 50_000, delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).not.toBe('out-of-window');
    expect(v.explanation).toContain("most of the server's ACKs are not in the capture");
    expect(v.explanation).toContain('less certain');
  });

  it('names the segments not captured and makes no "never acknowledged" claim across them', async () => {
    const c = conv().handshake().clientSends('GET /f HTTP/1.1\r\n\r\n').serverSends('HTTP/1.1 200 OK\r\nContent-Length: 9000\r\n\r\n');
    c.serverSends('a'.repeat(1000)).serverSends('b'.repeat(1000), { captured: false }).serverSends('c'.repeat(1000)).ack('client').serverSends('d'.repeat(1000));
    c.rst('client', { ack: false, delay: 0.0005 });
    const v = verdictAt(await analyzeConversations(c), rstFrame(c));
    expect(v.scenario).toBe('abort');
    const text = evidenceText(v);
    expect(text).toContain('previous segment not captured');
    expect(text).not.toContain('never acknowledged');
    const gap = v.evidence.find((e) => e.fact.startsWith('previous segment not captured'))!;
    expect(c.frames.find((f) => f.number === gap.frame)!.from).toBe('server');
    expect(v.explanation).toContain("not captured");
  });

  it('says a capture started mid-stream and keeps less confidence than with the handshake', async () => {
    const talk = (c: TcpConversation) => c.clientSends('PING\r\n').serverSends('PONG\r\n').clientSends('PING\r\n').rst('server', { delay: 0.001 });
    const whole = onlyVerdict(await analyzeConversations(talk(conv().handshake())));
    const mid = onlyVerdict(await analyzeConversations(talk(conv())));
    expect(mid.scenario).toBe(whole.scenario);
    expect(mid.explanation).toContain('the capture began after the connection was opened, without its handshake');
    expect(whole.explanation).not.toContain('the capture began after');
    expect(mid.confidence).toBeLessThan(whole.confidence);
  });

  it('does not hold a missing handshake against a segment out of nowhere (that is what unexpected means)', async () => {
    const c = conv().segment('client', { flags: F.ACK | F.PSH, payload: 'hello' }).rst('server', { noState: true, delay: 0.0005 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).toBe('unexpected');
    expect(v.explanation).not.toContain('the capture began after');
  });
});
