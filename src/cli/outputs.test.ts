import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rstFloodPcap } from '../../bench/rst-flood.ts';
import { analyzeBytes } from '../../test/support/captures.ts';
import { exportDocument } from '../core/export/documents.ts';
import type { ReportDocument as Report } from '../core/model/types.ts';
import { csvField } from '../core/export/connections-csv.ts';
import { mdText } from '../core/export/report-markdown.ts';
import { run } from './run.ts';
import { tableExpertContext } from '../core/expert/context.ts';
import { collectExpertItems, EXPERT_KINDS } from '../core/expert/expert.ts';
import { isFromClient } from '../core/model/packet-table.ts';
import { runCli } from '../../test/support/cli.ts';

const DEMO = join(import.meta.dirname, '..', '..', 'public', 'demo', 'demo.pcap');

const cli = (...argv: string[]) => runCli(argv, run);

/** RFC 4180 rows (quoted fields with "" escapes, CRLF line ends). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field).toBe('');
  return rows;
}

describe('--format and --filter', () => {
  it('--format json is --json, byte for byte', async () => {
    const a = await cli(DEMO, '--json');
    const b = await cli(DEMO, '--format', 'json');
    const c = await cli(DEMO, '--format=json');
    expect(a.code).toBe(0);
    expect(b.out).toBe(a.out);
    expect(c.out).toBe(a.out);
  });

  it('--filter keeps the matching connections in the JSON report, the rest of it unchanged', async () => {
    const all = JSON.parse((await cli(DEMO, '--json')).out) as Report;
    const { code, out } = await cli(DEMO, '--json', '--filter', 'rst.scenario == port-scan or tcp.stream == 0');
    expect(code).toBe(0);
    const kept = JSON.parse(out) as Report;
    const want = all.connections.filter((c) => c.id === 0 || c.resets.some((r) => r.scenario === 'port-scan'));
    expect(want.length).toBeGreaterThan(1);
    expect(kept.connections).toEqual(want);
    expect(kept.summary).toEqual(all.summary);
  });

  it('exits 2 on a bad filter, pointing at the token', async () => {
    const { code, out, err } = await cli(DEMO, '--filter', 'tcp.port == http');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe('resetscope: bad filter: "http" is not a port number\n  tcp.port == http\n              ^^^^ "http" is not a port number\n');
    expect((await cli(DEMO, '--filter')).code).toBe(2);
    expect(await cli(DEMO, '--format', 'xml')).toMatchObject({ code: 2, err: expect.stringMatching(/^--format takes text, json, csv, md, not "xml"\nusage:/) });
  });

  it('--format csv lists the connections, one row each, as the report has them', async () => {
    const report = JSON.parse((await cli(DEMO, '--json')).out) as Report;
    const { code, out } = await cli(DEMO, '--format', 'csv');
    expect(code).toBe(0);
    const [header, ...rows] = parseCsv(out);
    expect(header).toEqual(['stream', 'client', 'client_port', 'server', 'server_port', 'service', 'state', 'history', 'packets', 'bytes_client', 'bytes_server', 'start_s', 'duration_s', 'rtt_s', 'resets', 'scenarios', 'severities', 'reset_frames', 'first_frame', 'last_frame']);
    expect(rows).toHaveLength(report.connections.length);
    for (const [i, c] of report.connections.entries()) {
      const row = Object.fromEntries(header!.map((h, k) => [h, rows[i]![k]!]));
      expect(row).toMatchObject({ stream: String(c.id), client: c.client.ip, client_port: String(c.client.port), server: c.server.ip, state: c.state, packets: String(c.packets), resets: String(c.resets.length), first_frame: String(c.firstFrame) });
      expect(row.reset_frames).toBe(c.resets.map((r) => r.frame).join(' '));
      const rtt = c.handshake.synToSynAck !== null && c.handshake.synAckToAck !== null ? c.handshake.synToSynAck + c.handshake.synAckToAck : null;
      if (rtt === null) expect(row.rtt_s).toBe('');
      else expect(Number(row.rtt_s)).toBeCloseTo(rtt, 6);
    }
    const filtered = parseCsv((await cli(DEMO, '--format', 'csv', '--filter', 'conn.state == REJ')).out);
    expect(filtered.length - 1).toBe(report.connections.filter((c) => c.state === 'REJ').length);
    expect(filtered.slice(1).every((r) => r[6] === 'REJ')).toBe(true);
  });

  it('--format md writes the verdict, the findings and every reset with its frames', async () => {
    const report = JSON.parse((await cli(DEMO, '--json')).out) as Report;
    const { code, out } = await cli(DEMO, '--format', 'md');
    expect(code).toBe(0);
    expect(out).toMatch(/^# Resets in demo\.pcap\n/);
    expect(out).toContain('## Verdict');
    expect(out).toContain('## Findings');
    const resets = report.connections.flatMap((c) => c.resets);
    expect(resets.length).toBeGreaterThan(10);
    for (const r of resets) {
      expect(out).toContain(`#### Frame ${r.frame}: \`${r.scenario}\` (${r.severity}, confidence ${Math.round(r.confidence * 100)}%)`);
      expect(out).toContain(`\`frame.number == ${r.frame}\``);
    }
    const md = (await cli(DEMO, '--format', 'md', '--filter', 'rst.scenario == port-scan')).out;
    expect(md).toContain('- **Filter:** `rst.scenario == port-scan`');
    const headings = md.match(/^#### Frame \d+: `([\w-]+)`/gm) ?? [];
    expect(headings.length).toBeGreaterThan(0);
    expect(headings.length).toBe(report.connections.filter((c) => c.resets.some((r) => r.scenario === 'port-scan')).reduce((n, c) => n + c.resets.length, 0));
  });

  it("--filter reads Wireshark's tcp.analysis fields from the expert list", async () => {
    const result = await analyzeBytes('demo.pcap', new Uint8Array(readFileSync(DEMO)));
    const items = collectExpertItems(result.packets, result.connStart, tableExpertContext(result.connections));
    const withKind = (kinds: string[], fromServer?: boolean) => {
      const ids = new Set<number>();
      for (let i = 0; i < items.count; i++) {
        if (!kinds.includes(EXPERT_KINDS[items.kind[i]!]!.id)) continue;
        if (fromServer !== undefined && isFromClient(result.packets, items.row[i]!) === fromServer) continue;
        ids.add(items.conn[i]!);
      }
      return [...ids].sort((a, b) => a - b).map(String);
    };
    const streams = async (filter: string) => parseCsv((await cli(DEMO, '--format', 'csv', '--filter', filter)).out).slice(1).map((r) => r[0]!);
    const retransmitted = withKind(['retransmission', 'fast-retransmission', 'spurious-retransmission']);
    expect(retransmitted.length).toBeGreaterThan(1);
    expect(await streams('tcp.analysis.retransmission')).toEqual(retransmitted);
    // The server's retransmissions only: the packet's source is the server.
    const server = withKind(['retransmission', 'fast-retransmission', 'spurious-retransmission'], true);
    expect(server.length).toBeLessThan(retransmitted.length);
    expect(await streams('tcp.analysis.retransmission && ip.src == 10.99.2.2')).toEqual(server);
    expect(await streams('conn.expert == out-of-window')).toEqual(withKind(['out-of-window']));
    // A comparison is an error, as in Wireshark (an FT_NONE field has no value).
    const { code, err } = await cli(DEMO, '--filter', 'tcp.analysis.retransmission == 1');
    expect(code).toBe(2);
    expect(err).toMatch(/marks packets and has no value/);
  });

  it('--filter limits the readable summary too', async () => {
    const { out } = await cli(DEMO, '--filter', 'tcp.stream in {3, 4}');
    expect(out.match(/^ {2}#\d+ /gm)).toEqual(['  #4 ']);
  });
});

describe("the page's JSON export", () => {
  it('is the command line\'s --json, byte for byte, runs of identical resets included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'resetscope-export-'));
    const flood = join(dir, 'flood.pcap.gz');
    writeFileSync(flood, gzipSync(rstFloodPcap(300)));
    for (const path of [DEMO, flood]) {
      const { code, out } = await cli(path, '--json');
      expect(code).toBe(0);
      const result = await analyzeBytes(path.split('/').pop()!, new Uint8Array(readFileSync(path)));
      const page = exportDocument(result, { kind: 'json', ids: [0] }).parts.join('');
      expect(page).toBe(out);
    }
    // The flood's repeats are written compactly (`repeatOf`), as main's writer does.
    expect((await cli(flood, '--json')).out).toContain('"repeatOf"');
  });
});

describe('escaping', () => {
  it('quotes CSV fields that need it and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=cmd()')).toBe("'=cmd()");
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
  });

  it('escapes Markdown in text from the capture', () => {
    expect(mdText('[click](http://x) <b>*hi*</b>\nnext')).toBe('\\[click\\]\\(http://x\\) \\<b\\>\\*hi\\*\\</b\\> next');
  });
});

describe('JSON bytes on stdout', () => {
  it('writes the same report whether stdout keeps each piece or hands it back to be written over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'resetscope-json-'));
    const flood = join(dir, 'flood.pcap');
    // Enough resets for a report of several pieces (a megabyte each).
    writeFileSync(flood, rstFloodPcap(20_000));
    const text = await cli(flood, '--json');
    expect(text.code).toBe(0);
    const kept: Uint8Array[] = [];
    const keeping = await run([flood, '--json'], { out: () => undefined, outBytes: (b) => void kept.push(b), err: () => undefined });
    const decoder = new TextDecoder();
    const copies: string[] = [];
    const buffers = new Set<ArrayBufferLike>();
    const handing = await run([flood, '--json'], {
      out: () => undefined,
      outBytes: (b) => {
        copies.push(decoder.decode(b, { stream: true }));
        buffers.add(b.buffer);
        return true;
      },
      err: () => undefined,
    });
    expect([keeping, handing]).toEqual([0, 0]);
    expect(kept.length).toBeGreaterThan(2);
    // Pieces kept are each their own; pieces handed back were written into one buffer, in turn.
    expect(new Set(kept.map((b) => b.buffer)).size).toBe(kept.length);
    expect(buffers.size).toBeLessThan(copies.length);
    const whole = new Uint8Array(kept.reduce((n, b) => n + b.length, 0));
    kept.reduce((at, b) => (whole.set(b, at), at + b.length), 0);
    expect(new TextDecoder().decode(whole)).toBe(text.out);
    expect(copies.join('')).toBe(text.out);
  });
});
