import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { endpointText } from '../../src/core/model/endpoint.ts';
import { analyzeBytes, capturePath, capturesIn, hasOracle, itWith, readTestdata } from '../support/captures.ts';

/**
 * Every capture of `../shared/captures/realworld` (other projects' test suites, never copied into
 * this repository; when the folder is absent a skipped test says the corpus was not checked) against tshark's view of it (its *.oracle.json): frames, TCP frames, RST frames,
 * the streams with their first frame, endpoints and packet count. Where we differ from tshark on
 * purpose, the case is listed below with the reason.
 */

interface RealworldOracle {
  packets: number;
  tcp_packets: number;
  rst_frames: { frame: number; src: string; sport: number }[];
  tcp_streams: { a: string; b: string; first_frame: number; packets: number }[];
  tshark_errors: string;
}

/**
 * Files tshark 4.0 refuses outright ("network type N unknown or unsupported": Broadcom and DSA
 * switch tags, Juniper, VTP-looking link types, a corrupt link type) and so reports 0 frames. We
 * read their frames, keep their numbers, and warn that the link type is not decoded: nothing is
 * said about TCP in them, which is right for every one of these (none carries TCP tshark could see).
 */
function tsharkRefusedLinkType(o: RealworldOracle): boolean {
  return o.packets === 0 && /network type \d+ unknown or unsupported/.test(o.tshark_errors);
}

/** tshark's stderr says more than dissector warnings (which leave the frames and TCP intact). */
function tsharkStoppedReading(o: RealworldOracle): boolean {
  return o.tshark_errors.split('\n').some((line) => line.trim() !== '' && !line.includes('[Epan WARNING]'));
}

const files = capturesIn('realworld').filter((f) => hasOracle('realworld', f));

describe('real-world captures agree with tshark', () => {
  const it = itWith('realworld');
  it('has the corpus', () => {
    expect(files.length).toBeGreaterThan(500);
  });
  for (const file of files) {
    it(file, async () => {
      const o = JSON.parse(readFileSync(capturePath('realworld', `${file}.oracle.json`), 'utf8')) as RealworldOracle;
      const result = await analyzeBytes(file, readTestdata('realworld', file));
      const r = { ...result.report, connections: result.connections.all() };
      if (tsharkRefusedLinkType(o)) {
        expect(r.tcpPackets).toBe(0);
        expect(r.warnings.map((w) => w.code)).toContain('unsupported-link');
        return;
      }
      if (tsharkStoppedReading(o)) {
        // tshark stopped part-way (a truncated or corrupt file): we read at least as much, and warn.
        expect(r.packets).toBeGreaterThanOrEqual(o.packets);
        expect(r.warnings.length).toBeGreaterThan(0);
        if (r.packets > o.packets) return;
      }
      expect(r.packets).toBe(o.packets);
      expect(r.tcpPackets).toBe(o.tcp_packets);
      const rsts = r.connections.flatMap((c) => [...c.dir.client.rstFrames, ...c.dir.server.rstFrames]).sort((a, b) => a - b);
      expect(rsts).toEqual(o.rst_frames.map((f) => f.frame).sort((a, b) => a - b));
      // Each stream: its first frame, its two endpoints and its packet count.
      const ends = (x: string, y: string) => [x, y].sort().join(' ');
      const ours = r.connections.map((c) => `${c.firstFrame} ${ends(endpointText(c.client), endpointText(c.server))} ${c.packets}`).sort();
      const theirs = o.tcp_streams.map((s) => `${s.first_frame} ${ends(s.a, s.b)} ${s.packets}`).sort();
      expect(ours).toEqual(theirs);
      // No frame of a link type or encapsulation we cannot decode goes unmentioned.
      if (r.skipped['unsupported link type'] || r.skipped['MPLS payload not IP (pseudowire or other)']) {
        expect(r.warnings.some((w) => w.code === 'unsupported-link' || w.code === 'unsupported-encapsulation')).toBe(true);
      }
    });
  }
});
