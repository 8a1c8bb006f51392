import { describe, expect, it } from 'vitest';
import { analyzeBytes, capturesIn, readTestdata } from '../../../test/support/captures.ts';
import { connectionJsonParts, connectionJsonPartsOf } from './connection-json.ts';

describe('connectionJsonParts', () => {
  it('writes every connection of the lab and regression captures as JSON.stringify does, from the object or the columns', async () => {
    let checked = 0;
    let withApp = 0;
    let withReplies = 0;
    for (const folder of ['lab', 'regressions']) {
      for (const file of capturesIn(folder)) {
        const { connections } = await analyzeBytes(file, readTestdata(folder, file));
        for (let id = 0; id < connections.length; id++) {
          const c = connections.get(id, false);
          const expected = JSON.stringify(c, null, 2).replace(/\n/g, '\n    ');
          const [before, after] = connectionJsonParts(c, '    ');
          expect(`${before}"resets": []${after}`).toBe(expected);
          // The same from the table's columns, without the object.
          const [fromColumns, rest] = connectionJsonPartsOf(connections, id, '    ');
          expect(`${fromColumns}"resets": []${rest}`).toBe(expected);
          checked++;
          if (c.app) withApp++;
          if (c.appReplies.length > 0) withReplies++;
        }
      }
    }
    // The captures hold the rarer shapes too: application context and reply lines.
    expect(checked).toBeGreaterThan(50);
    expect(withApp).toBeGreaterThan(0);
    expect(withReplies).toBeGreaterThan(0);
  });

  it('writes what JSON cannot hold as null, and escapes text', () => {
    const c = JSON.parse(JSON.stringify(minimal)) as typeof minimal;
    c.maxIdle = Number.NaN;
    c.end = Number.POSITIVE_INFINITY;
    c.appReplies = [{ frame: 3, from: 'server', protocol: 'http', code: 400, text: 'HTTP/1.1 400 "bad" \\ request' }];
    c.dir.client.rstFrames = [7, 9];
    const [before, after] = connectionJsonParts(c, '');
    expect(`${before}"resets": []${after}`).toBe(JSON.stringify(c, null, 2));
  });
});

const dir = {
  packets: 1, bytes: 0, ipBytes: 40, isn: null, baseSeq: 5, nextSeq: 6, highestAck: null, synFrame: null, finFrame: null,
  rstFrames: [] as number[], retransmissions: 0, keepalives: 0, zeroWindows: 0, dupAcks: 0, ttlMin: 64, ttlMax: 64,
  windowScale: -1, mss: 0, sackPermitted: false, timestamps: true,
};
const gaps = { presence: 'seen' as const, gaps: 0, gapBytes: 0, firstGapFrame: null, ackedUnseen: 1, firstAckedUnseenFrame: 2, beyondPeerWindow: 0, snapCut: 0, firstSnapCutFrame: null };
const minimal = {
  id: 0, client: { ip: '10.0.0.1', port: 1 }, server: { ip: '::1', port: 2 }, ipVersion: 4 as const, firstFrame: 1, lastFrame: 2,
  start: 0, end: 1e-7, packets: 2, bytes: { client: 0, server: 0 }, state: 'OTH', history: '^a', resets: [],
  handshake: { synToSynAck: null, synAckToAck: 0.5 }, maxIdle: 0, medianGap: 0, dir: { client: dir, server: { ...dir } },
  appReplies: [] as { frame: number; from: 'client' | 'server'; protocol: 'http' | 'ftp-smtp' | 'pop3'; code: number; text: string }[],
  completeness: { startedMidConnection: true, endedBeforeClose: false, client: gaps, server: { ...gaps } },
};
