import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concatChunks } from '../src/core/capture/bytes.ts';
import { generateCapture, parseSize, SCENARIO_IDS, type CaptureFormat, type Mix } from './generate.ts';

const hasTshark = spawnSync('tshark', ['--version']).status === 0;
if (!hasTshark) console.warn('tshark not found: the generator read-back test is skipped');
const dir = mkdtempSync(join(tmpdir(), 'resetscope-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generate(targetBytes: number, format: CaptureFormat, seed = 1, mix: Mix = 'bench', targetConnections?: number) {
  const chunks: Uint8Array[] = [];
  const summary = generateCapture({ targetBytes, format, seed, mix, targetConnections, onChunk: (c) => chunks.push(c), chunkSize: 1 << 16 });
  return { bytes: concatChunks(chunks), summary };
}

/** Frame lengths and TCP flags of a classic pcap of Ethernet/IPv4/TCP, read back independently of the core. */
function frames(bytes: Uint8Array): { lengths: number[]; flags: number[]; tuples: Set<string> } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(v.getUint32(0, true)).toBe(0xa1b2c3d4);
  const lengths: number[] = [];
  const flags: number[] = [];
  const tuples = new Set<string>();
  for (let p = 24; p < bytes.length; ) {
    const incl = v.getUint32(p + 8, true);
    const f = p + 16;
    lengths.push(incl);
    expect(v.getUint16(f + 12)).toBe(0x0800);
    expect(bytes[f + 23]).toBe(6);
    const t = f + 14 + (bytes[f + 14]! & 15) * 4;
    flags.push(bytes[t + 13]!);
    const a = `${v.getUint32(f + 26)}:${v.getUint16(t)}`;
    const b = `${v.getUint32(f + 30)}:${v.getUint16(t + 2)}`;
    tuples.add(a < b ? `${a}-${b}` : `${b}-${a}`);
    p = f + incl;
  }
  return { lengths, flags, tuples };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('generateCapture', () => {
  it('is deterministic per seed and writes what it says', () => {
    const a = generate(1_500_000, 'pcap');
    const b = generate(1_500_000, 'pcap');
    const c = generate(1_500_000, 'pcap', 2);
    expect(a.bytes.length).toBe(a.summary.bytes);
    expect(a.bytes.length).toBeGreaterThanOrEqual(1_500_000);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(Buffer.from(a.bytes).equals(Buffer.from(c.bytes))).toBe(false);
  });

  it('has every reset scenario, IPv6 and many connections in a few megabytes', () => {
    const { summary } = generate(3_000_000, 'pcapng');
    expect(Object.keys(summary.resetsByScenario).sort()).toEqual([...SCENARIO_IDS].sort());
    expect(summary.ipv6Connections).toBeGreaterThan(0);
    expect(summary.connections).toBeGreaterThan(100);
  });

  it.skipIf(!hasTshark)('labels RST frames by their frame number, as tshark numbers them', () => {
    for (const format of ['pcap', 'pcapng'] as const) {
      const { bytes, summary } = generate(1_000_000, format);
      const file = join(dir, `gen.${format}`);
      writeFileSync(file, bytes);
      const r = spawnSync('tshark', ['-r', file, '-n', '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.flags.reset', '-e', 'tcp.checksum.status'], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      expect(r.status).toBe(0);
      const rows = r.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
      expect(rows.length).toBe(summary.packets);
      expect(rows.every((row) => row[2] === '1')).toBe(true);
      const resets = rows.filter((row) => row[1] === '1' || row[1] === 'True').map((row) => Number(row[0]));
      expect(summary.labels.map((l) => l.frame)).toEqual(resets.filter((f) => summary.labels.some((l) => l.frame === f)));
      expect(summary.labels.length).toBe(resets.length);
    }
  });

  it('keeps the bench mix when asked for it by name', () => {
    const a = generate(1_000_000, 'pcapng');
    const b = generate(1_000_000, 'pcapng', 1, 'bench');
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(b.summary.mix).toBe('bench');
  });

  describe('plain mix (gen_capture.py\'s shape)', () => {
    const { bytes, summary } = generate(6_000_000, 'pcap', 1, 'plain');
    const f = frames(bytes);

    it('writes what it says, deterministically per seed', () => {
      expect(bytes.length).toBe(summary.bytes);
      expect(f.lengths.length).toBe(summary.packets);
      expect(f.tuples.size).toBe(summary.connections);
      expect(Buffer.from(generate(6_000_000, 'pcap', 1, 'plain').bytes).equals(Buffer.from(bytes))).toBe(true);
      expect(Buffer.from(generate(6_000_000, 'pcap', 2, 'plain').bytes).equals(Buffer.from(bytes))).toBe(false);
    });

    it('has ~845-byte frames on average, ~5 % of connections ending in a RST and few connections per GB', () => {
      expect(mean(f.lengths)).toBeGreaterThan(750);
      expect(mean(f.lengths)).toBeLessThan(950);
      const rsts = f.flags.filter((x) => x & 0x04).length;
      expect(rsts).toBe(summary.labels.length);
      expect(rsts / summary.connections).toBeGreaterThan(0.03);
      expect(rsts / summary.connections).toBeLessThan(0.08);
      // gen_capture.py: ~22,000 connections per GB.
      const perGB = (summary.connections / summary.bytes) * 1e9;
      expect(perGB).toBeGreaterThan(12_000);
      expect(perGB).toBeLessThan(40_000);
    });

    it('interleaves its connections', () => {
      // Of the first 2,000 packets, consecutive ones mostly belong to different connections.
      const v = new DataView(bytes.buffer, bytes.byteOffset);
      let p = 24;
      let previous = '';
      let switches = 0;
      for (let i = 0; i < 2000; i++) {
        const incl = v.getUint32(p + 8, true);
        const key = `${v.getUint32(p + 16 + 26) ^ v.getUint32(p + 16 + 30)}:${v.getUint16(p + 16 + 34) ^ v.getUint16(p + 16 + 36)}`;
        if (key !== previous) switches++;
        previous = key;
        p += 16 + incl;
      }
      expect(switches).toBeGreaterThan(1000);
    });
  });

  describe('small-frame mix', () => {
    const { bytes, summary } = generate(3_000_000, 'pcap', 1, 'small');
    const f = frames(bytes);

    it('is mostly 60-100-byte frames: handshakes, ACKs, small segments and scans', () => {
      expect(f.lengths.length).toBe(summary.packets);
      const inRange = f.lengths.filter((n) => n >= 60 && n <= 100).length;
      expect(inRange / f.lengths.length).toBeGreaterThan(0.95);
      expect(Math.min(...f.lengths)).toBe(60);
      expect(mean(f.lengths)).toBeLessThan(90);
      const share = (mask: number, value: number): number => f.flags.filter((x) => (x & mask) === value).length / f.flags.length;
      expect(share(0x12, 0x02)).toBeGreaterThan(0.03); // SYNs
      expect(share(0x1f, 0x10)).toBeGreaterThan(0.2); // bare ACKs
      expect(summary.resetsByScenario['port-scan']).toBeGreaterThan(0);
      expect(summary.resetsByScenario.refused).toBeGreaterThan(0);
      expect(f.tuples.size).toBe(summary.connections);
    });
  });

  describe('connections mix', () => {
    it('stops at the number of connections asked for', () => {
      const { bytes, summary } = generate(1e12, 'pcap', 1, 'conns', 5000);
      const f = frames(bytes);
      expect(summary.connections).toBe(5000);
      expect(f.tuples.size).toBe(5000);
      expect(summary.packets / summary.connections).toBeLessThan(6);
      expect(summary.resetsByScenario.refused).toBeGreaterThan(0);
    });
  });

  it.skipIf(!hasTshark)('writes frames that tshark reads with good checksums, in every new mix and format', () => {
    for (const mix of ['plain', 'small', 'conns'] as const) {
      for (const format of ['pcap', 'pcapng'] as const) {
        const { bytes, summary } = generate(400_000, format, 1, mix, mix === 'conns' ? 2000 : undefined);
        const file = join(dir, `${mix}.${format}`);
        writeFileSync(file, bytes);
        const r = spawnSync(
          'tshark',
          ['-r', file, '-n', '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.flags.reset', '-e', 'tcp.checksum.status', '-e', 'ip.checksum.status', '-e', 'tcp.stream'],
          { encoding: 'utf8', maxBuffer: 1 << 28 },
        );
        expect(r.status).toBe(0);
        const rows = r.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
        expect(rows.length, `${mix} ${format}`).toBe(summary.packets);
        expect(rows.every((row) => row[2] === '1' && row[3] === '1'), `${mix} ${format}: checksums`).toBe(true);
        const resets = rows.filter((row) => row[1] === '1' || row[1] === 'True').map((row) => Number(row[0]));
        expect(summary.labels.map((l) => l.frame)).toEqual(resets);
        expect(new Set(rows.map((row) => row[4])).size).toBe(summary.connections);
      }
    }
  });

  it('parses sizes', () => {
    expect(parseSize('10MB')).toBe(10_000_000);
    expect(parseSize('1GB')).toBe(1_000_000_000);
    expect(parseSize('512')).toBe(512);
    expect(() => parseSize('ten')).toThrow();
  });
});
