/**
 * A shared connection keeps its sender's tcp.stream (list, filter, exports, command line) and counts
 * its times from the start of the capture it was shared from; the link's `start` is optional (older
 * links have none) and read defensively.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import type { AnalysisResult } from '../analyze-api.ts';
import { bytesSource } from '../capture/source.ts';
import { adoptSharedVerdicts } from '../classify/shared-verdicts.ts';
import { compileFilter, listFilterSource, parseFilter, tableFilterSource } from '../filter/index.ts';
import { listOf, listRow } from '../model/list-columns.ts';
import { sharedStreamOf, streamNumber } from '../model/stream-number.ts';
import { formatReportChunks } from '../../cli/format.ts';
import { tcpConversation, toPcapng } from '../../../test/synth/index.ts';
import { connectionsCsvChunks } from './connections-csv.ts';
import { extractBytes, extractFrames } from './extract.ts';
import { markdownReport } from './report-markdown.ts';
import { formatSharedLink, isStart, parseSharedLink, sharedLinkOf, sharedLinkSentence, type SharedLinkMeta } from './shared-link.ts';

const META: SharedLinkMeta = { version: 1, file: 'a.pcap', fingerprint: null, frames: 100, stream: 7, packets: 4, verdicts: [], findings: [], omitted: 0 };

/** A link of one synthetic connection (first frame at 1,700,000,000 s) with `meta`'s header. */
async function link(meta: Partial<SharedLinkMeta> & Record<string, unknown>, connections = 1): Promise<AnalysisResult> {
  const frames = [];
  for (let i = 0; i < connections; i++) {
    const conv = tcpConversation({ client: `10.0.0.1:${40000 + i}`, server: '10.0.0.2:80', start: 1_700_000_000 + i });
    conv.handshake().clientSends(new Uint8Array(10)).rst('server');
    frames.push(...conv.frames);
  }
  const numbered = frames.map((f, i) => ({ ...f, comment: `frame ${50 + i} of a.pcap` }));
  const comment = JSON.stringify({ resetscope: 'shared-connection', ...META, ...meta });
  return analyze(bytesSource('s', toPcapng(numbered, { section: { comment } })));
}

const matches = (r: AnalysisResult, filter: string): number[] => {
  const parsed = parseFilter(filter);
  if (!parsed.ok) throw new Error(filter);
  const keep = compileFilter(parsed.expr, tableFilterSource(r.connections));
  return [...Array(r.connections.length).keys()].filter(keep);
};

describe('the start of the capture a link comes from', () => {
  it('round-trips, and a link without it reads as before', () => {
    const withStart = { ...META, start: '1699999990.250000000' };
    expect(parseSharedLink(formatSharedLink(withStart))).toEqual({ ok: true, meta: withStart });
    const read = parseSharedLink(formatSharedLink(META));
    expect(read).toEqual({ ok: true, meta: META });
    expect(read?.ok && 'start' in read.meta).toBe(false);
  });

  it('drops a start that is not seconds with 9 decimals, and keeps the rest of the link', () => {
    for (const start of [1699999990.25, '1699999990.25', '1e9.000000000', '-1.000000000', '1234567890123.000000000', ' 1.000000000', '1.000000000\n', null, [], { sec: 1 }]) {
      const read = parseSharedLink(JSON.stringify({ resetscope: 'shared-connection', ...META, start }));
      expect(read, String(start)).toEqual({ ok: true, meta: META });
    }
    expect(isStart('0.000000000')).toBe(true);
  });

  it('counts the link’s times from it', async () => {
    const r = await link({ start: '1699999997.500000000' });
    expect(r.report.firstTime).toBe('1699999997.500000000');
    expect(r.packets.timeNs[0]).toBe(2.5e9);
    const conn = r.connections.get(0);
    expect(conn.start).toBeCloseTo(2.5, 9);
    expect(conn.resets[0]!.time).toBeGreaterThan(2.5);
    expect(r.report.duration).toBeCloseTo(conn.end, 9);
  });

  it('is not believed after the first frame or more than 100 days before it: times count from that frame', async () => {
    for (const start of ['1700000000.000000001', '1691000000.000000000']) {
      const r = await link({ start });
      expect(r.report.firstTime, start).toBe('1700000000.000000000');
      expect(r.packets.timeNs[0]).toBe(0);
    }
    const old = await link({});
    expect(old.report.firstTime).toBe('1700000000.000000000');
    // Exactly the first frame, and 99 days before it, are believed.
    expect((await link({ start: '1700000000.000000000' })).packets.timeNs[0]).toBe(0);
    expect((await link({ start: '1691446400.000000000' })).packets.timeNs[0]).toBe(99 * 86_400 * 1e9);
  });
});

describe('the sender’s tcp.stream', () => {
  it('numbers the one connection of a link in the list, the filter, the exports and the command line', async () => {
    const r = await link({ stream: 7 });
    expect(r.connections.length).toBe(1);
    expect(r.connections.sharedStream).toBe(7);
    expect(matches(r, 'tcp.stream == 7')).toEqual([0]);
    expect(matches(r, 'tcp.stream == 0')).toEqual([]);
    expect(matches(r, 'tcp.stream in {6 7} && tcp.port == 80')).toEqual([0]);
    const list = listOf(r.connections.heads(), r.connections.length);
    list.sharedStream = r.connections.sharedStream;
    expect(listRow(list, 0)).toMatchObject({ id: 0, stream: 7 });
    const parsed = parseFilter('tcp.stream eq 7');
    expect(parsed.ok && compileFilter(parsed.expr, listFilterSource(list))(0)).toBe(true);
    const csv = [...connectionsCsvChunks(r.connections, [0])].join('').split('\r\n');
    expect(csv[1]!.split(',')[0]).toBe('7');
    const md = markdownReport(r);
    expect(md).toContain('### Connection 7:');
    expect(md).toContain('tcp.stream eq 7');
    expect([...formatReportChunks(r)].join('')).toContain('  #7 10.0.0.1:40000 -> 10.0.0.2:80');
  });

  it('is not claimed by any connection when a link holds more than one', async () => {
    const r = await link({ stream: 7 }, 2);
    expect(r.connections.length).toBe(2);
    expect(r.connections.sharedStream).toBeNull();
    expect(matches(r, 'tcp.stream == 7')).toEqual([]);
    expect(matches(r, 'tcp.stream == 1')).toEqual([1]);
  });

  it('is the id in any other capture', () => {
    expect(streamNumber(null, 0)).toBe(0);
    expect(streamNumber({ sharedStream: null }, 0)).toBe(0);
    expect(streamNumber({ sharedStream: 9 }, 0)).toBe(9);
    expect(streamNumber({ sharedStream: 9 }, 1)).toBe(1);
    expect(sharedStreamOf(undefined, 1)).toBeNull();
    expect(sharedStreamOf({ stream: 3 }, 1)).toBe(3);
    expect(sharedStreamOf({ stream: 3 }, 0)).toBeNull();
  });
});

describe('a connection of the demo shared with its capture’s start', () => {
  let demo: AnalysisResult;
  beforeAll(async () => {
    demo = await analyze(bytesSource('demo.pcap', new Uint8Array(readFileSync(join(__dirname, '../../../public/demo/demo.pcap')))));
  });

  it('shows the sender’s times and stream, and keeps both when shared again', async () => {
    const id = [...Array(demo.connections.length).keys()].find((c) => demo.connections.get(c).resets.some((v) => v.frame === 547))!;
    expect(id).toBeGreaterThan(0);
    const conn = demo.connections.get(id);
    const write = async (from: AnalysisResult, bytesFrom: Uint8Array | null, meta: SharedLinkMeta, cid: number) => {
      const source = bytesSource('x', bytesFrom ?? new Uint8Array(readFileSync(join(__dirname, '../../../public/demo/demo.pcap'))));
      const extract = await extractFrames(source, from, { connections: [cid] }, { headersOnly: true, shared: { fileName: meta.file, sectionComments: [sharedLinkSentence(meta), formatSharedLink(meta)] } });
      return extractBytes(extract);
    };
    const meta = sharedLinkOf(demo.report, conn, { file: 'demo.pcap', fingerprint: null, packets: conn.packets, start: demo.report.firstTime });
    expect(meta.start).toBe(demo.report.firstTime);
    const bytes = await write(demo, null, meta, id);
    const back = await analyze(bytesSource('x', bytes));
    adoptSharedVerdicts(back, back.sharedLink!);
    expect(back.report.firstTime).toBe(demo.report.firstTime);
    expect(back.connections.sharedStream).toBe(id);
    const got = back.connections.get(0);
    expect(got.start).toBeCloseTo(conn.start, 9);
    expect(got.end).toBeCloseTo(conn.end, 9);
    expect(got.resets.map((v) => [v.frame, v.time])).toEqual(conn.resets.map((v) => [v.frame, expect.closeTo(v.time, 9)]));
    // Shared again, from the recipient's page: the same stream and start.
    const again = sharedLinkOf(back.report, got, { file: 'demo.pcap', fingerprint: null, packets: got.packets, frames: 572, stream: streamNumber(back.connections, 0), start: back.report.firstTime });
    expect(again).toMatchObject({ stream: id, start: demo.report.firstTime });
    const third = await analyze(bytesSource('y', await write(back, bytes, again, 0)));
    expect(third.report.firstTime).toBe(demo.report.firstTime);
    expect(third.connections.sharedStream).toBe(id);
  });
});
