/**
 * The distinctions of issue 12, each on a hand-built capture (src/core/synth): the wire pattern
 * that used to draw a confidently wrong verdict, and next to it the pattern the rule is for, so a
 * test fails if a rule stops telling them apart.
 */
import { describe, expect, it } from 'vitest';
import { F, tcpConversation, toPcap, type ConversationOptions, type TcpConversation } from '../../../test/synth/conversation.ts';
import { allVerdicts, analyzeConversations, evidenceText, onlyVerdict, verdictAt } from '../../../test/support/verdicts.ts';
import { analyze } from '../analyze.ts';
import { bytesSource } from '../capture/source.ts';

const C = '10.0.0.1';
const S = '10.0.0.2';
const T0 = 1_700_000_000;
const conv = (o: Partial<ConversationOptions> = {}): TcpConversation =>
  tcpConversation({ client: `${C}:40000`, server: `${S}:8080`, serverTtl: 58, rtt: 0.035, ...o });

const rstFrames = (c: TcpConversation): number[] => c.frames.filter((f) => f.flags & F.RST).map((f) => f.number);

describe('packets in flight', () => {
  /** The client resets while the server streams; `later` seconds after the reset the server sends more. */
  function streaming(later: number): TcpConversation {
    const c = conv().handshake().clientSends('GET /big HTTP/1.1\r\n\r\n').serverSends('z'.repeat(1000)).ack('client');
    c.rst('client', { delivered: false });
    // Sent before the reset arrived: they reach the capture (on the client's side) within the round trip.
    c.serverSends('z'.repeat(1000), { delay: 0.001 }).rst('client', { noState: true, delivered: false });
    c.serverSends('z'.repeat(1000), { delay: 0.002 }).rst('client', { noState: true, delivered: false });
    c.serverSends('z'.repeat(1000), { delay: 0.002 }).rst('client', { noState: true, delivered: false });
    if (later > 0) {
      for (let i = 0; i < 4; i++) c.serverSends('z'.repeat(1000), { delay: later / 4 }).rst('client', { noState: true, delivered: false });
    }
    return c;
  }

  it('does not take the peer packets of the next round trip for resets that never arrived', async () => {
    const c = streaming(0);
    const r = await analyzeConversations(c);
    const v = allVerdicts(r);
    expect(v.length).toBe(4);
    for (const x of v) expect(x.scenario).not.toBe('rst-not-received');
    expect(v[0]!.scenario).toBe('abort');
  });

  it('still finds resets that never arrived when the peer goes on well after a round trip', async () => {
    const c = streaming(0.4);
    const r = await analyzeConversations(c);
    const v = verdictAt(r, rstFrames(c)[0]!);
    expect(v.scenario).toBe('rst-not-received');
    expect(evidenceText(v)).toContain('more than a round trip');
  });
});

describe('"carried on" that is not', () => {
  it("calls a client's own reset of an unacceptable ACK during its open, then a retried SYN, unexpected", async () => {
    const c = conv({ capturePoint: 'client' });
    c.syn();
    // A stray ACK for something else arrives while the client is in SYN-SENT; it answers with a RST.
    c.segment('server', { flags: F.ACK, seq: 424242, ack: 999_999 });
    c.rst('client', { noState: true });
    // Three seconds later it tries again (same ISN), is accepted and talks.
    c.idle(3).syn().synAck().ack('client').clientSends('hello\r\n').serverSends('welcome\r\n').ack('client').close('client');
    const r = await analyzeConversations(c);
    const v = onlyVerdict(r);
    expect(v.scenario).toBe('unexpected');
    expect(v.alternatives.map((a) => a.scenario)).not.toContain('injected');
    expect(evidenceText(v)).toContain('its own stack sent this RST');
  });

  it('does not count a second copy of the same traffic, earlier in time, as the sender carrying on', async () => {
    const c = conv().handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends(`HTTP/1.1 200 OK\r\n\r\n${'y'.repeat(3000)}`).ack('client').rst('server', { delay: 0.1 });
    // The capture holds the conversation twice, the copy after the original with its old timestamps.
    const frames = [...c.frames, ...c.frames].map((f, i) => ({ ...f, number: i + 1 }));
    const r = await analyze(bytesSource('copied.pcap', toPcap(frames, { nanosecond: true })));
    const first = verdictAt(r, rstFrames(c)[0]!);
    expect(first.scenario).toBe('fast-close');
    for (const v of allVerdicts(r)) expect(v.scenario).not.toBe('injected');
  });

  it('still calls a reset injected when the claimed sender sends new data after it', async () => {
    const c = conv().handshake().clientSends('GET / HTTP/1.1\r\n\r\n').ack('server').rst('server', { ttl: 50, ipId: 0x4321, delay: 0.01 });
    c.serverSends(`HTTP/1.1 200 OK\r\n\r\n${'y'.repeat(500)}`, { delay: 0.2 });
    const r = await analyzeConversations(c);
    const v = verdictAt(r, rstFrames(c)[0]!);
    expect(v.scenario).toBe('injected');
    expect(evidenceText(v)).toContain('carried on');
  });
});

describe('TTLs set by applications', () => {
  it('compares a kernel reset with what the kernel sends, not with data an application sent with TTL 1', async () => {
    // The server's data leaves with TTL 1 (as eBGP sends); its SYN-ACK, ACKs and RST with 64.
    const c = conv({ serverTtl: 64, capturePoint: 'server' }).handshake().clientSends('OPEN').ack('server');
    c.serverSends('OPEN', { ttl: 1 }).ack('client').serverSends('UPDATE', { ttl: 1 }).ack('client').rst('server', { delay: 0.05 });
    const r = await analyzeConversations(c);
    const v = onlyVerdict(r);
    expect(v.scenario).not.toBe('injected');
    expect(v.alternatives.map((a) => a.scenario)).not.toContain('injected');
  });

  it('calls the refusal of a host whose every packet has an application-chosen TTL refused, not firewall-reject', async () => {
    // 10.0.0.2 peers out of port 179 with TTL 1 on all it sends; its kernel refuses a SYN with 64.
    const out = tcpConversation({ client: `${S}:40100`, server: `${C}:179`, clientTtl: 1, serverTtl: 1, rtt: 0.0001 }).handshake();
    out.clientSends('x'.repeat(55)).serverSends('y'.repeat(43)).ack('client');
    const refusedIn = tcpConversation({ client: `${C}:40200`, server: `${S}:179`, clientTtl: 1, serverTtl: 64, start: T0 + 0.2, rtt: 0.0001 }).syn().refuse();
    const r = await analyzeConversations(out, refusedIn);
    const v = onlyVerdict(r);
    expect(v.scenario).toBe('refused');
  });

  it('still calls a reset with another TTL than the host’s SYN-ACKs firewall-reject', async () => {
    const ok = conv().handshake().clientSends('hi').serverSends('ho').ack('client').close('client');
    const blocked = conv({ client: `${C}:40001`, server: `${S}:8081`, start: T0 + 1 }).syn().refuse({ ttl: 62 });
    const r = await analyzeConversations(ok, blocked);
    expect(onlyVerdict(r).scenario).toBe('firewall-reject');
  });
});

describe('one below the window', () => {
  it("calls a RST at rcv.nxt - 1 after the sender's own FIN data-after-close, not out-of-window", async () => {
    const c = conv().handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('HTTP/1.1 200 OK\r\n\r\nhello').ack('client');
    const finSeq = c.sndNxt('client');
    c.fin('client');
    // The server's goodbye was sent before it saw the FIN: its ack stops short of it.
    c.segment('server', { flags: F.ACK | F.PSH, payload: 'bye', ack: finSeq });
    c.fin('server', { delay: 0.00001 });
    c.rst('client', { seq: finSeq, ack: false, delay: 0.0001 });
    const r = await analyzeConversations(c);
    const v = onlyVerdict(r);
    expect(v.scenario).toBe('data-after-close');
    expect(v.facts.seqValidity).toBe('out-of-window');
  });

  it('still calls a RST far outside the window out-of-window', async () => {
    const c = conv().handshake().clientSends('a').serverSends('b').ack('client').rst('server', { seqOffset: 50_000_000, ack: false }).close('client');
    const r = await analyzeConversations(c);
    expect(onlyVerdict(r).scenario).toBe('out-of-window');
  });
});

describe('a completed close, and the clock', () => {
  it('calls a RST after a completed FIN exchange fast-close, not stale', async () => {
    const c = conv().handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('HTTP/1.1 200 OK\r\n\r\nhello').ack('client');
    c.close('client').rst('server', { noState: true, delay: 0.025 });
    const r = await analyzeConversations(c);
    const v = onlyVerdict(r);
    expect(v.scenario).toBe('fast-close');
    expect(v.severity).toBe('normal');
    expect(evidenceText(v)).toContain('the close was complete');
  });

  it('does not call a connection accepted under a second ago stale', async () => {
    const c = conv().handshake().idle(0.3).clientSends('GET / HTTP/1.1\r\n\r\n').rst('server', { noState: true });
    const r = await analyzeConversations(c);
    const v = onlyVerdict(r);
    expect(v.scenario).not.toBe('stale');
    expect(v.alternatives.map((a) => a.scenario)).not.toContain('stale');
    // Alone it is an abort, with the other story named: a listener that never took the connection.
    expect(v.scenario).toBe('abort');
    expect(v.alternatives.map((a) => a.scenario)).toContain('overload');
    expect(evidenceText(v)).toContain('after accepting it');
  });

  it('still calls a connection forgotten after a long silence stale', async () => {
    const c = conv().handshake().clientSends('A').serverSends('B').ack('client').idle(30).clientSends('C').rst('server', { noState: true });
    const r = await analyzeConversations(c);
    expect(onlyVerdict(r).scenario).toBe('stale');
  });
});

describe('accept-queue overflow', () => {
  /** `served` connections answered, `dropped` accepted and then reset on their first request. */
  async function burst(served: number, dropped: number) {
    const convs: TcpConversation[] = [];
    for (let i = 0; i < served; i++) {
      convs.push(conv({ client: `10.0.1.${i + 1}:41000`, start: T0 + i * 0.01 }).handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('HTTP/1.1 200 OK\r\n\r\nok').ack('client').close('client'));
    }
    for (let i = 0; i < dropped; i++) {
      const c = conv({ client: `10.0.2.${i + 1}:42000`, start: T0 + 0.005 + i * 0.01 }).handshake();
      c.clientSends('GET / HTTP/1.1\r\n\r\n', { delay: 0.2 + 0.05 * i }).rst('server', { noState: true });
      convs.push(c);
    }
    return analyzeConversations(...convs);
  }

  it('names a burst of resets of just-accepted connections, while others are served, overload', async () => {
    const r = await burst(5, 4);
    expect(r.report.findings).toHaveLength(1);
    const f = r.report.findings[0]!;
    expect(f.kind).toBe('overload');
    expect(f.title).toContain('accept queue');
    const v = allVerdicts(r);
    expect(v).toHaveLength(4);
    for (const x of v) {
      expect(x.scenario).toBe('overload');
      expect(x.explanation).not.toContain(f.id);
      expect(x.alternatives.map((a) => a.scenario)).not.toContain('stale');
    }
  });

  it('does not make a finding of two such resets', async () => {
    const r = await burst(5, 2);
    expect(r.report.findings).toHaveLength(0);
  });
});

describe('port scans', () => {
  const attempt = (port: number, i: number, host = S) => conv({ client: `${C}:${50000 + i}`, server: `${host}:${port}`, start: T0 + i * 0.5 }).syn().refuse();

  it('calls a connect scan of seven ports a scan', async () => {
    const r = await analyzeConversations(...[22, 80, 443, 445, 3389, 8080, 8443].map((p, i) => attempt(p, i)));
    expect(r.report.findings).toHaveLength(1);
    expect(r.report.findings[0]!.title).toContain('7 ports');
    for (const v of allVerdicts(r)) expect(v.scenario).toBe('port-scan');
  });

  it('does not call two or three refusals a scan', async () => {
    for (const ports of [[22, 80], [22, 80, 443]]) {
      const r = await analyzeConversations(...ports.map((p, i) => attempt(p, i)));
      expect(r.report.findings).toHaveLength(0);
      for (const v of allVerdicts(r)) expect(v.scenario).toBe('refused');
    }
  });

  it('titles one source trying one port on many hosts by hosts', async () => {
    const r = await analyzeConversations(...Array.from({ length: 9 }, (_, i) => attempt(6881, i, `10.0.3.${i + 1}`)));
    expect(r.report.findings).toHaveLength(1);
    const title = r.report.findings[0]!.title;
    expect(title).toContain('9 hosts on port 6881');
    expect(title).not.toContain('ports');
  });
});

describe('words', () => {
  it('does not say a peer kept sending when none of its packets is in the capture', async () => {
    const c = conv();
    c.syn({ captured: false }).synAck({ captured: false }).ack('client', { captured: false });
    for (let i = 0; i < 4; i++) c.clientSends('x', { captured: false }).rst('server', { delay: 0.5 });
    const r = await analyzeConversations(c);
    const v = allVerdicts(r);
    expect(v).toHaveLength(4);
    expect(v[0]!.scenario).toBe('rst-not-received');
    expect(v[0]!.explanation).not.toMatch(/while \S+ kept sending/);
    expect(v[0]!.explanation).toContain('is in the capture');
    expect(v[0]!.evidence.some((e) => e.absent !== undefined && e.absent.from !== v[0]!.from)).toBe(true);
  });

  it('never says "instead of an orderly FIN" of a sender that had sent a FIN', async () => {
    // Server data and FIN; the client sends data and its FIN, then resets at once.
    const c = conv().handshake().serverSends('x'.repeat(31)).fin('server');
    c.clientSends('y'.repeat(31), { delivered: false }).fin('client', { delivered: false }).rst('client', { ack: false, delay: 0.003 });
    const r = await analyzeConversations(c);
    const v = onlyVerdict(r);
    expect(v.explanation).not.toContain('instead of an orderly FIN');
  });
});
