import { describe, expect, it } from 'vitest';
import { F, mergeFrames, tcpConversation, toPcap, toPcapng, type SynthFrame } from './conversation.ts';

/** A readable line per frame: number, +ms since the first, side, flags, seq/ack relative to the ISNs, length. */
function dump(frames: readonly SynthFrame[], isnClient = 1000, isnServer = 5000): string {
  const t0 = frames[0]?.timestampNs ?? 0n;
  const names: [number, string][] = [
    [F.SYN, 'S'],
    [F.RST, 'R'],
    [F.ACK, 'A'],
    [F.PSH, 'P'],
    [F.FIN, 'F'],
  ];
  return frames
    .map((f) => {
      const flags = names.map(([bit, n]) => (f.flags & bit ? n : '')).join('');
      const mine = f.from === 'client' ? isnClient : isnServer;
      const theirs = f.from === 'client' ? isnServer : isnClient;
      const ack = f.flags & F.ACK ? ` ack=${(f.ack - theirs) >>> 0}` : '';
      const ms = Number(f.timestampNs - t0) / 1e6;
      return `${f.number} +${ms}ms ${f.from} ${flags} seq=${(f.seq - mine) >>> 0}${ack} len=${f.payloadLength} ttl=${f.ttl}`;
    })
    .join('\n');
}

describe('tcpConversation', () => {
  it('tracks seq/ack through a handshake, data, an ACK and a reset', () => {
    const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', rtt: 0.02, serverTtl: 52 });
    c.handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('x'.repeat(3000)).ack('client');
    c.rst('server');
    expect(dump(c.frames)).toBe(
      [
        '1 +0ms client S seq=0 len=0 ttl=64',
        '2 +20ms server SA seq=0 ack=1 len=0 ttl=52',
        '3 +20.01ms client A seq=1 ack=1 len=0 ttl=64',
        '4 +20.02ms client AP seq=1 ack=1 len=18 ttl=64',
        '5 +40.02ms server A seq=1 ack=19 len=1460 ttl=52',
        '6 +40.03ms server A seq=1461 ack=19 len=1460 ttl=52',
        '7 +40.04ms server AP seq=2921 ack=19 len=80 ttl=52',
        '8 +40.05ms client A seq=19 ack=3001 len=0 ttl=64',
        '9 +60.05ms server RA seq=3001 ack=19 len=0 ttl=52',
      ].join('\n'),
    );
    expect(c.sndNxt('server')).toBe(5000 + 3001);
    expect(c.rcvNxt('client')).toBe(5000 + 3001);
  });

  it('counts IP IDs per side and lets a step forge TTL and ID', () => {
    const c = tcpConversation({ client: '10.0.0.1:1', server: '10.0.0.2:2', ipIdClient: 10, ipIdServer: 500 });
    c.handshake().rst('server', { ttl: 250, ipId: 0 }).serverSends('late');
    expect(c.frames.map((f) => [f.from, f.ipId, f.ttl])).toEqual([
      ['client', 10, 64],
      ['server', 500, 64],
      ['client', 11, 64],
      ['server', 0, 250],
      ['server', 501, 64],
    ]);
  });

  it('refuses a SYN as a closed port does: RST+ACK, seq 0, ack = ISN + 1', () => {
    const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:23', isnClient: 0xffffffff });
    c.refuse();
    expect(c.frames.map((f) => [f.flags, f.seq, f.ack])).toEqual([
      [F.SYN, 0xffffffff, 0],
      [F.RST | F.ACK, 0, 0],
    ]);
    // A firewall answering faster than the round trip, with its own TTL:
    const fw = tcpConversation({ client: '10.0.0.1:40001', server: '10.0.0.2:23', rtt: 0.05 });
    fw.synOnly().refuse({ delay: 0.0002, ttl: 255 });
    expect(fw.frames.length).toBe(2);
    expect(Number(fw.last.timestampNs - fw.frames[0]!.timestampNs)).toBe(200_000);
    expect(fw.last.ack).toBe(1001);
  });

  it('answers without state: a stray ACK gets a bare RST with seq = its ack', () => {
    const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
    c.segment('server', { flags: F.SYN | F.ACK, seq: 777, ack: 4242 }).rst('client', { noState: true });
    expect(c.last.flags).toBe(F.RST);
    expect(c.last.seq).toBe(4242);
  });

  it('retransmits with exponential backoff, then gives up with a reset', () => {
    const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', rtt: 0.01 });
    c.handshake().clientSends('hello', { delivered: false }).retransmit('client', { times: 3, rto: 0.2, delivered: false });
    c.rst('client');
    const data = c.frames.filter((f) => f.payloadLength === 5);
    expect(data.map((f) => f.seq)).toEqual([1001, 1001, 1001, 1001]);
    const gaps = data.slice(1).map((f, i) => Number(f.timestampNs - data[i]!.timestampNs) / 1e9);
    expect(gaps).toEqual([0.2, 0.4, 0.8]);
    // The reset comes after the data that was never acknowledged.
    expect(c.last.seq).toBe(1006);
    expect(c.rcvNxt('server')).toBe(1001);
  });

  it('keepalives sit at snd.nxt - 1 and idle() opens a gap', () => {
    const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
    c.handshake().clientSends('a').ack('server').idle(7200).keepalive('client').ack('server');
    const ka = c.frames[5]!;
    expect(ka.seq).toBe(c.sndNxt('client') - 1);
    expect(ka.payloadLength).toBe(0);
    expect(Number(ka.timestampNs - c.frames[4]!.timestampNs) / 1e9).toBeCloseTo(7200, 3);
    expect(c.last.ack).toBe(c.sndNxt('client'));
  });

  it('closes with FINs that consume one sequence number each', () => {
    const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
    c.handshake().close('server');
    expect(dump(c.frames.slice(3))).toBe(
      [
        '4 +0ms server AF seq=1 ack=1 len=0 ttl=64',
        '5 +0.01ms client AF seq=1 ack=2 len=0 ttl=64',
        '6 +1.01ms server A seq=2 ack=2 len=0 ttl=64',
      ].join('\n'),
    );
  });

  it('models the capture point in the timing of replies', () => {
    const at = (capturePoint: 'client' | 'server' | 'middle'): number[] => {
      const c = tcpConversation({ client: '10.0.0.1:1', server: '10.0.0.2:2', rtt: 0.1, gap: 0.001, capturePoint });
      c.handshake();
      return c.frames.map((f) => Number(f.timestampNs - c.frames[0]!.timestampNs) / 1e6);
    };
    expect(at('client')).toEqual([0, 100, 101]);
    expect(at('server')).toEqual([0, 1, 101]);
    expect(at('middle')).toEqual([0, 50, 100]);
  });

  it('drops frames the capture missed but keeps their sequence space', () => {
    const c = tcpConversation({ client: '10.0.0.1:1', server: '10.0.0.2:2' });
    c.handshake().clientSends('abc', { captured: false }).clientSends('def');
    expect(c.frames.length).toBe(4);
    expect(c.last.seq).toBe(1004);
  });

  it('speaks IPv6 with timestamps and window scale', () => {
    const c = tcpConversation({
      client: '[2001:db8::1]:40000',
      server: '[2001:db8::2]:443',
      timestamps: true,
      windowScale: 7,
      serverTtl: 58,
    });
    c.handshake().serverSends(new Uint8Array(2000));
    expect(c.ipVersion).toBe(6);
    // 1460 - 12 bytes of timestamps option per segment
    expect(c.frames.slice(3).map((f) => f.payloadLength)).toEqual([1448, 552]);
    expect(c.frames.every((f) => f.ipId === 0)).toBe(true);
    expect(c.frames[1]!.data.length).toBe(14 + 40 + 40);
  });

  it('merges conversations in time order, renumbered', () => {
    const a = tcpConversation({ client: '10.0.0.1:1', server: '10.0.0.2:80', start: 100 });
    const b = tcpConversation({ client: '10.0.0.3:1', server: '10.0.0.2:80', start: 100.0005 });
    a.handshake();
    b.handshake();
    const merged = mergeFrames(a, b);
    expect(merged.map((f) => f.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(merged.map((f) => f.data[29])).toEqual([1, 3, 2, 1, 2, 3]);
    expect(a.frames[0]!.number).toBe(1);
    expect(toPcap(merged).length).toBe(24 + 6 * 16 + merged.reduce((n, f) => n + f.data.length, 0));
    expect(toPcapng(a).length).toBeGreaterThan(0);
  });
});
