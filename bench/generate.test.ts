import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concatChunks } from '../src/core/capture/bytes.ts';
import { generateCapture, parseSize, SCENARIO_IDS, type CaptureFormat } from './generate.ts';

const hasTshark = spawnSync('tshark', ['--version']).status === 0;
if (!hasTshark) console.warn('tshark not found: the generator read-back test is skipped');
const dir = mkdtempSync(join(tmpdir(), 'resetscope-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generate(targetBytes: number, format: CaptureFormat, seed = 1) {
  const chunks: Uint8Array[] = [];
  const summary = generateCapture({ targetBytes, format, seed, onChunk: (c) => chunks.push(c), chunkSize: 1 << 16 });
  return { bytes: concatChunks(chunks), summary };
}

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

  it('parses sizes', () => {
    expect(parseSize('10MB')).toBe(10_000_000);
    expect(parseSize('1GB')).toBe(1_000_000_000);
    expect(parseSize('512')).toBe(512);
    expect(() => parseSize('ten')).toThrow();
  });
});
