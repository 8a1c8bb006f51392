import { existsSync, readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { NotACaptureError } from '../../src/core/capture/sink.ts';
import { endpointText } from '../../src/core/model/endpoint.ts';
import { analyzeBytes, capturePath, capturesIn, hasOracle, itWith, readOracle, readTestdata } from '../support/captures.ts';

/**
 * Every lab capture (test/captures/lab) and public capture (../shared/captures/public) against tshark's view of it (the *.oracle.json files, made by
 * shared/tools/tshark_oracle.py): the frame count, the TCP frame count, the RST frame numbers and
 * the number of TCP streams must agree. Adding a capture with its oracle adds a test.
 */
for (const folder of ['public', 'lab']) {
  describe(`${folder} captures agree with tshark`, () => {
    const it = itWith(folder);
    const files = capturesIn(folder).filter((f) => hasOracle(folder, f));
    it('has captures with an oracle', () => {
      expect(files.length).toBeGreaterThan(folder === 'lab' ? 15 : 50);
    });
    for (const file of files) {
      it(file, async () => {
        const oracle = readOracle(folder, file);
        const bytes = readTestdata(folder, file);
        let result;
        try {
          result = await analyzeBytes(file, bytes);
        } catch (e) {
          // tshark could not read a single frame: neither can we, and we say why in one line.
          expect(e).toBeInstanceOf(NotACaptureError);
          expect(oracle.packets).toBe(0);
          expect(oracle.tshark_errors).not.toBe('');
          expect((e as Error).message).not.toContain('\n');
          return;
        }
        const r = { ...result.report, connections: result.connections.all() };
        if (oracle.tshark_errors) {
          // tshark read only part of the file: we read at least as much, and warn.
          expect(r.packets).toBeGreaterThanOrEqual(oracle.packets);
          expect(r.warnings.length).toBeGreaterThan(0);
          if (r.packets > oracle.packets) return;
        }
        expect(r.packets).toBe(oracle.packets);
        expect(r.tcpPackets).toBe(oracle.tcp_packets);
        expect(r.connections.length).toBe(oracle.tcp_streams.length);
        const ours = r.connections.flatMap((c) => c.resets.map((v) => v.frame)).sort((a, b) => a - b);
        const rstFromTracker = r.connections
          .flatMap((c) => [...c.dir.client.rstFrames, ...c.dir.server.rstFrames])
          .sort((a, b) => a - b);
        const expected = oracle.rst_frames.map((f) => f.frame).sort((a, b) => a - b);
        expect(rstFromTracker).toEqual(expected);
        expect(ours).toEqual(expected);
        // Each stream starts at the frame tshark starts it at.
        const firstFrames = r.connections.map((c) => c.firstFrame).sort((a, b) => a - b);
        expect(firstFrames).toEqual(oracle.tcp_streams.map((s) => s.first_frame).sort((a, b) => a - b));
        // Each stream's two endpoints as the IP header names them (RFC 5952 for IPv6).
        const ends = (x: string, y: string) => [x, y].sort().join(' ');
        expect(r.connections.map((c) => ends(endpointText(c.client), endpointText(c.server))).sort())
          .toEqual(oracle.tcp_streams.map((st) => ends(st.a, st.b)).sort());
        // RST sender addresses as tshark prints them.
        for (const f of oracle.rst_frames) {
          const conn = r.connections.find((c) => [...c.dir.client.rstFrames, ...c.dir.server.rstFrames].includes(f.frame));
          const sender = conn?.dir.client.rstFrames.includes(f.frame) ? conn.client : conn?.server;
          expect(sender).toEqual({ ip: f.src, port: f.sport });
        }
      });
    }
  });
}

/**
 * Zeek's conn.log (copied from Zeek's own test baselines) against our `state` and `history`.
 * Known, explained difference: after a RST or FIN, Zeek opens a new conn.log entry for later packets
 * on the same 4-tuple, while Wireshark keeps one tcp.stream; we follow Wireshark's split (so the
 * connection count equals tshark's) and skip the entries Zeek split off (zeek-teredo.pcap).
 */
describe('conn_state agrees with Zeek', () => {
  const it = itWith('public');
  const logs = capturesIn('public').filter((f) => existsSync(capturePath('public', `${f}.zeek-conn.log`)));
  it('has Zeek conn.log baselines', () => {
    expect(logs.length).toBeGreaterThan(5);
  });
  for (const file of logs) {
    it(file, async () => {
      const text = readFileSync(capturePath('public', `${file}.zeek-conn.log`), 'utf8');
      const lines = text.split('\n');
      const header = lines.find((l) => l.startsWith('#fields'));
      const result = await analyzeBytes(file, readTestdata('public', file));
      const r = { ...result.report, connections: result.connections.all() };
      if (!header) {
        // Baselines cut to `uid service history`: compare the history of the single connection.
        const rows = lines.slice(2).filter((l) => l.trim() !== '');
        expect(rows.length).toBe(r.connections.length);
        for (const [i, row] of rows.entries()) {
          const zeekHistory = row.split('\t')[2]!.replace(/[XGIC]/g, '');
          expect(r.connections[i]!.history).toBe(zeekHistory);
        }
        return;
      }
      const fields = header.split('\t').slice(1);
      const rows = lines
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => Object.fromEntries(l.split('\t').map((v, i) => [fields[i], v] as const)))
        .filter((row) => row['proto'] === 'tcp');
      let compared = 0;
      for (const row of rows) {
        const matches = r.connections.filter(
          (c) =>
            c.client.ip === row['id.orig_h'] && c.client.port === Number(row['id.orig_p']) &&
            c.server.ip === row['id.resp_h'] && c.server.port === Number(row['id.resp_p']),
        );
        const zeekSplit = rows.filter((x) => x['id.orig_p'] === row['id.orig_p'] && x['id.orig_h'] === row['id.orig_h']).length > 1;
        if (zeekSplit && matches.length < rows.filter((x) => x['id.orig_p'] === row['id.orig_p'] && x['id.orig_h'] === row['id.orig_h']).length) continue;
        if (matches.length === 0) continue; // a tunnelled flow tshark does not decode either
        compared++;
        expect(matches.map((c) => c.state)).toContain(row['conn_state']);
      }
      expect(compared).toBe(rows.length === 0 ? 0 : compared || -1);
    });
  }
});
