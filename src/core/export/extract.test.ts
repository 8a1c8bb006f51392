/**
 * Extracts re-analysed by our own reader and read back by tshark: same frames, same flags, same
 * RSTs, exact timestamps, headers-only cut after the TCP header.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import type { AnalysisResult } from '../analyze-api.ts';
import { bytesSource } from '../capture/source.ts';
import { tcpFlags } from '../model/packet-table.ts';
import { TcpFlag } from '../model/types.ts';
import { mergeFrames, tcpConversation, writePcapng } from '../../../test/synth/index.ts';
import { itWith, readTestdata } from '../../../test/support/captures.ts';
import { extractBytes, extractFrames, selectRows } from './extract.ts';

const TSHARK = process.env.TSHARK ?? 'tshark';
const hasTshark = spawnSync(TSHARK, ['--version'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'resetscope-extract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open(folder: string, file: string) {
  const source = bytesSource(file, readTestdata(folder, file));
  return { source, result: await analyze(source) };
}

/** Flags and absolute times of the selected rows, as the original analysis saw them. */
function rowsSummary(result: AnalysisResult, rows: ArrayLike<number>) {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] ?? 0;
    out.push(`${result.packets.flags[r]} ${result.packets.seq[r]} ${result.packets.payloadLen[r]}`);
  }
  return out;
}

function tshark(bytes: Uint8Array, name: string, fields: string[]): string[][] {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const args = ['-r', file, '-n', '-o', 'tcp.relative_sequence_numbers:FALSE', '-T', 'fields'];
  for (const f of fields) args.push('-e', f);
  const r = spawnSync(TSHARK, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout.trimEnd().split('\n').filter(Boolean).map((l) => l.split('\t'));
}

const rstCount = (result: AnalysisResult, rows: ArrayLike<number>) =>
  Array.from(rows).filter((r) => (result.packets.flags[r] ?? 0) & TcpFlag.RST).length;

/**
 * The same capture in Kuznetzov's modified pcap format (magic a1b2cd34): each record header grows by
 * 8 bytes (ifindex, protocol, packet type, padding) after caplen and len.
 */
function toModifiedPcap(pcap: Uint8Array): Uint8Array {
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const parts: Uint8Array[] = [pcap.slice(0, 24)];
  new DataView(parts[0]!.buffer).setUint32(0, 0xa1b2cd34, true);
  for (let p = 24; p + 16 <= pcap.length; ) {
    const caplen = view.getUint32(p + 8, true);
    parts.push(pcap.subarray(p, p + 16), new Uint8Array(8), pcap.subarray(p + 16, p + 16 + caplen));
    p += 16 + caplen;
  }
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

describe('extractFrames', () => {
  it('reads the lengths from the longer record headers of a modified-format pcap', async () => {
    const original = readTestdata('lab', 'abort.pcap');
    const source = bytesSource('abort-modified.pcap', toModifiedPcap(original));
    const result = await analyze(source);
    const reference = await analyze(bytesSource('abort.pcap', original));
    expect(result.report.tcpPackets).toBe(reference.report.tcpPackets);
    const extract = await extractFrames(source, result, { connections: [0] });
    expect(extract.missing).toBe(0);
    const again = await analyze(bytesSource('extract', extractBytes(extract)));
    const all = Array.from({ length: again.packets.frame.length }, (_, i) => i);
    expect(rowsSummary(again, all)).toEqual(rowsSummary(reference, selectRows(reference, { connections: [0] })));
  });

  const cases: [string, string][] = [
    ['lab', 'abort.pcap'],
    ['lab', 'refused.pcap'],
    ['public', 'zeek-rlogin-long-line.pcapng.gz'],
    ['public', 'zeek-ldap-modify-request-126idb.pcapng'],
    ['public', 'derived-truncated-gzip-smb.pcap.gz'],
    ['public', 'tcpdump-tcp-handshake-nano-sll.pcap'],
  ];
  for (const [folder, file] of cases) {
    itWith(folder)(`one connection of ${file} re-analyses to the same packets`, async () => {
      const { source, result } = await open(folder, file);
      // The connection with a reset if any, else the busiest.
      const conns = result.connections.all();
      expect(conns.length).toBeGreaterThan(0);
      let id = 0;
      for (let c = 0; c < conns.length; c++) {
        const rows = selectRows(result, { connections: [c] });
        if (rstCount(result, rows) > 0) {
          id = c;
          break;
        }
        if (rows.length > selectRows(result, { connections: [id] }).length) id = c;
      }
      const rows = selectRows(result, { connections: [id] });
      const extract = await extractFrames(source, result, { connections: [id] });
      expect(extract.missing).toBe(0);
      expect(extract.frames).toBe(rows.length);
      const bytes = extractBytes(extract);
      const again = await analyze(bytesSource('extract', bytes));
      expect(again.connections.length).toBe(1);
      const allRows = Array.from({ length: again.packets.frame.length }, (_, i) => i);
      expect(rowsSummary(again, allRows)).toEqual(rowsSummary(result, rows));
      expect(rstCount(again, allRows)).toBe(rstCount(result, rows));
      // Exact times: the extract's relative times are the originals minus the first one.
      const t0 = result.packets.timeNs[rows[0] ?? 0] ?? 0;
      expect(Array.from(again.packets.timeNs)).toEqual(Array.from(rows, (r) => (result.packets.timeNs[r] ?? 0) - t0));

      if (hasTshark) {
        const lines = tshark(bytes, `${file}.extract.${extract.format}`, ['frame.number', 'tcp.flags', 'frame.time_epoch']);
        expect(lines.length).toBe(rows.length);
        const firstNs = BigInt(result.report.firstTime!.replace('.', '')) + BigInt(t0);
        const tsharkFirst = lines[0]![2]!;
        expect(BigInt(tsharkFirst.replace('.', '').padEnd(19, '0'))).toBe(firstNs);
      }
    });
  }

  itWith('public')('headersOnly keeps every frame, cut after its TCP header', async () => {
    const { source, result } = await open('public', 'zeek-ssh.pcap');
    const rows = selectRows(result, { connections: [0] });
    const extract = await extractFrames(source, result, { connections: [0] }, { headersOnly: true });
    const bytes = extractBytes(extract);
    const again = await analyze(bytesSource('extract', bytes));
    expect(again.packets.frame.length).toBe(rows.length);
    // The payload length comes from the IP header, so it survives the cut.
    expect(Array.from(again.packets.payloadLen)).toEqual(Array.from(rows, (r) => result.packets.payloadLen[r]));
    expect(extract.byteLength).toBeLessThan(extractBytes(await extractFrames(source, result, { connections: [0] })).length);
    if (hasTshark) {
      const lines = tshark(bytes, 'ssh-headers.pcap', ['frame.cap_len', 'frame.len', 'tcp.len']);
      expect(lines.length).toBe(rows.length);
      const withPayload = lines.filter((l) => Number(l[2]) > 0);
      expect(withPayload.length).toBeGreaterThan(0);
      for (const l of withPayload) expect(Number(l[0])).toBeLessThan(Number(l[1]));
    }
  });

  it('mixed link types give a pcapng tshark reads in full, in order', async () => {
    // Two interfaces, Ethernet and raw IP, one conversation on each, interleaved in time.
    const eth = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', start: 1_700_000_000_123_456_789n });
    eth.handshake().clientSends('GET / HTTP/1.1\r\n\r\n').rst('server');
    const raw = tcpConversation({ client: '10.9.0.1:40001', server: '10.9.0.2:443', link: 'raw', start: 1_700_000_000_123_456_800n });
    raw.handshake().clientSends('hello').close();
    const frames = mergeFrames(
      eth.frames.map((f) => ({ ...f, interfaceId: 0 })),
      raw.frames.map((f) => ({ ...f, interfaceId: 1 })),
    );
    const file = writePcapng(frames, { interfaces: [{ tsresol: 9, linkType: 1 }, { tsresol: 9, linkType: 101 }] });
    const source = bytesSource('mixed.pcapng', file);
    const result = await analyze(source);
    expect(result.connections.length).toBe(2);
    const extract = await extractFrames(source, result, { connections: [0, 1] });
    expect(extract.format).toBe('pcapng');
    expect(extract.frames).toBe(frames.length);
    const again = await analyze(bytesSource('extract', extractBytes(extract)));
    // Rows are grouped by connection: compare in frame (file) order.
    const inFrameOrder = (r: typeof result): number[] => Array.from(r.packets.frame.keys()).sort((a, b) => r.packets.frame[a]! - r.packets.frame[b]!);
    expect(inFrameOrder(again).map((i) => tcpFlags(again.packets, i))).toEqual(frames.map((f) => f.flags));
    expect(inFrameOrder(again).map((i) => again.packets.timeNs[i])).toEqual(inFrameOrder(result).map((i) => result.packets.timeNs[i]));
    if (hasTshark) {
      const lines = tshark(extractBytes(extract), 'mixed.pcapng', ['frame.number', 'frame.interface_id', 'tcp.flags']);
      expect(lines.length).toBe(frames.length);
      expect(lines.map((l) => Number(l[1]))).toEqual(frames.map((f) => f.interfaceId));
    }
  });

  it('a set of packet rows extracts exactly those frames', async () => {
    const { source, result } = await open('lab', 'abort.pcap');
    const extract = await extractFrames(source, result, { rows: [4, 1, 4, 2] });
    const again = await analyze(bytesSource('extract', extractBytes(extract)));
    expect(extract.frames).toBe(3);
    expect(Array.from(again.packets.seq)).toEqual([1, 2, 4].map((r) => result.packets.seq[r]));
  });
});
