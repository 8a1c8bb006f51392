import { describe, expect, it } from 'vitest';
import { analyzeBytes } from '../../../test/support/captures.ts';
import { F, mergeFrames, tcpConversation, toPcap, type TcpConversation } from '../../../test/synth/index.ts';
import { connectionExpertContext, tableExpertContext } from './context.ts';
import { ANALYSIS_FLAGS_MASK, collectExpertItems, connectionExpertMasks, EXPERT_KINDS, EXPERT_SERVER_SHIFT, expertCounts, expertKindCode, expertMasks, expertOrder, type ExpertItems } from './expert.ts';

async function expertOf(...conversations: TcpConversation[]): Promise<{ items: ExpertItems; lines: string[] }> {
  const result = await analyzeBytes('synth.pcap', toPcap(mergeFrames(...conversations)));
  const items = collectExpertItems(result.packets, result.connStart, tableExpertContext(result.connections));
  const lines: string[] = [];
  for (let i = 0; i < items.count; i++) lines.push(`${items.frame[i]} ${EXPERT_KINDS[items.kind[i]!]!.id} c${items.conn[i]}`);
  return { items, lines };
}

/** Items other than the connection events (SYN, SYN+ACK, FIN, RST), which every test has. */
const analysis = (lines: string[]): string[] => lines.filter((l) => !/ (syn|syn-ack|fin|reset) /.test(l));

describe('collectExpertItems', () => {
  it('lists the connection events as chat, and a RST as a warning', async () => {
    const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
    c.handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('HTTP/1.1 200 OK\r\n\r\n').fin('server').rst('client');
    const { items, lines } = await expertOf(c);
    expect(lines).toEqual(['1 syn c0', '2 syn-ack c0', '6 fin c0', '7 reset c0']);
    expect(expertCounts(items)).toEqual([
      { kind: 'reset', severity: 'warning', count: 1 },
      { kind: 'syn', severity: 'chat', count: 1 },
      { kind: 'syn-ack', severity: 'chat', count: 1 },
      { kind: 'fin', severity: 'chat', count: 1 },
    ]);
  });

  it('calls a copy sent after a timeout a retransmission, and a copy already acknowledged spurious', async () => {
    const c = tcpConversation({ client: '10.0.0.1:40001', server: '10.0.0.2:80' });
    c.handshake().clientSends('hello', { delivered: false }).retransmit('client', { rto: 0.2 }); // frame 5
    c.ack('server').retransmit('client', { rto: 0.3 }); // frame 7: the server had acknowledged it
    const { lines } = await expertOf(c);
    expect(analysis(lines)).toEqual(['5 retransmission c0', '7 spurious-retransmission c0']);
  });

  it('finds duplicate ACKs and the fast retransmission they call for, as Wireshark does', async () => {
    const c = tcpConversation({ client: '10.0.0.1:40002', server: '10.0.0.2:80', rtt: 0.01 });
    c.handshake();
    const first = c.sndNxt('client');
    c.clientSends('a'.repeat(100), { delivered: false }); // 4, lost on the way
    c.clientSends('b'.repeat(100)).clientSends('c'.repeat(100)).clientSends('d'.repeat(100)); // 5, 6, 7
    // The server acknowledges the handshake again and again: each repeats the SYN-ACK's ACK (tshark: "Duplicate ACK (#1)" to "#3").
    for (let i = 0; i < 3; i++) c.segment('server', { flags: F.ACK, ack: first, delay: 0.001 }); // 8, 9, 10
    c.segment('client', { flags: F.ACK | F.PSH, seq: first, payload: 'a'.repeat(100), delay: 0.002 }); // 11
    const { lines } = await expertOf(c);
    expect(analysis(lines)).toEqual(['8 duplicate-ack c0', '9 duplicate-ack c0', '10 duplicate-ack c0', '11 fast-retransmission c0']);
  });

  it('marks keep-alives, zero windows, a gap in the capture and the ACK of bytes it lacks', async () => {
    const c = tcpConversation({ client: '10.0.0.1:40003', server: '10.0.0.2:80' });
    c.handshake().clientSends('x'.repeat(10)).ack('server').idle(30).keepalive('client'); // 6
    c.serverSends('zzz').segment('client', { flags: F.ACK, window: 0 }); // 7, 8
    c.clientSends('missing', { captured: false }).clientSends('after the gap').ack('server'); // 9, 10
    const { lines } = await expertOf(c);
    expect(analysis(lines)).toEqual(['6 keep-alive c0', '8 zero-window c0', '9 lost-segment c0', '10 acked-unseen c0']);
  });

  it('sees a window filled to its edge once both SYNs told the scaling', async () => {
    const c = tcpConversation({ client: '10.0.0.1:40004', server: '10.0.0.2:80', window: 200 });
    c.handshake().clientSends('y'.repeat(200)); // 4: exactly the 200 bytes the server's window allows
    const { lines } = await expertOf(c);
    expect(analysis(lines)).toEqual(['4 window-full c0']);

    // The same segment without the handshake in the capture: the scaling is not known, nothing is said.
    const late = tcpConversation({ client: '10.0.0.1:40005', server: '10.0.0.2:80', window: 200 });
    late.handshake();
    late.frames.splice(0, 2);
    late.clientSends('y'.repeat(200));
    expect(analysis((await expertOf(late)).lines)).toEqual([]);
  });

  it('groups items by connection, and orders one kind by frame across connections', async () => {
    const a = tcpConversation({ client: '10.0.0.1:40006', server: '10.0.0.2:80' });
    a.handshake().rst('server', { delay: 0.5 });
    const b = tcpConversation({ client: '10.0.0.3:40007', server: '10.0.0.2:80', start: 1_700_000_000.1 });
    b.refuse();
    const { items } = await expertOf(a, b);
    expect([...items.itemStart]).toEqual([0, 3, 5]);
    const resets = expertOrder(items, expertKindCode('reset'));
    expect([...resets].map((i) => [items.frame[i], items.conn[i]])).toEqual([
      [5, 1],
      [6, 0],
    ]);
    expect(expertCounts(items, items.itemStart[1], items.itemStart[2])).toEqual([
      { kind: 'reset', severity: 'warning', count: 1 },
      { kind: 'syn', severity: 'chat', count: 1 },
    ]);
    expect(expertKindCode('no-such-kind')).toBe(-1);
  });

  it('reads one connection the same from its own packets and context as from the whole table', async () => {
    const c = tcpConversation({ client: '10.0.0.1:40008', server: '10.0.0.2:80', window: 300 });
    c.handshake().clientSends('q'.repeat(300)).retransmit('client');
    const result = await analyzeBytes('one.pcap', toPcap(c));
    const whole = collectExpertItems(result.packets, result.connStart, tableExpertContext(result.connections));
    const alone = collectExpertItems(result.packets, [0, result.connStart[1]!], connectionExpertContext(result.connections.get(0)));
    expect([...alone.kind]).toEqual([...whole.kind]);
    expect([...alone.frame]).toEqual([...whole.frame]);
    expect(expertCounts(alone).map((k) => k.kind)).toEqual(['window-full', 'retransmission', 'syn', 'syn-ack']);
  });
});

describe('expertMasks', () => {
  const names = (mask: number): string[] => EXPERT_KINDS.flatMap((k, i) => (mask & (1 << i) ? [k.id] : []));

  it("gives each connection its kinds, the client's in the low half and the server's in the high", async () => {
    const a = tcpConversation({ client: '10.0.0.1:40010', server: '10.0.0.2:80' });
    a.handshake().clientSends('hello', { delivered: false }).retransmit('client', { rto: 0.2 }).serverSends('zzz').segment('client', { flags: F.ACK, window: 0 });
    const b = tcpConversation({ client: '10.0.0.3:40011', server: '10.0.0.2:80', start: 1_700_000_000.1 });
    b.refuse();
    const result = await analyzeBytes('masks.pcap', toPcap(mergeFrames(a, b)));
    const masks = connectionExpertMasks(result.packets, result.connStart, tableExpertContext(result.connections));
    // The same as from the items the expert list keeps.
    expect([...masks]).toEqual([...expertMasks(collectExpertItems(result.packets, result.connStart, tableExpertContext(result.connections)), result.packets)]);
    expect(masks).toHaveLength(2);
    const split = (m: number) => ({ client: names(m & 0xffff), server: names(m >>> EXPERT_SERVER_SHIFT) });
    expect(split(masks[0]!)).toEqual({ client: ['zero-window', 'retransmission', 'syn'], server: ['syn-ack'] });
    expect(split(masks[1]!)).toEqual({ client: ['syn'], server: ['reset'] });
  });

  it('has room for every kind in each half, and flags only the kinds with a tcp.analysis field', () => {
    expect(EXPERT_KINDS.length).toBeLessThanOrEqual(EXPERT_SERVER_SHIFT);
    expect(names(ANALYSIS_FLAGS_MASK)).toEqual(EXPERT_KINDS.filter((k) => k.field?.startsWith('tcp.analysis.')).map((k) => k.id));
    expect(names(ANALYSIS_FLAGS_MASK)).not.toContain('out-of-window');
  });
});
