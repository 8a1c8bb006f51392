import { describe, expect, it } from 'vitest';
import { analyzeBytes } from '../../test/support/captures.ts';
import { mergeFrames, tcpConversation, toPcap } from '../../test/synth/index.ts';
import { ExpertPages, MAX_EXPERT_PAGE } from './expert-pages.ts';

async function pages(): Promise<ExpertPages> {
  const a = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
  a.handshake().clientSends('hello', { delivered: false }).retransmit('client', { times: 3, rto: 0.2 }).rst('server');
  const b = tcpConversation({ client: '10.0.0.3:40001', server: '10.0.0.2:80', start: 1_700_000_000.3 });
  b.refuse();
  return new ExpertPages(await analyzeBytes('pages.pcap', toPcap(mergeFrames(a, b))));
}

describe('ExpertPages', () => {
  it('gives the counts first, then a kind page by page in frame order', async () => {
    const p = await pages();
    const first = p.page({ kind: 'retransmission', offset: 0, limit: 2 });
    expect(first.counts.map((c) => `${c.kind} ${c.count}`)).toEqual(['reset 2', 'retransmission 3', 'syn 2', 'syn-ack 1']);
    expect(first.total).toBe(3);
    expect(first.items.map((i) => [i.frame, i.connection, i.fromClient])).toEqual([
      [5, 0, true],
      [8, 0, true],
    ]);
    const second = p.page({ kind: 'retransmission', offset: 2, limit: 2 });
    expect(second.items.map((i) => i.frame)).toEqual([9]);
    expect(second.items[0]!.time).toBeGreaterThan(first.items[1]!.time);
  });

  it('lists every kind together by frame, and nothing for a kind it does not know', async () => {
    const p = await pages();
    const all = p.page({ kind: null, offset: 0, limit: 100 });
    expect(all.items.map((i) => `${i.frame} ${i.kind} c${i.connection}`)).toEqual([
      '1 syn c0',
      '2 syn-ack c0',
      '5 retransmission c0',
      '6 syn c1',
      '7 reset c1',
      '8 retransmission c0',
      '9 retransmission c0',
      '10 reset c0',
    ]);
    expect(p.page({ kind: 'nonsense' as 'syn', offset: 0, limit: 10 }).items).toEqual([]);
    expect(p.page({ kind: null, offset: -5, limit: 1e9 }).items.length).toBeLessThanOrEqual(MAX_EXPERT_PAGE);
  });
});
